// `quorum slots` with a recurrence against a brute-force oracle that shares no code with the
// engine or with recurrence/expand.ts: occurrences are expanded here with luxon (calendar days
// for weekly rules, a list of a month's weekdays for monthly ones), each wall time is found by
// scanning the minutes around it, and every minute of every occurrence is checked against each
// attendee's hours and busy time. Series start up to a few weeks or months before the days the
// clocks change in New York, London, Lord Howe, Chatham and St John's, so they cross them.
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { expandSeries } from '../../../core/scheduling/recurrence/expand.ts';
import { runSlotsCommand } from '../../../core/scheduling/slots-command.ts';

const MIN = 60_000;
const DAY = 1_440 * MIN;
const ZONES = [
  'America/New_York',
  'Europe/London',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'America/St_Johns',
  'UTC',
];
const CLOCK_CHANGES = [
  ['2026-03-08T00:00:00Z', 'America/New_York'], // spring forward (St John's too)
  ['2026-03-29T00:00:00Z', 'Europe/London'], // spring forward
  ['2026-04-05T00:00:00Z', 'Australia/Lord_Howe'], // back 30 minutes
  ['2026-04-05T00:00:00Z', 'Pacific/Chatham'], // back an hour, at 03:45 local
  ['2026-09-27T00:00:00Z', 'Pacific/Chatham'], // forward an hour, at 02:45 local
  ['2026-10-25T00:00:00Z', 'Europe/London'], // fall back
  ['2026-11-01T00:00:00Z', 'America/St_Johns'], // fall back
].map(([day, zone]) => ({ anchor: Date.parse(day as string), zone: zone as string }));
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const RULE_DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;

type Rule =
  | { frequency: 'weekly'; interval?: number; count: number }
  | {
      frequency: 'monthly';
      interval?: number;
      weekday: (typeof RULE_DAYS)[number];
      ordinal: number;
      count: number;
    };

interface Attendee {
  id: string;
  timeZone: string;
  optional?: boolean;
  workingHours?: readonly { days: readonly string[]; start: string; end: string }[];
  acceptableHours?: { start: string; end: string };
  busy?: { start: string; end: string; status?: string }[];
}

interface Request {
  timeZone: string;
  window: { start: string; end: string };
  durationMinutes: number;
  granularityMinutes: number;
  bufferMinutes?: number;
  minNoticeMinutes?: number;
  now: string;
  limit?: number;
  workingHours: 'required' | 'preferred';
  recurrence: Rule;
  attendees: Attendee[];
}

// ---- the oracle ------------------------------------------------------------------------------

const wallMemo = new Map<string, number>();
/** Wall-clock minutes since 1970-01-01T00:00 at the whole minute `t`, via luxon. */
function wallMinute(zone: string, t: number): number {
  const key = `${zone}|${t}`;
  let wall = wallMemo.get(key);
  if (wall === undefined) {
    const local = DateTime.fromMillis(t, { zone });
    wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute) / MIN;
    wallMemo.set(key, wall);
  }
  return wall;
}

/**
 * The instant showing wall time `wall` (minutes): the earliest minute showing it, or, when the
 * clock skips it, the minute after the jump plus how far into the skipped stretch it lies.
 */
const instantMemo = new Map<string, number>();
function instantOfWall(zone: string, wall: number): number {
  const key = `${zone}|${wall}`;
  const known = instantMemo.get(key);
  if (known !== undefined) return known;
  const near = DateTime.fromMillis(wall * MIN, { zone: 'UTC' })
    .setZone(zone, { keepLocalTime: true })
    .toMillis();
  for (let m = near / MIN - 3 * 60; m <= near / MIN + 3 * 60; m++) {
    const shown = wallMinute(zone, m * MIN);
    const shownBefore = wallMinute(zone, (m - 1) * MIN);
    let found: number | undefined;
    if (shown === wall) found = m * MIN;
    else if (shownBefore < wall && shown > wall) found = (m + (wall - (shownBefore + 1))) * MIN;
    if (found !== undefined) {
      instantMemo.set(key, found);
      return found;
    }
  }
  throw new Error(`oracle: no instant for ${wall} in ${zone}`);
}

