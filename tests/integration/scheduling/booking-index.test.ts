// The booking index on the real database: a person's upcoming bookings across months, the
// capped "latest" lists, and entries a stop half-way left behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  indexBooking,
  latestFromConversation,
  latestOrganizedBy,
  recordBooking,
  RECENT_KEPT,
  upcomingOf,
  BookingIndex,
  indexIds,
} from '../../../core/scheduling/booking/booking-index.ts';
import type { BookingDoc } from '../../../core/scheduling/booking/booking-model.ts';
import { openStore, type Store } from '../../../core/store/store.ts';
import { verifiedTenantContext, type TenantContext } from '../../../core/store/tenant-context.ts';
import { mongoUri, testTenantId } from '../../support/db.ts';

let store: Store;
beforeAll(async () => {
  store = await openStore({ uri: mongoUri() });
});
afterAll(async () => {
  await store.close();
});

const fresh = (): TenantContext => verifiedTenantContext(testTenantId(), 'system');

function booking(id: string, start: string, minutes: number, made: number): BookingDoc {
  const begins = new Date(start);
  return {
    _id: id,
    idempotencyKey: `key-${id}`,
    status: 'confirmed',
    organizerId: 'u-ana',
    organizerEmail: 'ana@acme.example',
    title: id,
    start: begins,
    end: new Date(begins.getTime() + minutes * 60_000),
    timeZone: 'UTC',
    attendees: [{ email: 'raj@acme.example', optional: false }],
    linkType: 'none',
    joinUrl: null,
    provider: 'local',
    providerEventId: null,
    origin: { platform: 'slack', conversationId: 'T1:C1' },
    followUpOf: null,
    createdAt: new Date(Date.UTC(2027, 0, 1, 0, made)),
    updatedAt: new Date(Date.UTC(2027, 0, 1, 0, made)),
  };
}

describe('booking index', () => {
  it("lists a person's bookings by start across months, including one that spans into the next", async () => {
    const ctx = fresh();
    // Ends in April, starts before the last March one: found by reading one month further.
    const long = booking('long', '2027-03-31T20:00:00Z', 300, 1);
    const late = booking('late', '2027-03-31T22:00:00Z', 30, 2);
    const early = booking('early', '2027-03-10T09:00:00Z', 30, 3);
    const may = booking('may', '2027-05-03T09:00:00Z', 30, 4);
    for (const b of [long, late, early, may]) await recordBooking(store, ctx, b);
    const from = new Date('2027-03-01T00:00:00Z');
    const asAttendee = await upcomingOf(
      store,
      ctx,
      { userId: 'u-raj', email: 'raj@acme.example' },
      { from, limit: 2 },
    );
    expect(asAttendee.map((b) => b._id)).toEqual(['early', 'long']);
    const all = await upcomingOf(
      store,
      ctx,
      { userId: 'u-ana', email: 'ana@acme.example' },
      { from, limit: 10 },
    );
    expect(all.map((b) => b._id)).toEqual(['early', 'long', 'late', 'may']);
    // Ended before `from`: left out.
    const later = await upcomingOf(
      store,
      ctx,
      { userId: 'u-ana', email: null },
      { from: new Date('2027-04-01T00:00:00Z'), limit: 10 },
    );
    expect(later.map((b) => b._id)).toEqual(['long', 'may']);
  });

  it('skips an entry whose booking was cancelled without being taken off the list', async () => {
    const ctx = fresh();
    const kept = booking('kept', '2027-03-10T09:00:00Z', 30, 1);
    const gone = booking('gone', '2027-03-09T09:00:00Z', 30, 2);
    await recordBooking(store, ctx, kept);
    await recordBooking(store, ctx, gone);
    // Stored as cancelled; a stop before the lists changed left its entries behind.
    await recordBooking(store, ctx, { ...gone, status: 'cancelled' });
    const found = await upcomingOf(
      store,
      ctx,
      { userId: 'u-ana', email: null },
      { from: new Date('2027-03-01T00:00:00Z'), limit: 10 },
    );
    expect(found.map((b) => b._id)).toEqual(['kept']);
    expect((await latestOrganizedBy(store, ctx, 'u-ana'))?._id).toBe('kept');
    const here = await latestFromConversation(
      store,
      ctx,
      { platform: 'slack', conversationId: 'T1:C1' },
      20,
    );
    expect(here.map((b) => b._id)).toEqual(['kept']);
  });

  it(`keeps the latest ${RECENT_KEPT} of a conversation, and never adds an older one back`, async () => {
    const ctx = fresh();
    const made = Array.from({ length: RECENT_KEPT + 5 }, (_, i) =>
      booking(`b${i}`, '2027-03-10T09:00:00Z', 30, i),
    );
    for (const b of made) await recordBooking(store, ctx, b);
    const Index = await store.tenantModel(ctx, BookingIndex);
    const listed = async () =>
      Object.keys(
        (await Index.findById(indexIds.conversation('slack', 'T1:C1')).lean())?.recent ?? {},
      ).sort();
    const newest = made
      .slice(5)
      .map((b) => b._id)
      .sort();
    expect(await listed()).toEqual(newest);
    // Indexed again (a reschedule of the oldest): still not among the latest, so not listed.
    await indexBooking(store, ctx, made[0]!);
    expect(await listed()).toEqual(newest);
    const latest = await latestFromConversation(
      store,
      ctx,
      { platform: 'slack', conversationId: 'T1:C1' },
      3,
    );
    expect(latest.map((b) => b._id)).toEqual(['b54', 'b53', 'b52']);
  });
});
