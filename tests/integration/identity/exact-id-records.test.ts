// The identity records that replaced filtered queries keep their guarantees under concurrency,
// on the run's real database: an attempt limit that holds for a burst, an email that belongs to
// one account per organization however many sign-ups race for it, and a member list that
// follows deletions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { User, type UserDoc } from '../../../core/identity/models.ts';
import { softDeleteAccount } from '../../../core/identity/personal-data.ts';
import { createAttemptWindow } from '../../../core/identity/sign-in-limiter.ts';
import {
  createUser,
  deleteUserRecord,
  dropGlobalEmailIndex,
  EmailTakenError,
  findActiveTenantUserByEmail,
  findUserByEmail,
  findUsersByEmail,
  tenantMembers,
} from '../../../core/identity/users.ts';
import { openStore, type Store } from '../../../core/store/store.ts';
import { mongoUri, testTenantId } from '../../support/db.ts';

let store: Store;
beforeAll(async () => {
  store = await openStore({ uri: mongoUri(), controlDbName: `qc_${testTenantId()}` });
});
afterAll(async () => {
  await store.control.dropDatabase();
  await store.close();
});

const person = (tenantId: string, id: string, email: string, name: string): UserDoc => ({
  _id: id,
  tenantId,
  email,
  name,
  role: 'member',
  passwordHash: null,
  createdAt: new Date(),
  deletedAt: null,
});

describe('numbered attempts', () => {
  it('allows exactly the limit of a concurrent burst, and again once the window has passed', async () => {
    let now = new Date('2027-01-04T10:00:00Z');
    const window = createAttemptWindow(store, { limit: 10, windowMs: 300_000, now: () => now });
    const burst = await Promise.all(Array.from({ length: 25 }, () => window.attempt('ip:a')));
    expect(burst.filter((o) => o.allowed)).toHaveLength(10);
    // Another key has its own count.
    expect(await window.attempt('ip:b')).toEqual({ allowed: true });

    now = new Date(now.getTime() + 120_000);
    const refused = await window.attempt('ip:a');
    expect(refused).toMatchObject({ allowed: false });
    // Free when the oldest of the last ten (made at 10:00) is five minutes old.
    expect(refused.allowed === false && refused.retryAfterSeconds).toBe(180);

    now = new Date(now.getTime() + 300_001);
    expect(await window.attempt('ip:a')).toEqual({ allowed: true });
  });
});

