// The exclusive section on the real database: one holder at a time, a lock left by a holder
// that died taken over once it expired, a live one waited for, and every access by `_id`.
import { MongoClient, type Collection } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exclusive } from '../../../core/store/exclusive.ts';
import { mongoUri, testTenantId } from '../../support/db.ts';

interface LockDoc {
  _id: string;
  holder: string;
  expiresAt: Date;
}

let client: MongoClient;
let locks: Collection<LockDoc>;

beforeAll(async () => {
  client = await new MongoClient(mongoUri()).connect();
  locks = client.db(`quorum_t_${testTenantId()}`).collection<LockDoc>('locks');
});

afterAll(async () => {
  await client?.close();
});

describe('exclusive', () => {
  it('runs sections of one name one at a time, and frees the name after', async () => {
    let inside = 0;
    let most = 0;
    const section = () =>
      exclusive(locks, 'one', async () => {
        most = Math.max(most, ++inside);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inside -= 1;
        return 'done';
      });
    expect(await Promise.all([section(), section(), section()])).toEqual(['done', 'done', 'done']);
    expect(most).toBe(1);
    expect(await locks.findOne({ _id: 'one' })).toBeNull();
    await expect(exclusive(locks, 'one', () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    expect(await locks.findOne({ _id: 'one' })).toBeNull();
  });

  it('takes over a lock that expired, and waits for one that is held', async () => {
    await locks.insertOne({ _id: 'dead', holder: 'gone', expiresAt: new Date(Date.now() - 1) });
    expect(await exclusive(locks, 'dead', async () => 'taken over')).toBe('taken over');
    expect(await locks.findOne({ _id: 'dead' })).toBeNull();

    await locks.insertOne({
      _id: 'held',
      holder: 'other',
      expiresAt: new Date(Date.now() + 60_000),
    });
    let ran = false;
    const waiting = exclusive(locks, 'held', async () => {
      ran = true;
    });
    // Released by its holder: the waiter goes in.
    expect(ran).toBe(false);
    await locks.deleteOne({ _id: 'held' });
    await waiting;
    expect(ran).toBe(true);

    await locks.insertOne({
      _id: 'stuck',
      holder: 'other',
      expiresAt: new Date(Date.now() + 60_000),
    });
    await expect(exclusive(locks, 'stuck', async () => 1, { waitMs: 50 })).rejects.toThrow(
      /held elsewhere/,
    );
  });
});