function clockMinutes(text: string): number {
  const [h, m] = text.split(':').map(Number);
  return (h as number) * 60 + (m as number);
}

/** Whether minute `t` lies in a period of `rules` of any local date near it. */
function withinRules(
  zone: string,
  rules: readonly { days: readonly string[]; start: string; end: string }[],
  t: number,
): boolean {
  const today = Math.floor(wallMinute(zone, t) / 1440);
  for (let date = today - 2; date <= today + 1; date++) {
    const weekday = DAYS[DateTime.fromMillis(date * DAY, { zone: 'UTC' }).weekday - 1] as string;
    for (const rule of rules) {
      if (!rule.days.includes(weekday)) continue;
      const start = clockMinutes(rule.start);
      const end = clockMinutes(rule.end);
      const from = instantOfWall(zone, date * 1440 + start);
      const to = instantOfWall(zone, (end > start ? date : date + 1) * 1440 + end);
      if (from <= t && t < to) return true;
    }
  }
  return false;
}

/** Per request (ids repeat across requests): see `oracle`. */
const insideMemo = new Map<string, boolean>();
function inside(attendee: Attendee, t: number): boolean {
  const rules = attendee.workingHours ?? [];
  if (rules.length === 0) return true;
  const key = `${attendee.id}|${t}`;
  let known = insideMemo.get(key);
  if (known === undefined) {
    known = withinRules(attendee.timeZone, rules, t);
    insideMemo.set(key, known);
  }
  return known;
}

function acceptable(attendee: Attendee, t: number): boolean {
  const hours = attendee.acceptableHours;
  return !hours || withinRules(attendee.timeZone, [{ days: DAYS, ...hours }], t);
}

/** The local dates (days since 1970 on the wall clock) of a series whose first is `first`. */
function seriesDates(rule: Rule, first: DateTime): number[] | undefined {
  const interval = rule.interval ?? 1;
  const dayOf = (date: DateTime) => Date.UTC(date.year, date.month - 1, date.day) / DAY;
  const start = DateTime.utc(first.year, first.month, first.day);
  if (rule.frequency === 'weekly') {
    return Array.from({ length: rule.count }, (_, k) =>
      dayOf(start.plus({ days: 7 * interval * k })),
    );
  }
  const target = RULE_DAYS.indexOf(rule.weekday) + 1;
  const ruleDay = (monthsLater: number): number => {
    const month = start.startOf('month').plus({ months: monthsLater });
    const matching: DateTime[] = [];
    for (let d = month; d.month === month.month; d = d.plus({ days: 1 })) {
      if (d.weekday === target) matching.push(d);
    }
    return dayOf(rule.ordinal === -1 ? matching.at(-1)! : matching[rule.ordinal - 1]!);
  };
  if (ruleDay(0) !== dayOf(start)) return undefined;
  return Array.from({ length: rule.count }, (_, k) => ruleDay(interval * k));
}

function occurrencesFrom(request: Request, s: number): number[] | undefined {
  const local = DateTime.fromMillis(s, { zone: request.timeZone });
  const dates = seriesDates(request.recurrence, local);
  const clock = local.hour * 60 + local.minute;
  return dates?.map((date, k) =>
    k === 0 ? s : instantOfWall(request.timeZone, date * 1440 + clock),
  );
}

interface OracleSlot {
  start: string;
  end: string;
  available: string[];
  unavailable: string[];
  outsideHours?: { id: string; minutes: number }[];
  occurrences: { start: string; end: string }[];
}

