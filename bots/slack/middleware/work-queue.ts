// Slow work after an acknowledgement (calendar look-ups, bookings, Slack API calls), a few at a
// time per node, and second to acknowledgements: while Slack requests are waiting for theirs,
// queued work waits too (up to a second), so a burst of commands is acknowledged first and
// answered right after, instead of both competing for the database and the event loop.
export interface WorkQueue {
  run(task: () => Promise<void>): void;
  /** Resolves when nothing is queued or running (tests, shutdown). */
  idle(): Promise<void>;
}

const MAX_DEFERRAL_MS = 1000;
const RECHECK_MS = 5;

export function createWorkQueue(options: {
  concurrency: number;
  onError: (error: unknown) => void;
  /** True while requests are waiting for their acknowledgement. */
  frontDoorBusy?: () => boolean;
}): WorkQueue {
  let running = 0;
  const waiting: Array<{ task: () => Promise<void>; since: number }> = [];
  let idleWaiters: Array<() => void> = [];
  let recheck: NodeJS.Timeout | undefined;

  const settle = () => {
    if (running === 0 && waiting.length === 0) {
      const resolve = idleWaiters;
      idleWaiters = [];
      for (const done of resolve) done();
    }
  };

  const next = () => {
    while (running < options.concurrency && waiting.length > 0) {
      const head = waiting[0]!;
      if (options.frontDoorBusy?.() && Date.now() - head.since < MAX_DEFERRAL_MS) {
        recheck ??= setTimeout(() => {
          recheck = undefined;
          next();
        }, RECHECK_MS);
        return;
      }
      waiting.shift();
      running += 1;
      // A macrotask boundary first, so the acknowledgement that queued this is sent before it runs.
      setImmediate(() => {
        head
          .task()
          .catch(options.onError)
          .finally(() => {
            running -= 1;
            next();
            settle();
          });
      });
    }
  };

  return {
    run(task) {
      waiting.push({ task, since: Date.now() });
      next();
    },
    idle() {
      if (running === 0 && waiting.length === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
  };
}
