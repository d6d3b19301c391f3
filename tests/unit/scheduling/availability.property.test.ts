// The engine against a brute-force oracle that shares no code with it: every whole minute of
// the window is read with luxon on its own (wall clock, alignment, working hours), and every
// candidate slot is checked against each busy interval by the contract's definition. Windows
// sit on the weeks clocks change in New York, London, Lord Howe and Santiago.
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { runSlotsCommand } from '../../../core/scheduling/slots-command.ts';

const MIN = 60_000;
const ZONES = [
  'America/New_York',
  'Europe/London',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'UTC',
  'Asia/Kolkata',
  'America/St_Johns',
  'America/Santiago', // changes at midnight: on 2026-04-05 it falls back from 00:00 to 23:00
];
// Days the clocks change, each with a zone that changes then.
const CLOCK_CHANGES = [
  ['2026-03-08T00:00:00Z', 'America/New_York'], // spring forward
  ['2026-03-29T00:00:00Z', 'Europe/London'], // spring forward
  ['2026-04-05T00:00:00Z', 'Australia/Lord_Howe'], // back 30 minutes
  ['2026-10-04T00:00:00Z', 'Australia/Lord_Howe'], // forward 30 minutes
  ['2026-10-25T00:00:00Z', 'Europe/London'], // fall back
  ['2026-11-01T00:00:00Z', 'America/New_York'], // fall back
].map(([day, zone]) => ({ anchor: Date.parse(day as string), zone: zone as string }));
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const STATUSES = ['busy', 'oof', 'tentative', 'free'] as const;

// ---- the oracle ------------------------------------------------------------------------------

interface Request {
  timeZone: string;
  window: { start: string; end: string };
  durationMinutes: number;
  granularityMinutes?: number;
  bufferMinutes?: number;
  minNoticeMinutes?: number;
  now: string;
  limit?: number;
  workingHours?: 'required' | 'preferred';
  attendees: {
    id: string;
    timeZone: string;
    optional?: boolean;
    workingHours?: { days: string[]; start: string; end: string }[];
    acceptableHours?: { start: string; end: string };
    busy?: { start: string; end: string; status?: string }[];
  }[];
}

/** Wall-clock minutes since 1970-01-01T00:00 at instant `t` (a whole minute), via luxon. */
const wallMemo = new Map<string, Map<number, number>>();
function wallMinute(zone: string, t: number): number {
  let memo = wallMemo.get(zone);
  if (!memo) wallMemo.set(zone, (memo = new Map()));
  let wall = memo.get(t);
  if (wall === undefined) {
    const local = DateTime.fromMillis(t, { zone });
    wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute) / MIN;
    memo.set(t, wall);
  }
  return wall;
}

/**
 * The instant of wall time `wall` (minutes) by scanning every minute around it: the earliest
 * minute showing it, or, when the clock skips it, the minute after the jump plus how far into
 * the skipped stretch it lies. Luxon's own reading of the wall time only says where to look.
 */
const instantMemo = new Map<string, number>();
function instantOfWall(zone: string, wall: number): number {
  const key = `${zone}|${wall}`;
  const known = instantMemo.get(key);
  if (known !== undefined) return known;
  const near = DateTime.fromMillis(wall * MIN, { zone: 'UTC' })
    .setZone(zone, { keepLocalTime: true })
    .toMillis();
  let found: number | undefined;
  for (let m = near / MIN - 3 * 60; m <= near / MIN + 3 * 60; m++) {
    const shown = wallMinute(zone, m * MIN);
    if (shown === wall) {
      found = m * MIN;
      break;
    }
    const shownBefore = wallMinute(zone, (m - 1) * MIN);
    if (shownBefore < wall && shown > wall) {
      found = (m + (wall - (shownBefore + 1))) * MIN;
      break;
    }
  }
  if (found === undefined) throw new Error(`oracle: no instant for ${wall} in ${zone}`);
  instantMemo.set(key, found);
  return found;
}

const weekdayMemo = new Map<number, string>();
function weekdayOfDate(date: number): string {
  let weekday = weekdayMemo.get(date);
  if (weekday === undefined) {
    weekday = DAYS[DateTime.fromMillis(date * 1440 * MIN, { zone: 'UTC' }).weekday - 1] as string;
    weekdayMemo.set(date, weekday);
  }
  return weekday;
}

function clockMinutes(text: string): number {
  const [h, m] = text.split(':').map(Number);
  return (h as number) * 60 + (m as number);
}