function oracle(request: Request): OracleSlot[] {
  insideMemo.clear();
  const duration = request.durationMinutes;
  const buffer = (request.bufferMinutes ?? 0) * MIN;
  const preferred = request.workingHours === 'preferred';
  const earliest = Date.parse(request.now) + (request.minNoticeMinutes ?? 0) * MIN;
  const windowStart = Date.parse(request.window.start);
  const windowEnd = Date.parse(request.window.end);
  const fits = (attendee: Attendee, o: number): boolean => {
    for (let t = o; t < o + duration * MIN; t += MIN) {
      if ((!preferred && !inside(attendee, t)) || !acceptable(attendee, t)) return false;
    }
    return (attendee.busy ?? []).every((busy) => {
      const status = busy.status ?? 'busy';
      if (status !== 'busy' && status !== 'oof') return true;
      return (
        Math.max(o - buffer, Date.parse(busy.start)) >=
        Math.min(o + duration * MIN + buffer, Date.parse(busy.end))
      );
    });
  };
  const outside = (attendee: Attendee, o: number): number => {
    let minutes = 0;
    for (let t = o; t < o + duration * MIN; t += MIN) if (!inside(attendee, t)) minutes++;
    return minutes;
  };
  const required = request.attendees.filter((a) => !a.optional);
  const slots: OracleSlot[] = [];
  for (let s = Math.ceil(windowStart / MIN) * MIN; s + duration * MIN <= windowEnd; s += MIN) {
    if (s < earliest) continue;
    if ((wallMinute(request.timeZone, s) % 1440) % request.granularityMinutes !== 0) continue;
    if (!required.every((a) => fits(a, s))) continue;
    const occurrences = occurrencesFrom(request, s);
    if (!occurrences || !occurrences.every((o) => required.every((a) => fits(a, o)))) continue;
    const comes = request.attendees.map((a) => fits(a, s));
    slots.push({
      start: new Date(s).toISOString(),
      end: new Date(s + duration * MIN).toISOString(),
      available: request.attendees.filter((_, i) => comes[i]).map((a) => a.id),
      unavailable: request.attendees.filter((_, i) => !comes[i]).map((a) => a.id),
      ...(preferred
        ? {
            outsideHours: request.attendees
              .map((a) => ({
                id: a.id,
                minutes: occurrences.reduce((sum, o) => sum + outside(a, o), 0),
              }))
              .filter((o) => o.minutes > 0),
          }
        : {}),
      occurrences: occurrences.map((o) => ({
        start: new Date(o).toISOString(),
        end: new Date(o + duration * MIN).toISOString(),
      })),
    });
  }
  return slots;
}

// ---- random requests -------------------------------------------------------------------------

const clockText = (minutes: number): string =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

const minuteOfDay = fc.oneof(
  fc.integer({ min: 0, max: 47 }).map((half) => half * 30),
  fc.integer({ min: 60, max: 180 }),
  fc.integer({ min: 0, max: 1439 }),
);

const workingHoursRule = fc
  .record({
    days: fc.subarray([...DAYS], { minLength: 1 }),
    start: minuteOfDay,
    end: fc.oneof(minuteOfDay, fc.constant(1440)),
  })
  .filter((rule) => rule.start !== rule.end)
  .map((rule) => ({ days: rule.days, start: clockText(rule.start), end: clockText(rule.end) }));

// Wide hours often enough that whole series fit; random ones find the edges.
const workingHours = fc.oneof(
  fc.constant([{ days: [...DAYS], start: '06:00', end: '22:00' }]),
  fc.array(workingHoursRule, { minLength: 1, maxLength: 3 }),
);

const acceptableHours = fc
  .record({ start: minuteOfDay, end: fc.oneof(minuteOfDay, fc.constant(1440)) })
  .filter((h) => h.start !== h.end % 1440)
  .map((h) => ({ start: clockText(h.start), end: clockText(h.end) }));

/** A monthly rule whose day is the local date of `at` in `zone`: the window holds it. */
function monthlyRuleAt(at: number, zone: string, interval: number, count: number, last: boolean) {
  const local = DateTime.fromMillis(at, { zone });
  const weekday = RULE_DAYS[local.weekday - 1]!;
  const isLast = local.day + 7 > local.daysInMonth!;
  const ordinal = local.day > 28 || (last && isLast) ? -1 : Math.ceil(local.day / 7);
  return { frequency: 'monthly' as const, interval, weekday, ordinal, count };
}

