// The outbox on the real database, through its hour lists: what a consumer is offered, once,
// oldest first, for a week; its cursor; forgetting a meeting's events; and the moves from
// per-event acknowledgements and from day lists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  outboxDayListsStep,
  outboxHourListsStep,
} from '../../../core/delivery/outbox-migration.ts';
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

describe('outbox hour lists', () => {
  it('offers each event once per consumer, oldest first across hours, for a week', async () => {
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

  it("reads from the consumer's cursor on, which stays an hour behind the clock", async () => {
    const tenant = testTenantId();
    const done = store.control.collection<{ _id: string; hour?: string }>('outbox_done');
    /** Claims what waits for bench-h and acknowledges all of it (other files' events too). */
    const drain = async () => {
      const claimed = await outbox.claim('bench-h', { limit: 100 });
      for (const event of claimed) await outbox.ack('bench-h', event.id);
      return ids(claimed, tenant);
    };
    await summarized(tenant, 'c1');
    expect(await drain()).toEqual(['c1']);
    later(5 * 3_600_000);
    expect(await drain()).toEqual([]);
    // Everything acknowledged: the cursor moved up to an hour behind the clock, not past it.
    const hourAgo = new Date(clock.getTime() - 3_600_000).toISOString().slice(0, 13);
    expect((await done.findOne({ _id: 'cursor|bench-h' }))?.hour).toBe(hourAgo);
    // A publisher whose clock is half an hour behind is still heard.
    const own = clock;
    clock = new Date(own.getTime() - 30 * 60_000);
    await summarized(tenant, 'c2');
    clock = own;
    // Claimed and not acknowledged (a retry waits): it holds the cursor at its hour.
    expect(ids(await outbox.claim('bench-h', { limit: 100 }), tenant)).toEqual(['c2']);
    later(3 * 3_600_000);
    expect(await drain()).toEqual(['c2']);
  });

  it('lists again an event published long after its publisher died before listing it', async () => {
    const tenant = testTenantId();
    const at = clock;
    // As a publisher that died between recording the event and listing it left it.
    await store.control.collection('outbox_events').insertOne({
      _id: `${tenant}:late:meeting.summarized`,
      type: 'meeting.summarized',
      tenantId: tenant,
      meetingId: 'late',
      createdAt: at,
      expiresAt: new Date(at.getTime() + 7 * DAY),
    } as never);
    later(4 * 3_600_000);
    for (const event of await outbox.claim('bench-i', { limit: 100 })) {
      await outbox.ack('bench-i', event.id);
    }
    // All acknowledged: the next look moves the cursor past the event's hour.
    expect(await outbox.claim('bench-i', { limit: 100 })).toEqual([]);
    const cursor = await store.control
      .collection<{ _id: string; hour?: string }>('outbox_done')
      .findOne({ _id: 'cursor|bench-i' });
    expect((cursor?.hour ?? '') > at.toISOString().slice(0, 13)).toBe(true);
    // The pipeline publishes it again: listed in this hour, past the cursor.
    await summarized(tenant, 'late');
    const offered = await outbox.claim('bench-i', { limit: 10 });
    expect(ids(offered, tenant)).toEqual(['late']);
    await outbox.ack('bench-i', offered.find((e) => e.tenantId === tenant)!.id);
    later(5 * 60_000 + 1);
    expect(ids(await outbox.claim('bench-i', { limit: 10 }), tenant)).toEqual([]);
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

describe('migration from day lists to hour lists', () => {
  it("lists a tenant's events by hour, keeping each consumer's acknowledgements", async () => {
    const tenant = testTenantId();
    const at = new Date(clock.getTime() - 2 * 3_600_000);
    const day = at.toISOString().slice(0, 10);
    const id = (meetingId: string) => `${tenant}:${meetingId}:meeting.summarized`;
    const event = (meetingId: string) => ({
      _id: id(meetingId),
      type: 'meeting.summarized',
      tenantId: tenant,
      meetingId,
      createdAt: at,
      expiresAt: new Date(at.getTime() + 7 * DAY),
    });
    // As the day lists left them: both events on the day's feed, h1 acknowledged by bench-j.
    await store.control
      .collection('outbox_events')
      .insertMany([event('h1'), event('h2')] as never[]);
    const feed = store.control.collection<{ _id: string; events: string[] }>('outbox_feed');
    const done = store.control.collection<{ _id: string; events: string[] }>('outbox_done');
    await feed.updateOne(
      { _id: `day:${day}` },
      { $addToSet: { events: { $each: [id('h1'), id('h2')] } } },
      { upsert: true },
    );
    await done.updateOne(
      { _id: `bench-j|${day}` },
      { $set: { events: [id('h1')] } },
      { upsert: true },
    );
    await done.updateOne(
      { _id: 'consumers' },
      { $addToSet: { events: 'bench-j' } },
      { upsert: true },
    );

    const ctx = verifiedTenantContext(tenant, 'system');
    expect(await outboxHourListsStep.runForTenant(store, ctx)).toBe(2);
    expect(await outboxHourListsStep.runForTenant(store, ctx)).toBe(2);
    expect((await feed.findOne({ _id: `day:${day}` }))?.events ?? []).not.toContain(id('h1'));
    expect((await done.findOne({ _id: `bench-j|${day}` }))?.events ?? []).toEqual([]);
    expect(ids(await outbox.claim('bench-j', { limit: 10 }), tenant)).toEqual(['h2']);
    expect(ids(await outbox.claim('bench-k', { limit: 10 }), tenant)).toEqual(['h1', 'h2']);
  });
});
