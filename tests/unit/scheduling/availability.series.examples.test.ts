// `quorum slots` with a recurrence, by example: wall-clock time kept across clock changes, the
// skipped and repeated wall times, a monthly rule's day, a later occurrence pushed outside
// someone's hours by another zone's clock change, and malformed fields naming themselves.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  seriesHours,
  type AttendeeAvailability,
} from '../../../core/scheduling/availability/index.ts';
import { expandSeries } from '../../../core/scheduling/recurrence/expand.ts';
import { runSlotsCommand } from '../../../core/scheduling/slots-command.ts';

interface OutSlot {
  start: string;
  outsideHours?: { id: string; minutes: number }[];
  occurrences: { start: string; end: string }[];
}

function slots(request: object, all = true): OutSlot[] {
  const result = runSlotsCommand(JSON.stringify(request), { all });
  expect(result.stderr).toBe('');
  expect(result.exitCode).toBe(0);
  return (JSON.parse(result.stdout) as { slots: OutSlot[] }).slots;
}

const starts = (slot: OutSlot | undefined) => slot?.occurrences.map((o) => o.start);

/** One attendee in Berlin free all week, a one-hour window from `start`. */
function berlinSeries(start: string, recurrence: object, extra: object = {}) {
  return {
    timeZone: 'Europe/Berlin',
    window: { start, end: new Date(Date.parse(start) + 3_600_000).toISOString() },
    durationMinutes: 30,
    granularityMinutes: 60,
    now: '2026-01-01T00:00:00Z',
    recurrence,
    attendees: [{ id: 'ana@example.com', timeZone: 'Europe/Berlin' }],
    ...extra,
  };
}

describe('quorum slots: a series keeps its wall-clock time', () => {
  it('a weekly 10:00 Berlin series stays at 10:00 Berlin across the spring change', () => {
    const [slot] = slots(
      berlinSeries('2026-03-23T09:00:00Z', { frequency: 'weekly', interval: 1, count: 3 }),
    );
    expect(starts(slot)).toEqual([
      '2026-03-23T09:00:00.000Z', // 10:00 CET
      '2026-03-30T08:00:00.000Z', // 10:00 CEST
      '2026-04-06T08:00:00.000Z',
    ]);
    expect(slot?.occurrences[1]?.end).toBe('2026-03-30T08:30:00.000Z');
  });

  it('every other week: 14 days apart', () => {
    const [slot] = slots(
      berlinSeries('2026-03-16T09:00:00Z', { frequency: 'weekly', interval: 2, count: 3 }),
    );
    expect(starts(slot)).toEqual([
      '2026-03-16T09:00:00.000Z',
      '2026-03-30T08:00:00.000Z',
      '2026-04-13T08:00:00.000Z',
    ]);
  });

  it('a skipped wall time moves forward by the gap; a repeated one takes the earlier instant', () => {
    // 02:30 Berlin on Sunday 29 March does not exist (02:00 → 03:00): 03:30 CEST, 01:30Z.
    const [spring] = slots(
      berlinSeries(
        '2026-03-22T01:30:00Z',
        { frequency: 'weekly', count: 2 },
        {
          granularityMinutes: 30,
        },
      ),
    );
    expect(starts(spring)).toEqual(['2026-03-22T01:30:00.000Z', '2026-03-29T01:30:00.000Z']);
    // 02:30 Berlin on Sunday 25 October happens twice: the first, still CEST, is 00:30Z.
    const [autumn] = slots(
      berlinSeries(
        '2026-10-18T00:30:00Z',
        { frequency: 'weekly', count: 2 },
        {
          granularityMinutes: 30,
        },
      ),
    );
    expect(starts(autumn)).toEqual(['2026-10-18T00:30:00.000Z', '2026-10-25T00:30:00.000Z']);
  });

  it('a first occurrence at the second 02:30 of a fall-back night stays that instant', () => {
    // 02:30 Berlin on 25 October 2026 is 00:30Z (CEST) and again 01:30Z (CET).
    const request = berlinSeries(
      '2026-10-25T01:30:00Z',
      { frequency: 'weekly', count: 2 },
      { granularityMinutes: 30 },
    );
    const [slot] = slots(request);
    expect(starts(slot)).toEqual(['2026-10-25T01:30:00.000Z', '2026-11-01T01:30:00.000Z']);
    // Bookings expand the same series from the same instant.
    const booked = expandSeries({
      rule: { frequency: 'weekly', interval: 1, count: 2 },
      timeZone: 'Europe/Berlin',
      start: new Date('2026-10-25T01:30:00Z'),
      durationMinutes: 30,
    });
    expect(booked.map((o) => o.start.toISOString())).toEqual(starts(slot));
  });

  it('a monthly series is offered only on its rule day, then keeps to it', () => {
    const request = {
      ...berlinSeries('2026-03-01T00:00:00Z', {
        frequency: 'monthly',
        weekday: 'TU',
        ordinal: 1,
        count: 3,
      }),
      window: { start: '2026-03-01T00:00:00Z', end: '2026-03-08T00:00:00Z' },
      granularityMinutes: 60,
      attendees: [
        {
          id: 'ana@example.com',
          timeZone: 'Europe/Berlin',
          workingHours: [
            { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '10:00', end: '11:00' },
          ],
        },
      ],
    };
    const found = slots(request);
    expect(found.map((s) => s.start)).toEqual(['2026-03-03T09:00:00.000Z']); // the first Tuesday
    expect(starts(found[0])).toEqual([
      '2026-03-03T09:00:00.000Z',
      '2026-04-07T08:00:00.000Z',
      '2026-05-05T08:00:00.000Z',
    ]);
  });
});