const seriesRequest = fc
  .constantFrom(...CLOCK_CHANGES)
  .chain(({ anchor, zone: changingZone }) => {
    const zone = fc.oneof(fc.constant(changingZone), fc.constantFrom(...ZONES));
    return fc.record({
      anchor: fc.constant(anchor),
      monthly: fc.boolean(),
      before: fc.integer({ min: 0, max: 4 }),
      startShiftMinutes: fc.integer({ min: -18 * 60, max: 18 * 60 }),
      lengthMinutes: fc.integer({ min: 30, max: 30 * 60 }),
      pointInWindow: fc.double({ min: 0, max: 1, noNaN: true }),
      interval: fc.integer({ min: 1, max: 2 }),
      count: fc.integer({ min: 2, max: 6 }),
      lastOrdinal: fc.boolean(),
      timeZone: zone,
      mode: fc.constantFrom('required' as const, 'preferred' as const),
      durationMinutes: fc.constantFrom(15, 30, 45, 60, 90),
      granularityMinutes: fc.constantFrom(15, 30, 60),
      bufferMinutes: fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }),
      minNoticeMinutes: fc.option(fc.integer({ min: 0, max: 12 * 60 }), { nil: undefined }),
      nowShiftMinutes: fc.integer({ min: -24 * 60, max: 24 * 60 }),
      attendees: fc.array(
        fc.record({
          timeZone: zone,
          optional: fc.option(fc.boolean(), { nil: undefined }),
          workingHours: fc.option(workingHours, { nil: undefined }),
          acceptableHours: fc.option(acceptableHours, { nil: undefined }),
          busy: fc.array(
            fc.record({
              // Near one of the series' later days: a week (weekly) or a month (monthly) apart.
              occurrence: fc.integer({ min: 0, max: 6 }),
              dayShift: fc.integer({ min: -1, max: 1 }),
              startMinutes: fc.integer({ min: -6 * 60, max: 30 * 60 }),
              lengthMinutes: fc.integer({ min: 0, max: 4 * 60 }),
              status: fc.option(fc.constantFrom('busy', 'oof', 'tentative', 'free'), {
                nil: undefined,
              }),
            }),
            { maxLength: 6 },
          ),
        }),
        { minLength: 1, maxLength: 3 },
      ),
    });
  })
  .map((r): Request => {
    const backDays = r.monthly ? r.before * 28 : r.before * 7;
    const windowStart = r.anchor - backDays * DAY + r.startShiftMinutes * MIN;
    const windowEnd = windowStart + r.lengthMinutes * MIN;
    const iso = (t: number) => new Date(t).toISOString();
    const recurrence: Rule = r.monthly
      ? monthlyRuleAt(
          windowStart + r.pointInWindow * (windowEnd - windowStart),
          r.timeZone,
          r.interval,
          r.count,
          r.lastOrdinal,
        )
      : { frequency: 'weekly', interval: r.interval, count: r.count };
    const period = (r.monthly ? 30 : 7) * r.interval * DAY;
    return {
      timeZone: r.timeZone,
      window: { start: iso(windowStart), end: iso(windowEnd) },
      durationMinutes: r.durationMinutes,
      granularityMinutes: r.granularityMinutes,
      ...(r.bufferMinutes === undefined ? {} : { bufferMinutes: r.bufferMinutes }),
      ...(r.minNoticeMinutes === undefined ? {} : { minNoticeMinutes: r.minNoticeMinutes }),
      now: iso(windowStart + r.nowShiftMinutes * MIN),
      workingHours: r.mode,
      recurrence,
      attendees: r.attendees.map((a, index) => ({
        id: `person${index}@example.com`,
        timeZone: a.timeZone,
        ...(a.optional === undefined ? {} : { optional: a.optional }),
        ...(a.workingHours === undefined ? {} : { workingHours: a.workingHours }),
        ...(a.acceptableHours === undefined ? {} : { acceptableHours: a.acceptableHours }),
        busy: a.busy.map((b) => {
          const start =
            windowStart + b.occurrence * period + b.dayShift * DAY + b.startMinutes * MIN;
          return {
            start: iso(start),
            end: iso(start + b.lengthMinutes * MIN),
            ...(b.status === undefined ? {} : { status: b.status }),
          };
        }),
      })),
    };
  });

