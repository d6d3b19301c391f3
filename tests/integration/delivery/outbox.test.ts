// The outbox on the real database, through its hour and minute lists: what a consumer is offered,
// once, oldest first, for a week; its cursor; forgetting a meeting's events; hour lists of the
// old layout; the sweep of expired lists; and the moves from per-event acknowledgements and from
// day lists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  outboxDayListsStep,
  outboxHourListsStep,
} from '../../../core/delivery/outbox-migration.ts';
import { createOutbox, OUTBOX_COLLECTIONS, type Outbox } from '../../../core/delivery/outbox.ts';
import { createLogger } from '../../../core/logger.ts';
import { expireDocumentsJob } from '../../../core/store/expiry.ts';
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

describe('outbox minute lists', () => {
  const MINUTE = 60_000;
  type List = { _id: string; events?: string[]; minutes?: string[]; expiresAt?: Date };
  const feed = () => store.control.collection<List>('outbox_feed');
  const done = () => store.control.collection<List>('outbox_done');
  const eventId = (tenant: string, meetingId: string) =>
    `${tenant}:${meetingId}:meeting.summarized`;
  /** Publishes at `hh:mm` of the day of `base`, without moving the clock for good. */
  const publishAt = async (base: Date, hh: number, mm: number, tenant: string, meeting: string) => {
    const own = clock;
    clock = new Date(
      Date.UTC(base.getUTCFullYear(), base.getUTCMonth(), base.getUTCDate(), hh, mm),
    );
    await summarized(tenant, meeting);
    clock = own;
  };

  it('offers events of several minutes and two hours once, in order, from minute lists', async () => {
    const tenant = testTenantId();
    const base = new Date(Date.UTC(2032, 2, 1));
    clock = new Date(Date.UTC(2032, 2, 1, 11, 31));
    await publishAt(base, 10, 5, tenant, 'm1');
    await publishAt(base, 10, 5, tenant, 'm2');
    await publishAt(base, 10, 20, tenant, 'm3');
    await publishAt(base, 10, 59, tenant, 'm4');
    await publishAt(base, 11, 0, tenant, 'm5');
    await publishAt(base, 11, 30, tenant, 'm6');
    // A publisher whose clock is behind: listed in its minute, before the later ones of the hour.
    await publishAt(base, 10, 40, tenant, 'm7');

    // Each minute its own list; the hour's document names its minutes and holds no events.
    const hourDoc = await feed().findOne({ _id: 'hour:2032-03-01T10' });
    expect([...(hourDoc?.minutes ?? [])].sort()).toEqual(['05', '20', '40', '59']);
    expect(hourDoc?.events ?? []).toEqual([]);
    expect((await feed().findOne({ _id: 'hour:2032-03-01T10:05' }))?.events).toEqual([
      eventId(tenant, 'm1'),
      eventId(tenant, 'm2'),
    ]);
    expect((await feed().findOne({ _id: 'hour:2032-03-01T11:30' }))?.events).toEqual([
      eventId(tenant, 'm6'),
    ]);

    const first = await outbox.claim('bench-m', { limit: 3 });
    expect(ids(first, tenant)).toEqual(['m1', 'm2', 'm3']);
    for (const event of first) await outbox.ack('bench-m', event.id);
    // Acknowledged by the minute the event was listed in, beside that minute's feed.
    expect((await done().findOne({ _id: 'bench-m|2032-03-01T10:05' }))?.events).toEqual([
      eventId(tenant, 'm1'),
      eventId(tenant, 'm2'),
    ]);
    const second = await outbox.claim('bench-m', { limit: 10 });
    expect(ids(second, tenant)).toEqual(['m7', 'm4', 'm5', 'm6']);
    for (const event of second.slice(0, 2)) await outbox.ack('bench-m', event.id);
    later(5 * MINUTE + 1);
    expect(ids(await outbox.claim('bench-m', { limit: 10 }), tenant)).toEqual(['m5', 'm6']);
  });

  it("forgets events from their minute's feed and every consumer's minute list", async () => {
    const tenant = testTenantId();
    clock = new Date(Date.UTC(2032, 3, 1, 9, 14, 30));
    await summarized(tenant, 'gone');
    await summarized(tenant, 'kept');
    for (const consumer of ['bench-n', 'bench-p']) {
      const claimed = await outbox.claim(consumer, { limit: 100 });
      for (const event of claimed) await outbox.ack(consumer, event.id);
      expect(ids(claimed, tenant)).toEqual(['gone', 'kept']);
    }
    expect(await outbox.forget(tenant, ['gone'])).toBe(1);
    const kept = [eventId(tenant, 'kept')];
    expect((await feed().findOne({ _id: 'hour:2032-04-01T09:14' }))?.events).toEqual(kept);
    for (const consumer of ['bench-n', 'bench-p']) {
      const list = await done().findOne({ _id: `${consumer}|2032-04-01T09:14` });
      expect(list?.events).toEqual(kept);
    }
    expect(await controlText()).not.toContain(eventId(tenant, 'gone'));
  });

  it('reads, acknowledges into and forgets hour lists of the old layout', async () => {
    const tenant = testTenantId();
    const hour = '2032-05-01T08';
    const listedAt = new Date(`${hour}:10:00Z`);
    clock = new Date(`${hour}:30:00Z`);
    const expiresAt = new Date(listedAt.getTime() + 9 * DAY);
    // As the code before the minute lists left an hour: its events on the hour's document, and
    // bench-o's acknowledgement of o1 in its hour list.
    await store.control.collection('outbox_events').insertMany(
      ['o1', 'o2', 'o3'].map((meetingId) => ({
        _id: eventId(tenant, meetingId),
        type: 'meeting.summarized',
        tenantId: tenant,
        meetingId,
        createdAt: listedAt,
        expiresAt: new Date(listedAt.getTime() + 7 * DAY),
      })) as never[],
    );
    const old = ['o1', 'o2', 'o3'].map((meetingId) => eventId(tenant, meetingId));
    await feed().insertOne({ _id: `hour:${hour}`, events: old, expiresAt });
    await done().insertOne({ _id: `bench-o|${hour}`, events: [old[0]!], expiresAt });
    await done().updateOne(
      { _id: 'consumers' },
      { $addToSet: { events: 'bench-o' } },
      { upsert: true },
    );
    // This code publishes into the same hour: a minute list, named beside the old events.
    await summarized(tenant, 'n1');
    const index = await feed().findOne({ _id: `hour:${hour}` });
    expect(index?.events).toEqual(old);
    expect(index?.minutes).toEqual(['30']);

    const claimed = await outbox.claim('bench-o', { limit: 10 });
    expect(ids(claimed, tenant)).toEqual(['o2', 'o3', 'n1']);
    // An old event acknowledged now (by its minute, which the hour's index does not name).
    await outbox.ack('bench-o', old[1]!);
    later(5 * MINUTE + 1);
    expect(ids(await outbox.claim('bench-o', { limit: 10 }), tenant)).toEqual(['o3', 'n1']);

    expect(await outbox.forget(tenant, ['o1', 'o3', 'n1'])).toBe(3);
    expect((await feed().findOne({ _id: `hour:${hour}` }))?.events).toEqual([old[1]]);
    expect((await done().findOne({ _id: `bench-o|${hour}` }))?.events).toEqual([]);
    expect((await feed().findOne({ _id: `hour:${hour}:30` }))?.events).toEqual([]);
    // (Takeover markers of claims are left to expire: not lists.)
    const lists = JSON.stringify([await feed().find().toArray(), await done().find().toArray()]);
    for (const meeting of ['o1', 'o3', 'n1']) {
      expect(lists).not.toContain(eventId(tenant, meeting));
    }
    later(5 * MINUTE + 1);
    expect(ids(await outbox.claim('bench-o', { limit: 10 }), tenant)).toEqual([]);
  });

  it("sweeps expired minute lists with their hour's index", async () => {
    const tenant = testTenantId();
    // Lists of events three weeks old have expired by the real clock the sweep uses.
    clock = new Date(Date.now() - 21 * DAY);
    const hour = clock.toISOString().slice(0, 13);
    const minute = clock.toISOString().slice(14, 16);
    await summarized(tenant, 's1');
    await outbox.ack('bench-s', eventId(tenant, 's1'));
    const listIds = {
      feed: [`hour:${hour}`, `hour:${hour}:${minute}`],
      done: [`bench-s|${hour}:${minute}`],
    };
    const existing = async () =>
      [
        ...(await feed()
          .find({ _id: { $in: listIds.feed } })
          .toArray()),
        ...(await done()
          .find({ _id: { $in: listIds.done } })
          .toArray()),
      ].map((list) => list._id);
    expect((await existing()).sort()).toEqual([...listIds.feed, ...listIds.done].sort());

    const job = expireDocumentsJob(OUTBOX_COLLECTIONS);
    await job.run({}, { store, logger: createLogger({ level: 'silent' }) });
    expect(await existing()).toEqual([]);
  });
});
