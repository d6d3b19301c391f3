// The `quorum slots` request contract: defaults, output shape, and one clear line naming the
// field for each kind of malformed request.
import { describe, expect, it } from 'vitest';
import { runSlotsCommand } from '../../../core/scheduling/slots-command.ts';

function validRequest(): Record<string, unknown> & { attendees: Record<string, unknown>[] } {
  return {
    timeZone: 'Europe/Berlin',
    window: { start: '2026-03-23T00:00:00Z', end: '2026-04-06T00:00:00Z' },
    durationMinutes: 30,
    now: '2026-03-22T12:00:00Z',
    attendees: [
      {
        id: 'ana@example.com',
        timeZone: 'America/New_York',
        workingHours: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:00' }],
        busy: [{ start: '2026-03-23T14:00:00Z', end: '2026-03-23T15:00:00Z', status: 'busy' }],
      },
    ],
  };
}

describe('quorum slots output', () => {
  it('prints one JSON object of ISO 8601 UTC slots, ten by default', () => {
    const result = runSlotsCommand(JSON.stringify(validRequest()), { all: false });
    expect(result).toMatchObject({ exitCode: 0, stderr: '' });
    expect(result.stdout.endsWith('\n')).toBe(true);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    const { slots } = JSON.parse(result.stdout) as {
      slots: { start: string; end: string; score: number; available: string[] }[];
    };
    expect(slots).toHaveLength(10);
    for (const slot of slots) {
      expect(slot.start).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00\.000Z$/);
      expect(Date.parse(slot.end) - Date.parse(slot.start)).toBe(30 * 60_000);
      expect(slot.available).toEqual(['ana@example.com']);
    }
  });

  it('--all prints every feasible slot in chronological order', () => {
    const result = runSlotsCommand(JSON.stringify(validRequest()), { all: true });
    const { slots } = JSON.parse(result.stdout) as { slots: { start: string }[] };
    // 10 working days × 31 starts in 09:00–17:00, less the 5 the busy hour rules out.
    expect(slots).toHaveLength(10 * 31 - 5);
    const sorted = [...slots].sort((a, b) => a.start.localeCompare(b.start));
    expect(slots).toEqual(sorted);
  });

  it('defaults `now` to the current time', () => {
    const hour = 3_600_000;
    const thisHour = Math.floor(Date.now() / hour) * hour;
    const request = {
      timeZone: 'UTC',
      window: {
        start: new Date(thisHour - 2 * hour).toISOString(),
        end: new Date(thisHour + 3 * hour).toISOString(),
      },
      durationMinutes: 30,
      attendees: [{ id: 'ana@example.com', timeZone: 'UTC' }],
    };
    const before = Date.now();
    const result = runSlotsCommand(JSON.stringify(request), { all: true });
    const { slots } = JSON.parse(result.stdout) as { slots: { start: string }[] };
    const first = Date.parse(slots[0]?.start ?? '');
    // The first slot is the first quarter hour from now, not the start of the window.
    expect(first).toBeGreaterThanOrEqual(before);
    expect(first - before).toBeLessThanOrEqual(15 * 60_000);
  });
});

describe('working hours preferred, and acceptable hours', () => {
  // Berlin 09:00–17:00 and Sydney 08:00–16:00 never overlap in March (UTC+1 and UTC+11).
  function twoZones(extra: object = {}, sydney: object = {}) {
    return {
      timeZone: 'Europe/Berlin',
      window: { start: '2026-03-23T00:00:00Z', end: '2026-03-24T00:00:00Z' },
      durationMinutes: 60,
      granularityMinutes: 30,
      now: '2026-03-22T12:00:00Z',
      attendees: [
        {
          id: 'ana',
          timeZone: 'Europe/Berlin',
          workingHours: [{ days: ['mon', 'tue'], start: '09:00', end: '17:00' }],
        },
        {
          id: 'lee',
          timeZone: 'Australia/Sydney',
          workingHours: [{ days: ['mon', 'tue'], start: '08:00', end: '16:00' }],
          ...sydney,
        },
      ],
      ...extra,
    };
  }
  const slotsOf = (request: object, all = false) =>
    (
      JSON.parse(runSlotsCommand(JSON.stringify(request), { all }).stdout) as {
        slots: { start: string; outsideHours?: { id: string; minutes: number }[] }[];
      }
    ).slots;

  it('required (the default) finds nothing and prints no outsideHours', () => {
    expect(slotsOf(twoZones())).toEqual([]);
    expect(slotsOf(twoZones({ workingHours: 'required' }))).toEqual([]);
  });

  it('preferred offers the least time outside hours first, saying whose and how long', () => {
    const slots = slotsOf(twoZones({ workingHours: 'preferred' }));
    // Lee works 21:00–05:00 UTC, Ana 08:00–16:00 UTC: any hour costs someone 60 minutes at
    // least. Of those, the nearest anyone's hours: 04:00 UTC is Ana's 05:00–06:00, 4 h before
    // her day (as is 08:00 UTC for Lee, later); midnight UTC would be her 01:00.
    expect(slots[0]).toMatchObject({
      start: '2026-03-23T04:00:00.000Z',
      outsideHours: [{ id: 'ana', minutes: 60 }],
    });
    const totals = slots.map((slot) =>
      (slot.outsideHours ?? []).reduce((t, o) => t + o.minutes, 0),
    );
    expect(totals).toEqual([...totals].sort((a, b) => a - b));
    expect(Math.max(...totals)).toBe(60);
  });

  it('acceptable hours hold even when working hours are only preferred', () => {
    const never = { acceptableHours: { start: '07:00', end: '21:00' } };
    const slots = slotsOf(twoZones({ workingHours: 'preferred' }, never), true);
    expect(slots.length).toBeGreaterThan(0);
    for (const slot of slots) {
      const hour = (new Date(slot.start).getUTCHours() + 11) % 24; // Sydney is UTC+11 then
      expect(hour).toBeGreaterThanOrEqual(7);
      expect(hour).toBeLessThanOrEqual(20);
    }
  });
});