interface OutputSlot extends OracleSlot {
  score: number;
  reasons: Record<string, unknown>;
}

function run(request: Request, all: boolean): OutputSlot[] {
  const result = runSlotsCommand(JSON.stringify(request), { all });
  expect(result.stderr).toBe('');
  expect(result.exitCode).toBe(0);
  return (JSON.parse(result.stdout) as { slots: OutputSlot[] }).slots;
}

/** Least burden: total minutes outside required attendees' hours, then the most of one. */
function burdenKey(request: Request, slot: OracleSlot): [number, number] {
  const required = new Set(request.attendees.filter((a) => !a.optional).map((a) => a.id));
  const minutes = (slot.outsideHours ?? []).filter((o) => required.has(o.id)).map((o) => o.minutes);
  return [minutes.reduce((sum, m) => sum + m, 0), Math.max(0, ...minutes)];
}

const weekly = seriesRequest.filter((r) => r.recurrence.frequency === 'weekly');
const monthly = seriesRequest.filter((r) => r.recurrence.frequency === 'monthly');

describe('quorum slots with a recurrence, against a minute-by-minute oracle', () => {
  for (const [name, requests] of [
    ['weekly', weekly],
    ['monthly', monthly],
  ] as const) {
    it(`--all lists exactly the first occurrences whose every ${name} occurrence works`, () => {
      let nonEmpty = 0;
      fc.assert(
        fc.property(requests, (request) => {
          const found = run(request, true).map(
            ({ start, end, available, unavailable, outsideHours, occurrences }) => ({
              start,
              end,
              available,
              unavailable,
              ...(outsideHours ? { outsideHours } : {}),
              occurrences,
            }),
          );
          const expected = oracle(request);
          expect(found).toEqual(expected);
          if (expected.length > 0) nonEmpty++;
        }),
        { numRuns: 80 },
      );
      // Series that never fit would prove little: enough runs must have found something.
      expect(nonEmpty).toBeGreaterThan(10);
    }, 120_000);
  }

  it('ranked: by score among feasible series (required), least summed burden first (preferred)', () => {
    fc.assert(
      fc.property(seriesRequest, fc.integer({ min: 1, max: 8 }), (request, limit) => {
        const all = run(request, true);
        const ranked = run({ ...request, limit }, false);
        if (request.workingHours === 'required') {
          const expected = [...all]
            .sort((a, b) => b.score - a.score || Date.parse(a.start) - Date.parse(b.start))
            .slice(0, limit);
          expect(ranked).toEqual(expected);
          return;
        }
        const byBurden = (x: [number, number], y: [number, number]) => x[0] - y[0] || x[1] - y[1];
        const best = oracle(request)
          .map((slot) => burdenKey(request, slot))
          .sort(byBurden)
          .slice(0, limit);
        expect(ranked.map((slot) => burdenKey(request, slot))).toEqual(best);
        for (const slot of ranked)
          expect(all).toContainEqual({ ...slot, score: expect.any(Number) });
      }),
      { numRuns: 80 },
    );
  }, 120_000);

  it('offers the occurrences bookings expand (recurrence/expand.ts) for the same first time', () => {
    fc.assert(
      fc.property(seriesRequest, (request) => {
        for (const slot of run(request, true)) {
          const booked = expandSeries({
            rule: { interval: 1, ...request.recurrence } as never,
            timeZone: request.timeZone,
            start: new Date(slot.start),
            durationMinutes: request.durationMinutes,
          });
          expect(
            booked.map((o) => ({ start: o.start.toISOString(), end: o.end.toISOString() })),
          ).toEqual(slot.occurrences);
        }
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