describe('quorum slots: every occurrence must work', () => {
  // Berlin keeps 15:00 across 29 March; New York changed on 8 March, so from the 29th a 15:00
  // Berlin meeting is 09:00 in New York instead of 10:00, before Maya's day starts at 09:30.
  const request = {
    timeZone: 'Europe/Berlin',
    window: { start: '2026-03-09T14:00:00Z', end: '2026-03-09T15:00:00Z' },
    durationMinutes: 30,
    granularityMinutes: 60,
    now: '2026-03-01T00:00:00Z',
    recurrence: { frequency: 'weekly', count: 5 },
    attendees: [
      {
        id: 'ana@example.com',
        timeZone: 'Europe/Berlin',
        workingHours: [{ days: ['mon'], start: '09:00', end: '17:00' }],
      },
      {
        id: 'maya@example.com',
        timeZone: 'America/New_York',
        workingHours: [{ days: ['mon'], start: '09:30', end: '17:00' }],
      },
    ],
  };

  it('a fifth occurrence outside someone’s hours after a clock change rules the series out', () => {
    expect(slots({ ...request, recurrence: { frequency: 'weekly', count: 3 } })).toHaveLength(1);
    expect(slots(request)).toEqual([]);
    expect(slots(request, false)).toEqual([]);
  });

  it('with working hours preferred, it is offered with the minutes outside summed over the series', () => {
    const [slot] = slots({ ...request, workingHours: 'preferred' });
    expect(slot?.start).toBe('2026-03-09T14:00:00.000Z');
    // The 4th and 5th occurrences (30 Mar, 6 Apr) each start 30 minutes before 09:30.
    expect(slot?.outsideHours).toEqual([{ id: 'maya@example.com', minutes: 60 }]);
  });

  it('series-times’ check (seriesHours) agrees for series found elsewhere', () => {
    const [slot] = slots({ ...request, workingHours: 'preferred' });
    const occurrences = slot!.occurrences.map((o) => ({
      start: Date.parse(o.start),
      end: Date.parse(o.end),
    }));
    const attendees = request.attendees.map(
      (a) => ({ ...a, optional: false, busy: [] }) as AttendeeAvailability,
    );
    expect(seriesHours(attendees, 'required', [occurrences.slice(0, 3), occurrences])).toEqual([
      { fits: true, outsideHours: [] },
      { fits: false, outsideHours: [{ id: 'maya@example.com', minutes: 60 }] },
    ]);
    expect(seriesHours(attendees, 'preferred', [occurrences])).toEqual([
      { fits: true, outsideHours: [{ id: 'maya@example.com', minutes: 60 }] },
    ]);
    const never = [{ ...attendees[1]!, acceptableHours: { start: '09:15', end: '18:00' } }];
    expect(seriesHours(never, 'preferred', [occurrences])[0]?.fits).toBe(false);
  });

  it('a busy later occurrence rules the series out; notice is counted to the first', () => {
    const busy = { start: '2026-04-06T13:00:00Z', end: '2026-04-06T14:00:00Z' };
    const blocked = {
      ...request,
      recurrence: { frequency: 'weekly', count: 3 },
      window: { start: '2026-03-23T14:00:00Z', end: '2026-03-23T15:00:00Z' },
      attendees: [{ ...request.attendees[0], busy: [busy] }],
    };
    expect(slots(blocked)).toEqual([]);
    expect(slots({ ...blocked, bufferMinutes: 0, attendees: [request.attendees[0]] })).toHaveLength(
      1,
    );
    // Notice is measured from the first occurrence: a day's notice given a minute too late.
    const free = { ...blocked, attendees: [request.attendees[0]], minNoticeMinutes: 24 * 60 };
    expect(slots({ ...free, now: '2026-03-22T14:00:00Z' })).toHaveLength(1);
    expect(slots({ ...free, now: '2026-03-22T14:01:00Z' })).toEqual([]);
  });
});