/** For one attendee: whether minute `t` lies in a working period of any local date near it. */
function workingHoursCheck(attendee: Request['attendees'][number]): (t: number) => boolean {
  const rules = attendee.workingHours ?? [];
  const periodsByDate = new Map<number, [number, number][]>();
  const periodsOf = (date: number): [number, number][] => {
    let periods = periodsByDate.get(date);
    if (!periods) {
      periods = rules
        .filter((rule) => rule.days.includes(weekdayOfDate(date)))
        .map((rule) => {
          const start = clockMinutes(rule.start);
          const end = clockMinutes(rule.end);
          const endDate = end > start ? date : date + 1;
          return [
            instantOfWall(attendee.timeZone, date * 1440 + start),
            instantOfWall(attendee.timeZone, endDate * 1440 + end),
          ];
        });
      periodsByDate.set(date, periods);
    }
    return periods;
  };
  return (t) => {
    if (rules.length === 0) return true;
    const today = Math.floor(wallMinute(attendee.timeZone, t) / 1440);
    for (let date = today - 2; date <= today + 1; date++) {
      if (periodsOf(date).some(([from, to]) => from <= t && t < to)) return true;
    }
    return false;
  };
}

/**
 * For one attendee: whether minute `t` is one they accept, read as the contract says (every
 * day in their zone; an end before the start ends on the next day).
 */
function acceptableCheck(attendee: Request['attendees'][number]): (t: number) => boolean {
  const hours = attendee.acceptableHours;
  if (!hours) return () => true;
  return workingHoursCheck({ ...attendee, workingHours: [{ days: [...DAYS], ...hours }] });
}

interface OracleSlot {
  start: string;
  end: string;
  available: string[];
  unavailable: string[];
  outsideHours?: { id: string; minutes: number }[];
}

function oracle(request: Request): OracleSlot[] {
  const duration = request.durationMinutes;
  const granularity = request.granularityMinutes ?? 15;
  const buffer = (request.bufferMinutes ?? 0) * MIN;
  const earliest = Date.parse(request.now) + (request.minNoticeMinutes ?? 0) * MIN;
  const windowStart = Date.parse(request.window.start);
  const windowEnd = Date.parse(request.window.end);
  const firstMinute = Math.ceil(windowStart / MIN);
  const minutes = Math.floor(windowEnd / MIN) - firstMinute;
  const preferred = request.workingHours === 'preferred';
  // Per attendee and per minute of the window: inside working hours? acceptable?
  const perMinute = (check: (t: number) => boolean) =>
    Array.from({ length: minutes }, (_, i) => check((firstMinute + i) * MIN));
  const inside = request.attendees.map((attendee) => perMinute(workingHoursCheck(attendee)));
  const acceptable = request.attendees.map((attendee) => perMinute(acceptableCheck(attendee)));
  const outsideMinutes = (index: number, s: number): number => {
    const first = s / MIN - firstMinute;
    let outside = 0;
    for (let i = first; i < first + duration; i++) if (!inside[index]![i]) outside++;
    return outside;
  };
  const canCome = (index: number, s: number): boolean => {
    const attendee = request.attendees[index]!;
    const first = s / MIN - firstMinute;
    for (let i = first; i < first + duration; i++) {
      if ((!preferred && !inside[index]![i]) || !acceptable[index]![i]) return false;
    }
    return (attendee.busy ?? []).every((busy) => {
      const status = busy.status ?? 'busy';
      if (status !== 'busy' && status !== 'oof') return true;
      const meets =
        Math.max(s - buffer, Date.parse(busy.start)) <
        Math.min(s + duration * MIN + buffer, Date.parse(busy.end));
      return !meets;
    });
  };

  const slots: OracleSlot[] = [];
  for (let i = 0; i < minutes; i++) {
    const s = (firstMinute + i) * MIN;
    if (s < windowStart || s + duration * MIN > windowEnd || s < earliest) continue;
    if ((wallMinute(request.timeZone, s) % 1440) % granularity !== 0) continue;
    const fits = request.attendees.map((_, index) => canCome(index, s));
    if (request.attendees.some((attendee, index) => !attendee.optional && !fits[index])) continue;
    slots.push({
      start: new Date(s).toISOString(),
      end: new Date(s + duration * MIN).toISOString(),
      available: request.attendees.filter((_, index) => fits[index]).map((a) => a.id),
      unavailable: request.attendees.filter((_, index) => !fits[index]).map((a) => a.id),
      ...(preferred
        ? {
            outsideHours: request.attendees
              .map((a, index) => ({ id: a.id, minutes: outsideMinutes(index, s) }))
              .filter((o) => o.minutes > 0),
          }
        : {}),
    });
  }
  return slots;
}

