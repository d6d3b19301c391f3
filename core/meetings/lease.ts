// A short renewable lease on one meeting, so one worker at a time moves it along.
//
// Taken by a unique-key insert (atomic on FerretDB and MongoDB alike), kept alive by its holder
// while it works, and given up when it is done. A holder that dies stops renewing, so its lease
// runs out within `ttlMs` and the meeting can be resumed soon after a crash, however long the
// step it was running (a transcription can take as long as the recording).
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
