// Runs a read-modify-write section over several documents alone: one holder at a time, in this
// process and across processes, with exact-`_id` statements only.
//
// Why not lease.ts: its takeover and renewal use filters beyond `_id` (`{_id, expiresAt}`,
// `{_id, holder}`), which the embedded database answers by reading the whole collection. Here the
// lock is a document inserted under the section's name (the insert is refused atomically to a
// second holder on both databases); a lock left behind by a holder that died is taken over once
// it expired, and only one taker wins because the takeover is itself a unique insert, of a marker
// named after the expired lock. The holder renews its lock while it works.
//
// Within one process the callers queue (serialized) instead of polling the database.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Collection } from 'mongodb';
import { isDuplicateKeyError } from '../privacy/duplicate-key.ts';
import { serialized } from './serial.ts';

interface LockDoc {
  _id: string;
  holder: string;
  expiresAt: Date;
}

export interface ExclusiveOptions {
  /** How long a lock holds without renewal (30 s); it is renewed every third of that. */
  ttlMs?: number;
  /** How long to wait for another holder before giving up (twice the ttl). */
  waitMs?: number;
}

async function tryAcquire(locks: Collection<LockDoc>, name: string, holder: string, ttlMs: number) {
  const mine = { _id: name, holder, expiresAt: new Date(Date.now() + ttlMs) };
  try {
    await locks.insertOne(mine);
    return true;
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
  const current = await locks.findOne({ _id: name });
  if (!current || current.expiresAt.getTime() > Date.now()) return false;
  // Expired: whoever inserts the marker for this very lock takes it over.
  try {
    await locks.insertOne({
      _id: `${name}#${current.expiresAt.getTime()}`,
      holder,
      expiresAt: new Date(Date.now() + ttlMs),
    });
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
  await locks.replaceOne({ _id: name }, mine, { upsert: true });
  return true;
}

async function release(locks: Collection<LockDoc>, name: string, holder: string) {
  const current = await locks.findOne({ _id: name });
  if (current?.holder === holder) await locks.deleteOne({ _id: name });
}

/** Runs `fn` while holding the lock `name` stored in `locks`. */
export function exclusive<T>(
  locks: Collection<LockDoc>,
  name: string,
  fn: () => Promise<T>,
  options: ExclusiveOptions = {},
): Promise<T> {
  const ttlMs = options.ttlMs ?? 30_000;
  const waitMs = options.waitMs ?? 2 * ttlMs;
  return serialized(`${locks.dbName}/${locks.collectionName}/${name}`, async () => {
    const holder = randomUUID();
    const deadline = Date.now() + waitMs;
    for (let pause = 5; !(await tryAcquire(locks, name, holder, ttlMs));) {
      if (Date.now() > deadline) {
        throw new Error(`${name} in ${locks.dbName}.${locks.collectionName} is held elsewhere`);
      }
      await sleep(pause);
      pause = Math.min(pause * 2, 200);
    }
    const renew = setInterval(() => {
      void locks
        .findOne({ _id: name })
        .then((current) =>
          current?.holder === holder
            ? locks.replaceOne({ _id: name }, { holder, expiresAt: new Date(Date.now() + ttlMs) })
            : undefined,
        )
        .catch(() => undefined);
    }, ttlMs / 3);
    renew.unref();
    try {
      return await fn();
    } finally {
      clearInterval(renew);
      await release(locks, name, holder);
    }
  });
}
