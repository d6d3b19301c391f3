// Runs read-modify-write steps on one document one at a time within this process.
//
// Why: on the embedded database (FerretDB 1.24) an update with an operator ($addToSet, $pull,
// $inc, $set on part of a document) reads the document, changes it and writes it back without
// a lock, so two concurrent updates of the same document can lose one of them. The embedded
// database is served by one Quorum process (the launcher refuses a second one on the same data
// folder), so serializing the writes of one document here is enough there; on MongoDB the same
// operators are atomic anyway, and this only costs a queue per key.
const queues = new Map<string, Promise<unknown>>();

/** Runs `fn` after every earlier `serialized` call with the same key has settled. */
export function serialized<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(key, settled);
  void settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key);
  });
  return run;
}
