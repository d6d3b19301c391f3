// Booking a weekly series through the real server on colleagues' local calendars: every
// occurrence checked (one free/busy read per calendar), the record keeping the rule, its zone and
// its exceptions, one meeting moved, one cancelled and the rest cancelled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Booking } from '../../../core/scheduling/booking/booking-model.ts';
import { verifiedTenantContext } from '../../../core/store/tenant-context.ts';
import { json, startTestQuorum, type Browser, type TestQuorum } from '../../support/quorum-app.ts';
import { localCalendarOf, seedBusy, setUpAnaAndRaj } from './booking-org.ts';

let app: TestQuorum;
let ana: Browser; // organizer, Berlin
let tenantId: string;

beforeAll(async () => {
  app = await startTestQuorum();
  // Ana works 09:00–17:00 in Berlin, Raj 10:00–18:00 in Kolkata (UTC+5:30).
  ({ ana, tenantId } = await setUpAnaAndRaj(app));
});
afterAll(async () => {
  await app?.stop();
});

// Tuesdays 10:00 Berlin from 13 October 2027 (summer time) to 17 November (winter time).
const FIRST = { start: '2027-10-12T08:00:00.000Z', end: '2027-10-12T08:30:00.000Z' };
const STARTS = [
  '2027-10-12T08:00:00.000Z',
  '2027-10-19T08:00:00.000Z',
  '2027-10-26T08:00:00.000Z',
  '2027-11-02T09:00:00.000Z',
  '2027-11-09T09:00:00.000Z',
  '2027-11-16T09:00:00.000Z',
];
const weekly = { frequency: 'weekly', interval: 1, count: 6 };

async function rajBusyStarts() {
  const calendar = localCalendarOf(app, tenantId, 'raj@acme.example');
  const span = { start: new Date('2027-10-11T00:00:00Z'), end: new Date('2027-11-30T00:00:00Z') };
  const lookup = (await calendar.freeBusy({ calendars: ['raj@acme.example'], ...span }))[
    'raj@acme.example'
  ]!;
  if (!lookup.ok) throw new Error(lookup.message);
  return lookup.busy.map((b) => new Date(b.start).toISOString()).sort();
}