// ---- random requests -------------------------------------------------------------------------

const clockText = (minutes: number): string =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

// Whole and half hours hit the edges of clock changes, 01:00–03:00 falls in the skipped or
// repeated stretch, any minute finds the odd cases.
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

const requestArbitrary = fc
  .constantFrom(...CLOCK_CHANGES)
  .chain(({ anchor, zone: changingZone }) => {
    // Half the time a zone that changes its clocks in the window.
    const zone = fc.oneof(fc.constant(changingZone), fc.constantFrom(...ZONES));
    return fc.record({
      anchor: fc.constant(anchor),
      startShiftMinutes: fc.integer({ min: -18 * 60, max: 18 * 60 }),
      startShiftMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: MIN - 1 })),
      lengthMinutes: fc.integer({ min: 60, max: 48 * 60 }),
      timeZone: zone,
      durationMinutes: fc.oneof(
        fc.constantFrom(15, 30, 45, 60, 90),
        fc.integer({ min: 1, max: 180 }),
      ),
      granularityMinutes: fc.option(fc.constantFrom(1, 5, 7, 10, 15, 20, 30, 45, 50, 60, 90), {
        nil: undefined,
      }),
      bufferMinutes: fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }),
      minNoticeMinutes: fc.option(fc.integer({ min: 0, max: 12 * 60 }), { nil: undefined }),
      nowShiftMinutes: fc.integer({ min: -24 * 60, max: 24 * 60 }),
      attendees: fc.array(
        fc.record({
          timeZone: zone,
          optional: fc.option(fc.boolean(), { nil: undefined }),
          workingHours: fc.option(fc.array(workingHoursRule, { maxLength: 3 }), { nil: undefined }),
          busy: fc.array(
            fc.record({
              startMinutes: fc.integer({ min: -6 * 60, max: 54 * 60 }),
              lengthMinutes: fc.integer({ min: 0, max: 6 * 60 }),
              ms: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: MIN - 1 })),
              status: fc.option(fc.constantFrom(...STATUSES), { nil: undefined }),
            }),
            { maxLength: 8 },
          ),
        }),
        { minLength: 1, maxLength: 4 },
      ),
    });
  })
  .map((r): Request => {
    const windowStart = r.anchor + r.startShiftMinutes * MIN + r.startShiftMs;
    const iso = (t: number) => new Date(t).toISOString();
    return {
      timeZone: r.timeZone,
      window: { start: iso(windowStart), end: iso(windowStart + r.lengthMinutes * MIN) },
      durationMinutes: r.durationMinutes,
      ...(r.granularityMinutes === undefined ? {} : { granularityMinutes: r.granularityMinutes }),
      ...(r.bufferMinutes === undefined ? {} : { bufferMinutes: r.bufferMinutes }),
      ...(r.minNoticeMinutes === undefined ? {} : { minNoticeMinutes: r.minNoticeMinutes }),
      now: iso(windowStart + r.nowShiftMinutes * MIN),
      attendees: r.attendees.map((a, index) => ({
        id: `person${index}@example.com`,
        timeZone: a.timeZone,
        ...(a.optional === undefined ? {} : { optional: a.optional }),
        ...(a.workingHours === undefined ? {} : { workingHours: a.workingHours }),
        busy: a.busy.map((b) => {
          const start = windowStart + b.startMinutes * MIN + b.ms;
          return {
            start: iso(start),
            end: iso(start + b.lengthMinutes * MIN),
            ...(b.status === undefined ? {} : { status: b.status }),
          };
        }),
      })),
    };
  });

/** The same requests with working hours preferred or required, and some acceptable hours. */
const burdenRequestArbitrary = fc
  .record({
    request: requestArbitrary,
    mode: fc.constantFrom('required' as const, 'preferred' as const),
    acceptable: fc.array(
      fc.option(
        fc
          .record({ start: minuteOfDay, end: fc.oneof(minuteOfDay, fc.constant(1440)) })
          .filter((h) => h.start !== h.end % 1440),
        { nil: undefined },
      ),
      { minLength: 4, maxLength: 4 },
    ),
  })
  .map(({ request, mode, acceptable }): Request => ({
    ...request,
    workingHours: mode,
    attendees: request.attendees.map((attendee, index) => {
      const hours = acceptable[index];
      return hours
        ? {
            ...attendee,
            acceptableHours: { start: clockText(hours.start), end: clockText(hours.end) },
          }
        : attendee;
    }),
  }));

