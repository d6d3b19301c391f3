// Runs a task for many callers at once, without ever handing a caller a run that began before
// the caller asked: a scrub that started before a deletion does not cover that deletion.
//
// Callers who ask while a run is in progress share the next run, which starts when the current
// one ends; so at most one run is in progress and one waits, however many ask.
export function coalesce(task: () => Promise<void>): () => Promise<void> {
  let last: Promise<void> = Promise.resolve();
  let waiting: Promise<void> | undefined;
  return () => {
    if (waiting) return waiting;
    const run: Promise<void> = last
      .catch(() => {})
      .then(() => {
        // From here on, a new caller needs a new run.
        if (waiting === run) waiting = undefined;
        return task();
      });
    waiting = run;
    last = run;
    return run;
  };
}
