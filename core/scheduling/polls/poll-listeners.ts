// Fans a poll's news out to every adapter that shows polls (Slack and Teams today; email later).
// Adapters register when they start; the poll service is built before them, so it is handed this
// fan-out rather than the adapters themselves. A listener's failure is logged and never undoes
// or fails the vote that caused it: the vote is already counted.
import type { TenantContext } from '../../store/tenant-context.ts';
import type { PollChange, PollNotice } from './poll-service.ts';

export interface PollListener {
  /** After every counted vote: keep a poll shown on the platform current. */
  changed?(ctx: TenantContext, change: PollChange): Promise<void>;
  /** When the poll has ended: tell the organizer (and the channel) how. */
  finished?(ctx: TenantContext, notice: PollNotice): Promise<void>;
}

export function createPollListeners(onError: (error: unknown, listener: string) => void) {
  const listeners = new Map<string, PollListener>();
  async function each(call: (listener: PollListener) => Promise<void> | undefined) {
    await Promise.all(
      [...listeners].map(async ([name, listener]) => {
        try {
          await call(listener);
        } catch (error) {
          onError(error, name);
        }
      }),
    );
  }
  return {
    add(name: string, listener: PollListener): void {
      listeners.set(name, listener);
    },
    changed: (ctx: TenantContext, change: PollChange) => each((l) => l.changed?.(ctx, change)),
    notify: (ctx: TenantContext, notice: PollNotice) => each((l) => l.finished?.(ctx, notice)),
  };
}

export type PollListeners = ReturnType<typeof createPollListeners>;