describe('malformed requests exit 2 with one line naming the field', () => {
  const cases: [string, (request: ReturnType<typeof validRequest>) => unknown, RegExp][] = [
    [
      'an unknown request zone',
      (r) => ({ ...r, timeZone: 'Mars/Base' }),
      /^timeZone: unknown time zone "Mars\/Base"$/,
    ],
    [
      'an unknown attendee zone',
      (r) => {
        const attendees = [0, 1, 2, 3].map((i) => ({ id: `p${i}`, timeZone: 'UTC' }));
        attendees[3] = { id: 'p3', timeZone: 'Mars/Base' };
        return { ...r, attendees };
      },
      /^attendees\[3\]\.timeZone: unknown time zone "Mars\/Base"$/,
    ],
    [
      'a window ending before it starts',
      (r) => ({ ...r, window: { start: '2026-03-23T00:00:00Z', end: '2026-03-22T00:00:00Z' } }),
      /^window\.end: must be after window\.start$/,
    ],
    [
      'a window over 62 days',
      (r) => ({ ...r, window: { start: '2026-03-23T00:00:00Z', end: '2026-05-25T00:00:00Z' } }),
      /^window\.end: must be at most 62 days/,
    ],
    [
      'a window without a zone',
      (r) => ({ ...r, window: { start: '2026-03-23T00:00:00', end: '2026-03-24T00:00:00Z' } }),
      /^window\.start: .*ISO 8601/,
    ],
    ['a missing window', (r) => ({ ...r, window: undefined }), /^window: is required$/],
    [
      'a zero duration',
      (r) => ({ ...r, durationMinutes: 0 }),
      /^durationMinutes: must be at least 1$/,
    ],
    [
      'a negative duration',
      (r) => ({ ...r, durationMinutes: -30 }),
      /^durationMinutes: must be at least 1$/,
    ],
    [
      'a fractional duration',
      (r) => ({ ...r, durationMinutes: 2.5 }),
      /^durationMinutes: must be a whole number$/,
    ],
    [
      'a duration given as text',
      (r) => ({ ...r, durationMinutes: '30' }),
      /^durationMinutes: must be a number/,
    ],
    [
      'a zero granularity',
      (r) => ({ ...r, granularityMinutes: 0 }),
      /^granularityMinutes: must be at least 1$/,
    ],
    [
      'a negative buffer',
      (r) => ({ ...r, bufferMinutes: -5 }),
      /^bufferMinutes: must be at least 0$/,
    ],
    ['a zero limit', (r) => ({ ...r, limit: 0 }), /^limit: must be at least 1$/],
    [
      'more than 1,000 attendees',
      (r) => ({
        ...r,
        attendees: Array.from({ length: 1001 }, (_, i) => ({ id: `p${i}`, timeZone: 'UTC' })),
      }),
      /^attendees: must have at most 1000 items$/,
    ],
    ['no attendees', (r) => ({ ...r, attendees: [] }), /^attendees: must have at least 1 item/],
    [
      'a bad HH:MM',
      (r) => withRule(r, { start: '9:00' }),
      /^attendees\[0\]\.workingHours\[0\]\.start: "9:00" is not a time of day HH:MM/,
    ],
    [
      'an hour past 23',
      (r) => withRule(r, { end: '25:00' }),
      /^attendees\[0\]\.workingHours\[0\]\.end: "25:00" is not a time of day/,
    ],
    [
      '24:00 as a start',
      (r) => withRule(r, { start: '24:00' }),
      /^attendees\[0\]\.workingHours\[0\]\.start: "24:00"/,
    ],
    [
      'equal start and end',
      (r) => withRule(r, { start: '09:00', end: '09:00' }),
      /^attendees\[0\]\.workingHours\[0\]\.end: must differ from start/,
    ],
    [
      'an unknown weekday',
      (r) => withRule(r, { days: ['mon', 'funday'] }),
      /^attendees\[0\]\.workingHours\[0\]\.days\[1\]: "funday" is not one of mon, tue/,
    ],
    [
      'no weekdays',
      (r) => withRule(r, { days: [] }),
      /^attendees\[0\]\.workingHours\[0\]\.days: must have at least 1 item/,
    ],
    [
      'an unknown busy status',
      (r) => withBusy(r, { status: 'maybe' }),
      /^attendees\[0\]\.busy\[0\]\.status: "maybe" is not one of busy, oof, tentative, free$/,
    ],
    [
      'busy ending before it starts',
      (r) => withBusy(r, { end: '2026-03-23T13:00:00Z' }),
      /^attendees\[0\]\.busy\[0\]\.end: must not be before start$/,
    ],
    [
      'a missing attendee id',
      (r) => ({ ...r, attendees: [{ timeZone: 'UTC' }] }),
      /^attendees\[0\]\.id: is required$/,
    ],
    [
      'a duplicate attendee id',
      (r) => ({
        ...r,
        attendees: [
          { id: 'a', timeZone: 'UTC' },
          { id: 'a', timeZone: 'UTC' },
        ],
      }),
      /^attendees\[1\]\.id: duplicate attendee id "a"$/,
    ],
    [
      'optional given as text',
      (r) => ({ ...r, attendees: [{ id: 'a', timeZone: 'UTC', optional: 'no' }] }),
      /^attendees\[0\]\.optional: must be a boolean/,
    ],
    ['an unknown field', (r) => ({ ...r, duration: 30 }), /^duration: unknown field/],
    [
      'an unknown part of day',
      (r) => ({ ...r, preferences: { partOfDay: 'night' } }),
      /^preferences\.partOfDay: "night" is not one of morning, afternoon, evening$/,
    ],
    ['a request that is not an object', () => [1, 2], /^request: must be an object, not an array$/],
    [
      'an unknown working-hours mode',
      (r) => ({ ...r, workingHours: 'optional' }),
      /^workingHours: "optional" is not one of required, preferred$/,
    ],
    [
      'acceptable hours with a bad clock',
      (r) => withAcceptable(r, { start: '7:00', end: '21:00' }),
      /^attendees\[0\]\.acceptableHours\.start: "7:00" is not a time of day HH:MM/,
    ],
    [
      'acceptable hours without an end',
      (r) => withAcceptable(r, { start: '07:00' }),
      /^attendees\[0\]\.acceptableHours\.end: is required$/,
    ],
    [
      'acceptable hours that start where they end',
      (r) => withAcceptable(r, { start: '00:00', end: '24:00' }),
      /^attendees\[0\]\.acceptableHours\.end: must differ from start/,
    ],
    [
      'acceptable hours with an unknown field',
      (r) => withAcceptable(r, { start: '07:00', end: '21:00', days: ['mon'] }),
      /^attendees\[0\]\.acceptableHours\.days: unknown field/,
    ],
  ];

  function withAcceptable(r: ReturnType<typeof validRequest>, acceptableHours: object) {
    return { ...r, attendees: [{ ...r.attendees[0], acceptableHours }] };
  }

  function withRule(r: ReturnType<typeof validRequest>, change: object) {
    const attendee = r.attendees[0] as { workingHours: object[] };
    return {
      ...r,
      attendees: [{ ...attendee, workingHours: [{ ...attendee.workingHours[0], ...change }] }],
    };
  }
  function withBusy(r: ReturnType<typeof validRequest>, change: object) {
    const attendee = r.attendees[0] as { busy: object[] };
    return { ...r, attendees: [{ ...attendee, busy: [{ ...attendee.busy[0], ...change }] }] };
  }

  it.each(cases)('%s', (_name, change, expected) => {
    const result = runSlotsCommand(JSON.stringify(change(validRequest())), { all: false });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.endsWith('\n')).toBe(true);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr.trimEnd()).toMatch(expected);
  });

  it('invalid JSON', () => {
    const result = runSlotsCommand('{ "timeZone": ', { all: true });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^request: not valid JSON \(.+\)\n$/);
  });
});
