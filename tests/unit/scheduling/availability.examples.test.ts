// Worked examples for the availability engine: clock changes, odd offsets, night shifts,
// optional attendees and what moves a slot up or down the ranking.
import { describe, expect, it } from 'vitest';
import {
  findAllSlots,
  findBestSlots,
  type SlotSearch,
} from '../../../core/scheduling/availability/index.ts';
import { runSlotsCommand } from '../../../core/scheduling/slots-command.ts';

interface OutputSlot {
  start: string;
  end: string;
  score: number;
  available: string[];
  unavailable: string[];
  reasons: Record<string, { value: number; weight: number; note: string }>;
}

function slots(request: object, all = false): OutputSlot[] {
  const result = runSlotsCommand(JSON.stringify(request), { all });
  expect(result.stderr).toBe('');
  expect(result.exitCode).toBe(0);
  return (JSON.parse(result.stdout) as { slots: OutputSlot[] }).slots;
}

const starts = (found: OutputSlot[]) => found.map((slot) => slot.start);
const at = (found: OutputSlot[], start: string): OutputSlot => {
  const slot = found.find((s) => s.start === start);
  if (!slot) throw new Error(`no slot at ${start}`);
  return slot;
};

/** One required attendee working `start`–`end` on `days` in `zone`, searched in `zone`. */
function oneAttendee(
  zone: string,
  days: string[],
  start: string,
  end: string,
  window: [string, string],
  extra: object = {},
) {
  return {
    timeZone: zone,
    window: { start: window[0], end: window[1] },
    durationMinutes: 30,
    granularityMinutes: 30,
    now: '2026-01-01T00:00:00Z',
    attendees: [{ id: 'a@example.com', timeZone: zone, workingHours: [{ days, start, end }] }],
    ...extra,
  };
}

describe('clock changes', () => {
  it('a working day across the New York spring-forward gap is wall-clock time', () => {
    // 2026-03-08: 02:00 EST jumps to 03:00 EDT. 01:00–04:00 is two real hours.
    const request = oneAttendee('America/New_York', ['sun'], '01:00', '04:00', [
      '2026-03-08T00:00:00Z',
      '2026-03-09T00:00:00Z',
    ]);
    expect(starts(slots(request, true))).toEqual([
      '2026-03-08T06:00:00.000Z', // 01:00 EST
      '2026-03-08T06:30:00.000Z', // 01:30 EST
      '2026-03-08T07:00:00.000Z', // 03:00 EDT
      '2026-03-08T07:30:00.000Z', // 03:30 EDT, ends 04:00 EDT
    ]);
  });

  it('a start inside the skipped hour moves forward by the gap', () => {
    // 02:30 does not exist on 2026-03-08 in New York; it becomes 03:30 EDT.
    const request = oneAttendee('America/New_York', ['sun'], '02:30', '04:00', [
      '2026-03-08T00:00:00Z',
      '2026-03-09T00:00:00Z',
    ]);
    expect(starts(slots(request, true))).toEqual(['2026-03-08T07:30:00.000Z']);
  });

  it('an ambiguous start on the fall-back night takes the earlier instant, and repeated wall times align twice', () => {
    // 2026-11-01: 02:00 EDT falls back to 01:00 EST. 01:30 is read as 01:30 EDT (05:30Z).
    const request = oneAttendee('America/New_York', ['sun'], '01:30', '03:00', [
      '2026-11-01T00:00:00Z',
      '2026-11-02T00:00:00Z',
    ]);
    expect(starts(slots(request, true))).toEqual([
      '2026-11-01T05:30:00.000Z', // 01:30 EDT
      '2026-11-01T06:00:00.000Z', // 01:00 EST
      '2026-11-01T06:30:00.000Z', // 01:30 EST
      '2026-11-01T07:00:00.000Z', // 02:00 EST
      '2026-11-01T07:30:00.000Z', // 02:30 EST, ends 03:00 EST
    ]);
  });

  it('Lord Howe falls back 30 minutes and repeats 01:30–02:00', () => {
    // 2026-04-05: 02:00 (+11:00) becomes 01:30 (+10:30).
    const request = oneAttendee('Australia/Lord_Howe', ['sun'], '01:00', '03:00', [
      '2026-04-04T00:00:00Z',
      '2026-04-05T00:00:00Z',
    ]);
    expect(starts(slots(request, true))).toEqual([
      '2026-04-04T14:00:00.000Z', // 01:00 +11:00
      '2026-04-04T14:30:00.000Z', // 01:30 +11:00
      '2026-04-04T15:00:00.000Z', // 01:30 +10:30
      '2026-04-04T15:30:00.000Z', // 02:00 +10:30
      '2026-04-04T16:00:00.000Z', // 02:30 +10:30, ends 03:00
    ]);
  });

  it('Lord Howe springs forward 30 minutes; a start in the gap moves forward 30 minutes', () => {
    // 2026-10-04: 02:00 (+10:30) becomes 02:30 (+11:00); 02:15 becomes 02:45 (+11:00).
    const request = oneAttendee(
      'Australia/Lord_Howe',
      ['sun'],
      '02:15',
      '04:00',
      ['2026-10-03T00:00:00Z', '2026-10-04T00:00:00Z'],
      { granularityMinutes: 15 },
    );
    expect(starts(slots(request, true))).toEqual([
      '2026-10-03T15:45:00.000Z', // 02:45 +11:00
      '2026-10-03T16:00:00.000Z',
      '2026-10-03T16:15:00.000Z',
      '2026-10-03T16:30:00.000Z', // ends 04:00 +11:00
    ]);
  });
});

