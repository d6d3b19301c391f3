// Slow work after an acknowledgement (calendar look-ups, bookings, Slack API calls), a few at a
// time per node: a burst of commands then queues here instead of competing with the
// acknowledgements themselves for the database and the event loop.
export interface WorkQueue {
  run(task: () => Promise<void>): void;
  /** Resolves when nothing is queued or running (tests, shutdown). */
  idle(): Promise<void>;
}

export function createWorkQueue(concurrency: number, onError: (error: unknown) => void): WorkQueue {
  let running = 0;
  const waiting: Array<() => Promise<void>> = [];
  let idleWaiters: Array<() => void> = [];

  const settle = () => {
    if (running === 0 && waiting.length === 0) {
      const resolve = idleWaiters;
      idleWaiters = [];
      for (const done of resolve) done();
    }
  };

  const next = () => {
    while (running < concurrency && waiting.length > 0) {
      const task = waiting.shift()!;
      running += 1;
      // A macrotask boundary first, so the acknowledgement that queued this is sent before it runs.
      setImmediate(() => {
        task()
          .catch(onError)
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
      waiting.push(task);
      next();
    },
    idle() {
      if (running === 0 && waiting.length === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
  };
}