describe('quorum slots: a malformed recurrence exits 2 naming the field', () => {
  const base = berlinSeries('2026-03-23T09:00:00Z', {});
  const cases: [object, RegExp][] = [
    [{ frequency: 'daily', count: 3 }, /^recurrence\.frequency: /],
    [{ frequency: 'weekly' }, /^recurrence\.count: is required/],
    [{ frequency: 'weekly', count: 1 }, /^recurrence\.count: /],
    [{ frequency: 'weekly', count: 3, interval: 0 }, /^recurrence\.interval: /],
    [{ frequency: 'weekly', count: 3, interval: 1.5 }, /^recurrence\.interval: /],
    [{ frequency: 'weekly', count: 3, until: '2026-05-01' }, /^recurrence\.until: /],
    [{ frequency: 'weekly', count: 3, byday: 'MO' }, /^recurrence\.byday: unknown field/],
    [{ frequency: 'monthly', weekday: 'TU', ordinal: 5, count: 3 }, /^recurrence\.ordinal: /],
    [{ frequency: 'monthly', weekday: 'TUE', ordinal: 1, count: 3 }, /^recurrence\.weekday: /],
    [{ frequency: 'monthly', ordinal: 1, count: 3 }, /^recurrence\.weekday: /],
    // 60 weeks every 8 weeks runs far past 400 days.
    [{ frequency: 'weekly', interval: 8, count: 60 }, /^recurrence\.count: .*400 days/],
    [{ frequency: 'monthly', weekday: 'MO', ordinal: 1, interval: 6, count: 4 }, /400 days/],
  ];
  it.each(cases)('%j', (recurrence, message) => {
    const result = runSlotsCommand(JSON.stringify({ ...base, recurrence }), { all: true });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });

  it('a series of up to 400 days is taken: weekly for 58 weeks', () => {
    const result = runSlotsCommand(
      JSON.stringify({ ...base, recurrence: { frequency: 'weekly', count: 58 } }),
      { all: true },
    );
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout).slots[0].occurrences).toHaveLength(58);
  });

  it('through the real command: occurrences on stdout, exit 2 naming recurrence.ordinal', () => {
    const quorum = (input: object) =>
      spawnSync(process.execPath, ['bin/quorum.js', 'slots', '--all'], {
        env: { PATH: process.env.PATH ?? '' },
        encoding: 'utf8',
        input: JSON.stringify(input),
      });
    const good = quorum({ ...base, recurrence: { frequency: 'weekly', count: 2 } });
    expect(good.status).toBe(0);
    const [slot] = (JSON.parse(good.stdout) as { slots: OutSlot[] }).slots;
    expect(starts(slot)).toEqual(['2026-03-23T09:00:00.000Z', '2026-03-30T08:00:00.000Z']);
    const bad = quorum({
      ...base,
      recurrence: { frequency: 'monthly', weekday: 'MO', ordinal: 0, count: 2 },
    });
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/^recurrence\.ordinal: /);
  });
});