describe('alignment and working hours', () => {
  it('aligns starts to the wall clock of a +05:45 zone', () => {
    const found = slots(
      {
        timeZone: 'Asia/Kathmandu',
        window: { start: '2026-03-23T00:00:00Z', end: '2026-03-23T03:00:00Z' },
        durationMinutes: 30,
        granularityMinutes: 60,
        now: '2026-03-01T00:00:00Z',
        attendees: [{ id: 'a@example.com', timeZone: 'UTC' }],
      },
      true,
    );
    // 06:00, 07:00 and 08:00 in Kathmandu.
    expect(starts(found)).toEqual([
      '2026-03-23T00:15:00.000Z',
      '2026-03-23T01:15:00.000Z',
      '2026-03-23T02:15:00.000Z',
    ]);
  });

  it('reads a Kathmandu attendee’s hours in Kathmandu while aligning in UTC', () => {
    const found = slots(
      {
        timeZone: 'UTC',
        window: { start: '2026-03-23T00:00:00Z', end: '2026-03-24T00:00:00Z' },
        durationMinutes: 30,
        now: '2026-03-01T00:00:00Z',
        attendees: [
          {
            id: 'a@example.com',
            timeZone: 'Asia/Kathmandu',
            workingHours: [{ days: ['mon'], start: '09:00', end: '10:00' }],
          },
        ],
      },
      true,
    );
    // 09:00–10:00 +05:45 is 03:15–04:15Z; starts on the UTC quarter hours.
    expect(starts(found)).toEqual([
      '2026-03-23T03:15:00.000Z',
      '2026-03-23T03:30:00.000Z',
      '2026-03-23T03:45:00.000Z',
    ]);
  });

  it('a night shift ends on the next day, and only starts on the days it names', () => {
    const request = oneAttendee(
      'UTC',
      ['mon'],
      '22:00',
      '06:00',
      ['2026-03-23T00:00:00Z', '2026-03-25T12:00:00Z'],
      { durationMinutes: 60, granularityMinutes: 60 },
    );
    expect(starts(slots(request, true))).toEqual([
      '2026-03-23T22:00:00.000Z',
      '2026-03-23T23:00:00.000Z',
      '2026-03-24T00:00:00.000Z',
      '2026-03-24T01:00:00.000Z',
      '2026-03-24T02:00:00.000Z',
      '2026-03-24T03:00:00.000Z',
      '2026-03-24T04:00:00.000Z',
      '2026-03-24T05:00:00.000Z',
    ]);
  });

  it('without working hours an attendee can meet at any time, and granularity defaults to 15', () => {
    const found = slots(
      {
        timeZone: 'UTC',
        window: { start: '2026-03-23T02:00:00Z', end: '2026-03-23T03:00:00Z' },
        durationMinutes: 30,
        now: '2026-03-01T00:00:00Z',
        attendees: [{ id: 'a@example.com', timeZone: 'Asia/Tokyo', workingHours: [] }],
      },
      true,
    );
    expect(starts(found)).toEqual([
      '2026-03-23T02:00:00.000Z',
      '2026-03-23T02:15:00.000Z',
      '2026-03-23T02:30:00.000Z',
    ]);
  });

  it('busy time blocks with its buffers; touching is not meeting', () => {
    const request = (bufferMinutes: number) => ({
      timeZone: 'UTC',
      window: { start: '2026-03-23T09:00:00Z', end: '2026-03-23T12:00:00Z' },
      durationMinutes: 30,
      bufferMinutes,
      now: '2026-03-01T00:00:00Z',
      attendees: [
        {
          id: 'a@example.com',
          timeZone: 'UTC',
          busy: [{ start: '2026-03-23T10:00:00Z', end: '2026-03-23T11:00:00Z' }],
        },
      ],
    });
    expect(starts(slots(request(0), true))).toEqual([
      '2026-03-23T09:00:00.000Z',
      '2026-03-23T09:15:00.000Z',
      '2026-03-23T09:30:00.000Z', // ends as the meeting starts
      '2026-03-23T11:00:00.000Z', // starts as it ends
      '2026-03-23T11:15:00.000Z',
      '2026-03-23T11:30:00.000Z',
    ]);
    expect(starts(slots(request(15), true))).toEqual([
      '2026-03-23T09:00:00.000Z',
      '2026-03-23T09:15:00.000Z',
      '2026-03-23T11:15:00.000Z',
      '2026-03-23T11:30:00.000Z',
    ]);
  });

  it('out-of-office blocks, free does not, and minimum notice counts from now', () => {
    const found = slots(
      {
        timeZone: 'UTC',
        window: { start: '2026-03-23T09:00:00Z', end: '2026-03-23T12:00:00Z' },
        durationMinutes: 60,
        granularityMinutes: 60,
        now: '2026-03-23T08:50:00Z',
        minNoticeMinutes: 60,
        attendees: [
          {
            id: 'a@example.com',
            timeZone: 'UTC',
            busy: [
              { start: '2026-03-23T10:00:00Z', end: '2026-03-23T11:00:00Z', status: 'free' },
              { start: '2026-03-23T11:00:00Z', end: '2026-03-23T12:00:00Z', status: 'oof' },
            ],
          },
        ],
      },
      true,
    );
    expect(starts(found)).toEqual(['2026-03-23T10:00:00.000Z']);
  });
});

