// The sender on the job runner: `email.send` sends one message right after it was queued (in the
// process that queued it, when that process runs jobs: see resumedBySweep), and `email.send-due`
// sweeps the queue every 10 seconds and once at start, for retries and for what a stopped
// process left.
import { resumedBySweep } from '../jobs/runner.ts';
import type { JobDefinition } from '../jobs/registry.ts';
import type { EmailOutbox } from './outbox.ts';
import type { ReminderJobData, Reminders } from './reminders.ts';

export const SEND_EMAIL = 'email.send';
export const SEND_DUE_EMAIL = 'email.send-due';
/** A reminder due (scheduled through Agenda, so it survives restarts until it runs). */
export const SEND_REMINDER = 'email.reminder';

export function emailJobs(outbox: EmailOutbox, reminders: Reminders): JobDefinition<never>[] {
  const sendOne: JobDefinition<{ tenantId: string; key: string }> = resumedBySweep({
    name: SEND_EMAIL,
    concurrency: 2,
    async run(data) {
      await outbox.sendOne(data.tenantId, data.key);
    },
  });
  const sweep: JobDefinition = {
    name: SEND_DUE_EMAIL,
    every: '10 seconds',
    runAtStart: true,
    // A node that died holding it frees it soon, so its messages wait seconds, not minutes.
    lockLifetimeMs: 30_000,
    async run(_data, { logger }) {
      const sent = await outbox.sendDue();
      if (sent > 0) logger.debug({ sent }, 'queued emails sent');
    },
  };
  const remind: JobDefinition<ReminderJobData> = {
    name: SEND_REMINDER,
    async run(data) {
      await reminders.remind(data);
    },
  };
  return [sendOne, sweep, remind] as JobDefinition<never>[];
}
