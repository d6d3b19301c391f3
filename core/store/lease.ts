// A short renewable lease on a name, so one process at a time does what the name stands for
// (moves a meeting along, locks a job).
//
// Why an insert: on the embedded database (FerretDB 1.24, SQLite) read-modify-write operations
// such as findOneAndUpdate, a conditional update or $inc are not atomic across connections
// (measured: 40 of 40 concurrent conditional updates both "won"; 3 of 20 concurrent $inc kept).
// An insert with a duplicate _id, however, is refused atomically on both FerretDB and MongoDB.
//
// The holder keeps the lease alive while it works and gives it up when done; only the holder
// can give it up. A holder that dies stops renewing, so its lease runs out within `ttlMs` and
// the work can be resumed soon after a crash, however long the step it was running (a
// transcription can take as long as the recording).
import { randomUUID } from 'node:crypto';
import type { Collection } from 'mongodb';
import { isDuplicateKeyError } from '../privacy/duplicate-key.ts';

interface LeaseDoc {
  _id: string;
  holder: string;
  expiresAt: Date;
}

export class Leases {
  readonly #collection: Collection<LeaseDoc>;
  readonly #ttlMs: number;

  constructor(collection: Collection<LeaseDoc>, ttlMs = 120_000) {
    this.#collection = collection;
    this.#ttlMs = ttlMs;
  }

  /** Runs `fn` holding `name`; resolves to undefined without running it when someone else holds it. */
  async with<T>(name: string, fn: () => Promise<T>): Promise<T | undefined> {
    const holder = randomUUID();
    const expiry = () => new Date(Date.now() + this.#ttlMs);
    await this.#collection.deleteOne({ _id: name, expiresAt: { $lt: new Date() } });
    try {
      await this.#collection.insertOne({ _id: name, holder, expiresAt: expiry() });
    } catch (error) {
      if (isDuplicateKeyError(error)) return undefined;
      throw error;
    }
    const renew = setInterval(() => {
      this.#collection
        .updateOne({ _id: name, holder }, { $set: { expiresAt: expiry() } })
        .catch(() => undefined);
    }, this.#ttlMs / 4);
    renew.unref();
    try {
      return await fn();
    } finally {
      clearInterval(renew);
      await this.#collection.deleteOne({ _id: name, holder });
    }
  }
}
