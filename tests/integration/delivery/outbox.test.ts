// The outbox on the real database, through its day lists: what a consumer is offered, once,
// oldest first, for a week; forgetting a meeting's events; and the move from per-event
// acknowledgements.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxDayListsStep } from '../../../core/delivery/outbox-migration.ts';
import { createOutbox, type Outbox } from '../../../core/delivery/outbox.ts';
import { openStore, type Store } from '../../../core/store/store.ts';
import { verifiedTenantContext } from '../../../core/store/tenant-context.ts';
import { mongoUri, testTenantId } from '../../support/db.ts';

let store: Store;
let clock: Date;
let outbox: Outbox;
const DAY = 86_400_000;
const later = (ms: number) => (clock = new Date(clock.getTime() + ms));
const summarized = (tenantId: string, meetingId: string) =>
  outbox.publish({ type: 'meeting.summarized', tenantId, meetingId });
/** Only this test's events: the control database is shared by the test files. */
const ids = (events: Array<{ id: string; tenantId: string }>, tenantId: string) =>
  events.filter((e) => e.tenantId === tenantId).map((e) => e.id.split(':')[1]);
const controlText = async () =>
  JSON.stringify(
    await Promise.all(
      ['outbox_events', 'outbox_claims', 'outbox_feed', 'outbox_done'].map((name) =>
        store.control.collection(name).find().toArray(),
      ),
    ),
  );

beforeAll(async () => {
  // A clock of its own, far from the other files' events, so their days are not these.
  clock = new Date(Date.UTC(2031, 4, 1, 23, 0));
  store = await openStore({ uri: mongoUri() });
  outbox = createOutbox({ store, now: () => clock });
});

afterAll(async () => {
  await store?.close();
});

describe('outbox day lists', () => {
  it('offers each event once per consumer, oldest first across days, for a week', async () => {
    const tenant = testTenantId();
    await summarized(tenant, 'm1');
    later(2 * 3_600_000); // the next day
    await summarized(tenant, 'm2');
    await summarized(tenant, 'm3');

    const first = await outbox.claim('bench-a', { limit: 2 });
    expect(ids(first, tenant)).toEqual(['m1', 'm2']);
    expect(ids(await outbox.claim('bench-a', { limit: 10 }), tenant)).toEqual(['m3']);
    for (const event of first) await outbox.ack('bench-a', event.id);
    // Ten workers at once: the lease that ran out goes to one of them.
    later(5 * 60_000 + 1);
    const racing = await Promise.all(
      Array.from({ length: 10 }, () => outbox.claim('bench-a', { limit: 10 })),
    );
    expect(racing.flatMap((events) => ids(events, tenant))).toEqual(['m3']);

    later(7 * DAY);
    // A week on, m1 to m3 expired: a consumer arriving now is offered the new one only.
    await summarized(tenant, 'm4');
    const lateComer = await outbox.claim('bench-b', { limit: 10 });
    expect(ids(lateComer, tenant)).toEqual(['m4']);
  });

  it("forgets a meeting's events, with their lists and claims", async () => {
    const tenant = testTenantId();
    await summarized(tenant, 'gone');
    await summarized(tenant, 'kept');
    const claimed = (await outbox.claim('bench-c', { limit: 10 })).filter(
      (e) => e.tenantId === tenant,
    );
    expect(claimed.map((e) => e.meetingId)).toEqual(['gone', 'kept']);
    await outbox.ack('bench-d', claimed[0]!.id);

    expect(await outbox.forget(tenant, ['gone', 'never'])).toBe(1);
    expect(await controlText()).not.toContain(`${tenant}:gone`);
    expect(ids(await outbox.claim('bench-g', { limit: 10 }), tenant)).toEqual(['kept']);
    expect(await outbox.forget(tenant, ['gone'])).toBe(0);
  });
});

describe('migration to day lists', () => {
  it("lists a tenant's earlier events and turns their acknowledgements into day lists", async () => {
    const tenant = testTenantId();
    const at = new Date(clock.getTime() - 3 * 3_600_000);
    const old = (meetingId: string) => ({
      _id: `${tenant}:${meetingId}:meeting.summarized`,
      type: 'meeting.summarized',
      tenantId: tenant,
      meetingId,
      createdAt: at,
      expiresAt: new Date(at.getTime() + 7 * DAY),
    });
    // As the outbox before the day lists left them: events, one acknowledgement record each.
    await store.control.collection('outbox_events').insertMany([old('o1'), old('o2')] as never[]);
    const acks = store.control.collection('outbox_acks');
    await acks.insertOne({
      _id: `bench-e|${tenant}:o1:meeting.summarized`,
      consumer: 'bench-e',
      eventId: `${tenant}:o1:meeting.summarized`,
      expiresAt: new Date(at.getTime() + 8 * DAY),
    } as never);
    expect(ids(await outbox.claim('bench-e', { limit: 10 }), tenant)).toEqual([]);

    const ctx = verifiedTenantContext(tenant, 'system');
    expect(await outboxDayListsStep.runForTenant(store, ctx)).toBe(2);
    expect(await outboxDayListsStep.runForTenant(store, ctx)).toBe(2);
    expect(ids(await outbox.claim('bench-e', { limit: 10 }), tenant)).toEqual(['o2']);
    expect(ids(await outbox.claim('bench-f', { limit: 10 }), tenant)).toEqual(['o1', 'o2']);
    expect(await acks.countDocuments({ consumer: 'bench-e' })).toBe(0);
  });
});