describe('optional attendees and ranking', () => {
  const base = {
    timeZone: 'UTC',
    window: { start: '2026-03-23T09:00:00Z', end: '2026-03-23T12:00:00Z' },
    durationMinutes: 60,
    granularityMinutes: 60,
    now: '2026-03-01T00:00:00Z',
  };

  it('optional attendees never block; each slot says who can come', () => {
    const found = slots(
      {
        ...base,
        attendees: [
          { id: 'ana@example.com', timeZone: 'UTC' },
          {
            id: 'bob@example.com',
            timeZone: 'UTC',
            optional: true,
            busy: [{ start: '2026-03-23T10:00:00Z', end: '2026-03-23T11:00:00Z' }],
          },
        ],
      },
      true,
    );
    expect(
      found.map(({ start, available, unavailable }) => [start, available, unavailable]),
    ).toEqual([
      ['2026-03-23T09:00:00.000Z', ['ana@example.com', 'bob@example.com'], []],
      ['2026-03-23T10:00:00.000Z', ['ana@example.com'], ['bob@example.com']],
      ['2026-03-23T11:00:00.000Z', ['ana@example.com', 'bob@example.com'], []],
    ]);
    expect(at(found, '2026-03-23T10:00:00.000Z').reasons.optionalAttendees?.value).toBe(0);
    const ranked = slots({
      ...base,
      attendees: [
        { id: 'ana@example.com', timeZone: 'UTC' },
        {
          id: 'bob@example.com',
          timeZone: 'UTC',
          optional: true,
          busy: [{ start: '2026-03-23T09:00:00Z', end: '2026-03-23T10:00:00Z' }],
        },
      ],
    });
    expect(ranked[0]?.start).toBe('2026-03-23T10:00:00.000Z');
  });

  it('an optional attendee outside their working hours is unavailable and lowers the score', () => {
    const found = slots(
      {
        ...base,
        attendees: [
          { id: 'ana@example.com', timeZone: 'UTC' },
          {
            id: 'raj@example.com',
            timeZone: 'Asia/Kolkata',
            optional: true,
            // 15:00–16:30 IST is 09:30–11:00Z.
            workingHours: [{ days: ['mon'], start: '15:00', end: '16:30' }],
          },
        ],
      },
      true,
    );
    const early = at(found, '2026-03-23T09:00:00.000Z');
    const inside = at(found, '2026-03-23T10:00:00.000Z');
    const late = at(found, '2026-03-23T11:00:00.000Z');
    expect(inside.available).toContain('raj@example.com');
    expect(early.unavailable).toEqual(['raj@example.com']);
    expect(late.unavailable).toEqual(['raj@example.com']);
    expect(inside.reasons.workingHours?.value).toBe(1);
    expect(early.reasons.workingHours?.value).toBe(0.5);
    expect(inside.score).toBeGreaterThan(early.score);
    expect(inside.score).toBeGreaterThan(late.score);
  });

  it('a tentative hold does not block but lowers the score', () => {
    const request = (status: string) => ({
      ...base,
      attendees: [
        {
          id: 'ana@example.com',
          timeZone: 'UTC',
          busy: [{ start: '2026-03-23T10:00:00Z', end: '2026-03-23T10:30:00Z', status }],
        },
      ],
    });
    const withHold = slots(request('tentative'), true);
    const withoutHold = slots(request('free'), true);
    expect(starts(withHold)).toEqual(starts(withoutHold));
    const held = at(withHold, '2026-03-23T10:00:00.000Z');
    expect(held.reasons.tentative?.value).toBe(0);
    expect(held.reasons.tentative?.note).toMatch(/tentative/);
    expect(held.score).toBeLessThan(at(withoutHold, '2026-03-23T10:00:00.000Z').score);
    expect(slots(request('tentative'))[0]?.start).not.toBe('2026-03-23T10:00:00.000Z');
  });

  it('prefers a slot next to an existing meeting to one that splits free time', () => {
    const found = slots(
      {
        timeZone: 'UTC',
        window: { start: '2026-03-23T00:00:00Z', end: '2026-03-24T00:00:00Z' },
        durationMinutes: 30,
        granularityMinutes: 30,
        now: '2026-03-01T00:00:00Z',
        attendees: [
          {
            id: 'ana@example.com',
            timeZone: 'UTC',
            workingHours: [{ days: ['mon'], start: '09:00', end: '17:00' }],
            busy: [{ start: '2026-03-23T10:00:00Z', end: '2026-03-23T11:00:00Z' }],
          },
        ],
      },
      true,
    );
    const besideMeeting = at(found, '2026-03-23T11:00:00.000Z');
    const splitting = at(found, '2026-03-23T13:30:00.000Z');
    const atDayEnd = at(found, '2026-03-23T16:30:00.000Z');
    expect(besideMeeting.reasons.focus?.value).toBe(1);
    expect(atDayEnd.reasons.focus?.value).toBe(1);
    expect(splitting.reasons.focus?.value).toBeLessThan(0.2);
    expect(atDayEnd.score).toBeGreaterThan(splitting.score);
  });

  it('spreads out-of-hours burden: a time nearer someone’s day beats a deeper one', () => {
    // Tokyo (+09:00) attendee without stated hours: assumed 08:00–20:00 local, 23:00–11:00Z.
    const found = slots(
      {
        timeZone: 'UTC',
        window: { start: '2026-03-23T11:00:00Z', end: '2026-03-23T16:00:00Z' },
        durationMinutes: 60,
        granularityMinutes: 60,
        now: '2026-03-01T00:00:00Z',
        attendees: [
          { id: 'ana@example.com', timeZone: 'UTC' },
          { id: 'kenji@example.com', timeZone: 'Asia/Tokyo' },
        ],
      },
      true,
    );
    const fairness = found.map((slot) => slot.reasons.fairness?.value ?? NaN);
    expect(fairness).toEqual([...fairness].sort((a, b) => b - a));
    expect(fairness[0]).toBeGreaterThan(fairness[fairness.length - 1] as number);
    expect(at(found, '2026-03-23T15:00:00.000Z').reasons.fairness?.note).toContain('Asia/Tokyo');
  });

  it('honours a preferred part of the day and weekday, in the organizer’s zone', () => {
    const week = {
      timeZone: 'Europe/Berlin',
      window: { start: '2026-03-23T00:00:00Z', end: '2026-03-28T00:00:00Z' },
      durationMinutes: 30,
      now: '2026-03-01T00:00:00Z',
      attendees: [
        {
          id: 'ana@example.com',
          timeZone: 'Europe/Berlin',
          workingHours: [
            { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:00' },
          ],
        },
      ],
    };
    const berlinHour = (iso: string) =>
      Number(
        new Intl.DateTimeFormat('en-GB', {
          timeZone: 'Europe/Berlin',
          hour: '2-digit',
          hourCycle: 'h23',
        }).format(new Date(iso)),
      );
    const afternoon = slots({ ...week, preferences: { partOfDay: 'afternoon' } });
    expect(afternoon).toHaveLength(10);
    for (const slot of afternoon) expect(berlinHour(slot.start)).toBeGreaterThanOrEqual(12);
    expect(afternoon[0]?.reasons.preferences?.value).toBe(1);

    const thursday = slots({ ...week, preferences: { days: ['thu'] } });
    for (const slot of thursday) expect(slot.start.slice(0, 10)).toBe('2026-03-26');
    // Without preferences the earliest slot wins.
    expect(slots(week)[0]?.start).toBe('2026-03-23T08:00:00.000Z');
  });

  it('ranks by score, then the earlier start, with reasons that add up to the score', () => {
    const found = slots({
      ...base,
      window: { start: '2026-03-23T00:00:00Z', end: '2026-03-30T00:00:00Z' },
      limit: 25,
      attendees: [{ id: 'ana@example.com', timeZone: 'UTC' }],
    });
    expect(found).toHaveLength(25);
    for (let i = 1; i < found.length; i++) {
      const previous = found[i - 1] as OutputSlot;
      const slot = found[i] as OutputSlot;
      expect(
        previous.score > slot.score ||
          (previous.score === slot.score && previous.start < slot.start),
      ).toBe(true);
    }
  });
});

describe('engine API', () => {
  it('takes epoch-millisecond busy intervals and returns epoch-millisecond slots', () => {
    const hour = 3_600_000;
    const monday = Date.parse('2026-03-23T00:00:00Z');
    const search: SlotSearch = {
      timeZone: 'UTC',
      windowStart: monday + 9 * hour,
      windowEnd: monday + 12 * hour,
      durationMinutes: 60,
      granularityMinutes: 60,
      bufferMinutes: 0,
      minNoticeMinutes: 0,
      now: monday,
      attendees: [
        {
          id: 'ana',
          timeZone: 'UTC',
          optional: false,
          workingHours: [],
          busy: [{ start: monday + 9 * hour, end: monday + 10 * hour, status: 'busy' }],
        },
      ],
    };
    const best = findBestSlots(search, 5);
    expect(best.map((slot) => [slot.start, slot.end])).toEqual([
      [monday + 10 * hour, monday + 11 * hour],
      [monday + 11 * hour, monday + 12 * hour],
    ]);
    expect(best[0]?.available).toEqual(['ana']);
  });

  it('refuses a granularity or duration that is not a positive whole number', () => {
    const search: SlotSearch = {
      timeZone: 'UTC',
      windowStart: Date.parse('2026-03-23T00:00:00Z'),
      windowEnd: Date.parse('2026-03-24T00:00:00Z'),
      durationMinutes: 30,
      granularityMinutes: 0,
      bufferMinutes: 0,
      minNoticeMinutes: 0,
      now: 0,
      attendees: [],
    };
    expect(() => findAllSlots(search)).toThrow(/granularityMinutes must be a whole number/);
    expect(() => findAllSlots({ ...search, granularityMinutes: 15, durationMinutes: 0.5 })).toThrow(
      /durationMinutes/,
    );
    expect(findAllSlots({ ...search, granularityMinutes: 360 }).map((slot) => slot.start)).toEqual(
      [0, 6, 12, 18].map((hour) => search.windowStart + hour * 3_600_000),
    );
  });
});