describe('accounts by email', () => {
  it('gives an email to one of many concurrent sign-ups', async () => {
    const tenantId = testTenantId();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) =>
        createUser(store, person(tenantId, `urace${i}`, 'Race@Acme.example', `Racer ${i}`)),
      ),
    );
    const made = outcomes.filter((o) => o.status === 'fulfilled');
    expect(made).toHaveLength(1);
    for (const o of outcomes.filter((o) => o.status === 'rejected')) {
      expect((o as PromiseRejectedResult).reason).toBeInstanceOf(EmailTakenError);
    }
    const winner = (made[0] as PromiseFulfilledResult<UserDoc>).value;
    expect((await findUserByEmail(store, 'race@acme.example'))?._id).toBe(winner._id);
    expect(await store.controlModel(User).countDocuments({ tenantId })).toBe(1);
  });

  it('keeps the member list and email lookups in step with deletion, within the tenant', async () => {
    const tenantId = testTenantId();
    const mia = await createUser(store, person(tenantId, 'umia', 'mia@acme.example', 'Mia'));
    await createUser(store, person(tenantId, 'ubo', 'bo@acme.example', 'Bo'));
    expect((await tenantMembers(store, tenantId)).map((m) => m.name)).toEqual(['Bo', 'Mia']);
    expect(await findActiveTenantUserByEmail(store, testTenantId(), 'mia@acme.example')).toBe(
      undefined,
    );

    await softDeleteAccount(store, mia);
    expect((await tenantMembers(store, tenantId)).map((m) => m.name)).toEqual(['Bo']);
    expect(await findActiveTenantUserByEmail(store, tenantId, 'mia@acme.example')).toBe(undefined);
    // Deleted, not erased: the email still belongs to the account.
    expect((await findUserByEmail(store, 'mia@acme.example'))?.deletedAt).toBeInstanceOf(Date);
  });

  it('gives an email one account in each organization, however many race in each', async () => {
    const tenants = [testTenantId(), testTenantId()];
    const outcomes = await Promise.allSettled(
      tenants.flatMap((tenantId, t) =>
        Array.from({ length: 4 }, (_, i) =>
          createUser(store, person(tenantId, `ubo${t}${i}`, 'Both@Orgs.example', `Bo ${t}${i}`)),
        ),
      ),
    );
    const made = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    expect(made.map((u) => u.tenantId).sort()).toEqual([...tenants].sort());
    for (const o of outcomes.filter((o) => o.status === 'rejected')) {
      expect((o as PromiseRejectedResult).reason).toBeInstanceOf(EmailTakenError);
    }
    for (const user of made) {
      expect(
        (await findActiveTenantUserByEmail(store, user.tenantId, 'both@orgs.example'))?._id,
      ).toBe(user._id);
    }
    expect((await findUsersByEmail(store, 'both@orgs.example')).map((u) => u._id).sort()).toEqual(
      made.map((u) => u._id).sort(),
    );
  });

  it("frees an organization's claim when its account is erased; the next account becomes the first", async () => {
    const [t1, t2, t3] = [testTenantId(), testTenantId(), testTenantId()];
    const first = await createUser(store, person(t1, 'ulee1', 'lee@orgs.example', 'Lee 1'));
    const second = await createUser(store, person(t2, 'ulee2', 'lee@orgs.example', 'Lee 2'));
    const third = await createUser(store, person(t3, 'ulee3', 'lee@orgs.example', 'Lee 3'));
    expect((await findUserByEmail(store, 'lee@orgs.example'))?._id).toBe(first._id);

    await deleteUserRecord(store, first);
    expect((await findUserByEmail(store, 'lee@orgs.example'))?._id).toBe(second._id);
    expect((await findUsersByEmail(store, 'lee@orgs.example')).map((u) => u._id)).toEqual([
      second._id,
      third._id,
    ]);
    expect(await findActiveTenantUserByEmail(store, t1, 'lee@orgs.example')).toBeUndefined();
    await deleteUserRecord(store, third);
    expect(await findActiveTenantUserByEmail(store, t3, 'lee@orgs.example')).toBeUndefined();
    // Both organizations may take the address again.
    await createUser(store, person(t1, 'ulee4', 'lee@orgs.example', 'Lee 4'));
    await createUser(store, person(t3, 'ulee5', 'lee@orgs.example', 'Lee 5'));
    expect((await findUsersByEmail(store, 'lee@orgs.example')).map((u) => u._id)).toEqual([
      'ulee2',
      'ulee4',
      'ulee5',
    ]);
  });

  it("drops an earlier version's unique index on users.email, once", async () => {
    // A control database of its own: the tests above put one address in several organizations.
    const earlier = await openStore({ uri: mongoUri(), controlDbName: `qc_${testTenantId()}` });
    try {
      const users = earlier.control.collection('users');
      await users.createIndex({ email: 1 }, { unique: true, name: 'email_1' });
      await dropGlobalEmailIndex(earlier);
      const left = await users.indexes();
      expect(left.filter((index) => 'email' in index.key)).toEqual([]);
      await dropGlobalEmailIndex(earlier);
      await createUser(earlier, person(testTenantId(), 'uidx1', 'idx@orgs.example', 'Idx 1'));
      await createUser(earlier, person(testTenantId(), 'uidx2', 'idx@orgs.example', 'Idx 2'));
    } finally {
      await earlier.control.dropDatabase();
      await earlier.close();
    }
  });
});