describe('booking a series', () => {
  it('refuses a malformed or unbounded rule with a 400 naming the field, writing nothing', async () => {
    const bad = async (recurrence: unknown) => {
      const res = await ana.request('/api/bookings', {
        method: 'POST',
        json: {
          title: 'Bad',
          ...FIRST,
          attendees: [{ email: 'raj@acme.example' }],
          recurrence,
          idempotencyKey: `bad-${JSON.stringify(recurrence)}`,
        },
      });
      expect(res.status).toBe(400);
      return (await json(res)).message as string;
    };
    expect(await bad({ frequency: 'weekly', count: 500 })).toMatch(
      /^recurrence\.count: at most 60/,
    );
    expect(await bad({ frequency: 'weekly' })).toMatch(
      /^recurrence\.count: give exactly one of count/,
    );
    expect(await bad({ frequency: 'weekly', interval: 8, count: 60 })).toMatch(
      /^recurrence\.count: .*400 days/,
    );
    expect(await bad({ frequency: 'monthly', weekday: 'MO', ordinal: 1, count: 3 })).toMatch(
      /^recurrence\.ordinal: the first occurrence/,
    );
    const ctx = verifiedTenantContext(tenantId, 'system');
    expect(await (await app.quorum.store.tenantModel(ctx, Booking)).find({}).lean()).toEqual([]);
  });

  it('refuses a series when one meeting is taken, naming it; books it when conflicts are allowed', async () => {
    await seedBusy(
      app,
      tenantId,
      'raj@acme.example',
      'Offsite',
      new Date('2027-11-09T08:30:00Z'),
      new Date('2027-11-09T10:00:00Z'),
    );
    const request = {
      title: 'Weekly sync',
      ...FIRST,
      attendees: [{ email: 'raj@acme.example' }],
      recurrence: weekly,
      idempotencyKey: 'series-conflict-1',
    };
    const refused = await ana.request('/api/bookings', { method: 'POST', json: request });
    expect(refused.status).toBe(409);
    expect((await json(refused)).message).toMatch(
      /^1 of the meetings are not free for everyone \(Tue 9 Nov\)/,
    );
    const allowed = await ana.request('/api/bookings', {
      method: 'POST',
      json: { ...request, allowConflicts: true },
    });
    expect(allowed.status).toBe(201);
    const body = await json(allowed);
    expect(body.conflicts).toEqual([
      { index: 4, start: STARTS[4], end: '2027-11-09T09:30:00.000Z', people: ['raj@acme.example'] },
    ]);
    const cancelled = await ana.request(`/api/bookings/${body.booking._id}`, { method: 'DELETE' });
    expect(cancelled.status).toBe(200);
    expect(await rajBusyStarts()).toEqual(['2027-11-09T08:30:00.000Z']);
  });

  it('books one series at 10:00 Berlin across the DST change; moves one meeting, cancels one and the rest', async () => {
    const res = await ana.request('/api/bookings', {
      method: 'POST',
      json: {
        title: 'Team sync',
        start: '2027-10-12T07:00:00.000Z',
        end: '2027-10-12T07:30:00.000Z',
        attendees: [{ email: 'raj@acme.example' }],
        recurrence: weekly,
        idempotencyKey: 'series-main-1',
      },
    });
    expect(res.status).toBe(201);
    const { booking } = await json(res);
    const at9 = STARTS.map((s) => new Date(new Date(s).getTime() - 3_600_000).toISOString());
    expect(booking.series).toMatchObject({
      rule: weekly,
      timeZone: 'Europe/Berlin',
      cancelled: [],
      moved: [],
      lastEnd: '2027-11-16T08:30:00.000Z',
    });
    const busy = (await rajBusyStarts()).filter((s) => s !== '2027-11-09T08:30:00.000Z');
    expect(busy).toEqual(at9);

    const change = (body: unknown) =>
      ana.request(`/api/bookings/${booking._id}/occurrences`, { method: 'POST', json: body });
    expect(
      (
        await change({
          action: 'move',
          original: at9[2],
          start: '2027-10-27T12:00:00.000Z',
          end: '2027-10-27T12:30:00.000Z',
        })
      ).status,
    ).toBe(200);
    expect((await change({ action: 'cancel', original: at9[1] })).status).toBe(200);
    const rest = await change({ action: 'cancel-rest', original: at9[4] });
    expect(rest.status).toBe(200);
    expect((await json(rest)).booking.series).toMatchObject({
      rule: { frequency: 'weekly', interval: 1, until: '2027-11-02' },
      cancelled: [at9[1]],
      moved: [
        { original: at9[2], start: '2027-10-27T12:00:00.000Z', end: '2027-10-27T12:30:00.000Z' },
      ],
      lastEnd: '2027-11-02T08:30:00.000Z',
    });
    expect((await rajBusyStarts()).filter((s) => s !== '2027-11-09T08:30:00.000Z')).toEqual([
      at9[0],
      '2027-10-27T12:00:00.000Z',
      at9[3],
    ]);

    const whole = await ana.request(`/api/bookings/${booking._id}/reschedule`, {
      method: 'POST',
      json: { start: '2027-10-13T07:00:00.000Z', end: '2027-10-13T07:30:00.000Z' },
    });
    expect(whole.status).toBe(400);
    expect((await json(whole)).message).toMatch(/^This meeting repeats: move one meeting/);
    const wrong = await change({ action: 'cancel', original: '2027-10-13T07:00:00.000Z' });
    expect(wrong.status).toBe(404);
    const malformed = await change({ action: 'skip', original: at9[0] });
    expect(malformed.status).toBe(400);
    expect((await json(malformed)).message).toMatch(/^action: action must be/);

    // The record is read by its exact _id and keeps the series.
    const ctx = verifiedTenantContext(tenantId, 'system');
    const stored = await (
      await app.quorum.store.tenantModel(ctx, Booking)
    )
      .findById(booking._id)
      .lean();
    expect(stored?.series?.rule).toEqual({ frequency: 'weekly', interval: 1, until: '2027-11-02' });
  });

  it('offers a first time only when every occurrence is free; with conflicts allowed, names them', async () => {
    // Raj is away Tuesday 9 November 09:30-11:00 Berlin (seeded above): starts at 09:30-10:30
    // Berlin are out for a weekly series from 12 October, whose fifth meeting falls that day.
    const find = async (extra: object) => {
      const res = await ana.request('/api/scheduling/find', {
        method: 'POST',
        json: {
          attendees: [{ email: 'raj@acme.example' }],
          durationMinutes: 30,
          window: { start: '2027-10-11T22:00:00Z', end: '2027-10-12T22:00:00Z' },
          recurrence: weekly,
          limit: 50,
          ...extra,
        },
      });
      expect(res.status).toBe(200);
      return (await json(res)).slots as Array<{
        start: string;
        occurrences: Array<{ start: string }>;
        conflicts: Array<{ index: number; people: string[] }>;
      }>;
    };
    const clean = await find({});
    expect(clean.length).toBeGreaterThan(3);
    const taken = [
      '2027-10-12T07:30:00.000Z',
      '2027-10-12T08:00:00.000Z',
      '2027-10-12T08:30:00.000Z',
    ];
    for (const slot of clean) {
      expect(slot.conflicts).toEqual([]);
      expect(taken).not.toContain(slot.start);
      expect(slot.occurrences).toHaveLength(6);
      // The wall-clock time stays in Berlin: an hour later in UTC after 31 October.
      expect(Date.parse(slot.occurrences[3]!.start) - Date.parse(slot.start)).toBe(
        (21 * 24 + 1) * 3_600_000,
      );
    }
    const all = await find({ allowConflicts: true });
    const eight = all.find((s) => s.start === '2027-10-12T08:00:00.000Z');
    expect(eight?.conflicts).toEqual([
      expect.objectContaining({ index: 4, people: ['raj@acme.example'] }),
    ]);
    expect(all.indexOf(eight!)).toBeGreaterThanOrEqual(clean.length);

    const unbounded = await ana.request('/api/scheduling/find', {
      method: 'POST',
      json: {
        attendees: [],
        durationMinutes: 30,
        window: { start: '2027-10-11T22:00:00Z', end: '2027-10-12T22:00:00Z' },
        recurrence: { frequency: 'weekly', interval: 8, count: 60 },
      },
    });
    expect(unbounded.status).toBe(400);
    expect((await json(unbounded)).message).toMatch(/^recurrence\.count: .*400 days/);
  });
});
