// Retention of meeting data, enforced by jobs that run on a schedule and at start-up (to catch
// up after downtime), tenant by tenant, in batches:
//
// - Recordings (and captions files) are deleted the moment transcription ends (the pipeline
//   does that); this job is the backstop that deletes any still there 24 hours after they
//   arrived, even if transcription keeps failing, plus encrypted files no record points to and
//   transcription work folders a crashed process left behind.
// - Meeting content — transcript, summary, decisions, action items, search entry, invite text —
//   is deleted after the tenant's retention period (default 30 days, 1–365), counted from when
//   the content arrived (the recording or captions received, the live capture ended), whatever
//   the meeting's dates say; a meeting still without content, from its end. The meeting's data
//   key is destroyed with it. The meeting record (title, times, participants, booking link) stays: it is scheduling
//   metadata, and it shows where the certificate is.
// - Meeting deletions someone asked for and that were cut short are finished.
//
// Every deletion gets a certificate (what, how many of each, what was kept and why, when) and
// an audit entry naming it. A run that dies midway leaves a recorded plan on the meeting; the
// next run finishes it with the plan's counts and finds the certificate already issued by its
// subject, so no deletion is ever certified twice.
//
// Here: the jobs and the walk over tenants and days; purge-batch.ts deletes and certifies a
// batch, recordings.ts is the recordings sweep, removal.ts a deletion someone asked for.
import type { JobDefinition } from '../../jobs/registry.ts';
import { findByIds } from '../../store/by-id.ts';
import { Leases } from '../../store/lease.ts';
import type { TenantContext } from '../../store/tenant-context.ts';
import { CURRENT, DUE, dayOf } from '../lists.ts';
import { getMeetingSettings } from '../settings.ts';
import { everyTenant } from '../tenants.ts';
import type { RetentionDeps } from './deps.ts';
import { PurgeBatches } from './purge-batch.ts';
import { purgeStaleRecordings } from './recordings.ts';
import { removeMeeting } from './removal.ts';

export const PURGE_EXPIRED_MEETINGS = 'privacy.purge-expired-meetings';
export const PURGE_MEETING_RECORDINGS = 'privacy.purge-meeting-recordings';

export interface PurgeReport {
  /** Meetings whose content was deleted after the retention period. */
  purged: number;
  /** Deletions someone asked for that an earlier run left unfinished. */
  finished: number;
}

const DAY_MS = 86_400_000;

/** Deletions someone asked for that an earlier run left unfinished; resolves to how many. */
async function finishDeletions(deps: RetentionDeps, ctx: TenantContext): Promise<number> {
  const { kit } = deps;
  const { Meetings, lists } = await kit.models(ctx);
  const listed = await lists.dueIn(DUE.deleting, CURRENT);
  const meetings = new Map((await findByIds(Meetings, listed)).map((m) => [m._id, m]));
  // Gone, or listed by a deletion that died before its plan: nothing to finish.
  await lists.removeDue(
    DUE.deleting,
    CURRENT,
    listed.filter((id) => !meetings.get(id)?.deletion),
  );
  let finished = 0;
  for (const meeting of meetings.values()) {
    if (!meeting.deletion) continue;
    await removeMeeting(kit, ctx, meeting, meeting.deletion.by);
    finished += 1;
  }
  return finished;
}

/** One tenant's expired content and unfinished deletions. */
export async function purgeExpiredForTenant(
  deps: RetentionDeps,
  ctx: TenantContext,
): Promise<PurgeReport> {
  // One purge of a tenant at a time: the start-up run, the daily run, a manual run or another
  // node's run would otherwise take the same meetings and audit their deletions twice. A run
  // that finds the tenant's lease held leaves the work to its holder.
  const outcome = await purgeLeases(deps).with(`purge:${ctx.tenantId}`, () =>
    purgeTenantNow(deps, ctx),
  );
  return outcome ?? { purged: 0, finished: 0 };
}

function purgeLeases(deps: RetentionDeps): Leases {
  const db = deps.kit.deps.store.control.db;
  if (!db) throw new Error('database connection is not open');
  return new Leases(db.collection('meeting_locks'));
}

async function purgeTenantNow(deps: RetentionDeps, ctx: TenantContext): Promise<PurgeReport> {
  const { kit } = deps;
  const { lists } = await kit.models(ctx);
  const finished = await finishDeletions(deps, ctx);
  const { retentionDays } = await getMeetingSettings(kit.deps.store, ctx);
  const cutoff = new Date(kit.now().getTime() - retentionDays * DAY_MS);
  const batches = new PurgeBatches(deps, ctx);
  // Days are listed by the day of `retainFrom`: only days up to the cutoff's can be due.
  for (const day of await lists.duePeriods(DUE.retention)) {
    if (day > dayOf(cutoff)) break;
    await batches.addDay(day, cutoff);
  }
  await batches.finish();
  return { purged: batches.purged, finished };
}

export async function purgeExpiredMeetings(deps: RetentionDeps): Promise<PurgeReport> {
  const total: PurgeReport = { purged: 0, finished: 0 };
  for await (const ctx of everyTenant(deps.kit.deps.store)) {
    const report = await purgeExpiredForTenant(deps, ctx);
    total.purged += report.purged;
    total.finished += report.finished;
  }
  return total;
}

export function purgeExpiredMeetingsJob(deps: RetentionDeps): JobDefinition {
  return {
    name: PURGE_EXPIRED_MEETINGS,
    every: '1 day',
    runAtStart: true,
    async run(_data, { logger }) {
      const report = await purgeExpiredMeetings(deps);
      if (report.purged + report.finished > 0) logger.info(report, 'meeting content purged');
    },
  };
}

export function purgeMeetingRecordingsJob(deps: RetentionDeps): JobDefinition {
  return {
    name: PURGE_MEETING_RECORDINGS,
    every: '1 hour',
    runAtStart: true,
    async run(_data, { logger }) {
      const report = await purgeStaleRecordings(deps);
      if (report.recordings + report.orphans + report.workFolders > 0) {
        logger.info(report, 'stale recordings purged');
      }
    },
  };
}