/** Least burden: total minutes outside required attendees' hours, then the most of one, then start. */
function burdenKey(request: Request, slot: OracleSlot): [number, number] {
  const required = new Set(request.attendees.filter((a) => !a.optional).map((a) => a.id));
  const minutes = (slot.outsideHours ?? []).filter((o) => required.has(o.id)).map((o) => o.minutes);
  return [minutes.reduce((sum, m) => sum + m, 0), Math.max(0, ...minutes)];
}

interface OutputSlot extends OracleSlot {
  score: number;
  reasons: Record<string, { value: number; weight: number; note: string }>;
}

function run(request: Request, all: boolean): OutputSlot[] {
  const result = runSlotsCommand(JSON.stringify(request), { all });
  expect(result.stderr).toBe('');
  expect(result.exitCode).toBe(0);
  return (JSON.parse(result.stdout) as { slots: OutputSlot[] }).slots;
}

describe('quorum slots against a minute-by-minute oracle', () => {
  it('--all lists exactly the slots the oracle finds, across clock changes', () => {
    fc.assert(
      fc.property(requestArbitrary, (request) => {
        const found = run(request, true).map(({ start, end, available, unavailable }) => ({
          start,
          end,
          available,
          unavailable,
        }));
        expect(found).toEqual(oracle(request));
      }),
      { numRuns: 250 },
    );
    // About 8 s on two idle cores; the margin is for a busy machine.
  }, 120_000);

  it('ranked output is the best `limit` of --all, by score then start', () => {
    fc.assert(
      fc.property(requestArbitrary, fc.integer({ min: 1, max: 12 }), (request, limit) => {
        const all = run(request, true);
        const ranked = run({ ...request, limit }, false);
        const expected = [...all]
          .sort((a, b) => b.score - a.score || Date.parse(a.start) - Date.parse(b.start))
          .slice(0, limit);
        expect(ranked).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  it('every score is in [0, 1] and is the weighted sum of its reasons', () => {
    fc.assert(
      fc.property(requestArbitrary, (request) => {
        for (const slot of run(request, true)) {
          expect(slot.score).toBeGreaterThanOrEqual(0);
          expect(slot.score).toBeLessThanOrEqual(1);
          const parts = Object.values(slot.reasons);
          const weights = parts.reduce((sum, part) => sum + part.weight, 0);
          const weighted = parts.reduce((sum, part) => sum + part.value * part.weight, 0);
          expect(weights).toBeCloseTo(1, 3);
          expect(weighted).toBeCloseTo(slot.score, 3);
          for (const part of parts) {
            expect(part.value).toBeGreaterThanOrEqual(0);
            expect(part.value).toBeLessThanOrEqual(1);
          }
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('quorum slots with working hours preferred and acceptable hours, against the oracle', () => {
  it('--all lists exactly the slots, and minutes outside hours, the oracle finds', () => {
    fc.assert(
      fc.property(burdenRequestArbitrary, (request) => {
        const found = run(request, true).map(
          ({ start, end, available, unavailable, outsideHours }) => ({
            start,
            end,
            available,
            unavailable,
            ...(outsideHours ? { outsideHours } : {}),
          }),
        );
        expect(found).toEqual(oracle(request));
      }),
      { numRuns: 150 },
    );
  }, 120_000);

  it('ranked output with working hours preferred puts the least burden first', () => {
    fc.assert(
      fc.property(
        burdenRequestArbitrary.map((r) => ({ ...r, workingHours: 'preferred' as const })),
        fc.integer({ min: 1, max: 12 }),
        (request, limit) => {
          const all = run(request, true);
          const ranked = run({ ...request, limit }, false);
          // Ties in (total, most) are broken by how far past anyone's hours a slot reaches,
          // then by start: the oracle checks the two figures, and that each slot is a real one.
          const byBurden = (x: [number, number], y: [number, number]) => x[0] - y[0] || x[1] - y[1];
          const expected = all.map((slot) => burdenKey(request, slot)).sort(byBurden);
          expect(ranked.map((slot) => burdenKey(request, slot))).toEqual(expected.slice(0, limit));
          for (const slot of ranked) {
            expect(all).toContainEqual({ ...slot, score: expect.any(Number) });
          }
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);
});
