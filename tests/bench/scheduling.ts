// Availability engine benchmark: ranked and --all searches for 10–1,000 required attendees over
// 14 days, 8 busy events per attendee per working day, against a naive minute-grid scan; and
// --all for a 12-occurrence weekly series (50 attendees, busy over its whole 91-day span).
// `node tests/bench/scheduling.ts` prints one JSON line per figure.
import { DateTime } from 'luxon';
import { expandSeries } from '../../core/scheduling/recurrence/expand.ts';
import { runSlotsCommand } from '../../core/scheduling/slots-command.ts';
import {
  findAllSlots,
  findBestSlots,
  type AttendeeAvailability,
  type BusyInterval,
  type SlotSearch,
  type Weekday,
} from '../../core/scheduling/availability/index.ts';

const MIN = 60_000;
const DAY = 1_440 * MIN;
const WEEKDAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const EVENTS_PER_WORKING_DAY = 8;
const SIZES = [10, 50, 200, 1_000];
const ZONES = ['America/New_York', 'Europe/London', 'Europe/Berlin', 'UTC'];
const WINDOW_START = Date.parse('2026-03-23T00:00:00Z'); // spans the EU clock change on the 29th
const WINDOW_DAYS = 14;
// Everyone keeps 14:00–15:00Z free, so even 1,000 calendars leave something to find and rank.
const SHARED_FREE = { from: 14 * 60, to: 15 * 60 };

/** Small deterministic PRNG (mulberry32), so every run measures the same calendars. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Calendars over `busyDays` (the window, or a series' whole span) for a 14-day window. */
function makeSearch(attendeeCount: number, busyDays = WINDOW_DAYS): SlotSearch {
  const next = random(attendeeCount);
  const attendees: AttendeeAvailability[] = [];
  for (let i = 0; i < attendeeCount; i++) {
    const timeZone = ZONES[i % ZONES.length] as string;
    const busy: BusyInterval[] = [];
    for (let day = 0; day < busyDays; day++) {
      const date = DateTime.fromMillis(WINDOW_START + day * DAY, { zone: 'UTC' });
      if (date.weekday > 5) continue;
      const dayStart = DateTime.fromObject(
        { year: date.year, month: date.month, day: date.day, hour: 9 },
        { zone: timeZone },
      ).toMillis();
      for (let placed = 0; placed < EVENTS_PER_WORKING_DAY;) {
        const length = (1 + Math.floor(next() * 4)) * 15 * MIN;
        const start = dayStart + Math.floor(next() * 32) * 15 * MIN;
        const minuteOfDayUtc = (((start % DAY) + DAY) % DAY) / MIN;
        if (minuteOfDayUtc + length / MIN > SHARED_FREE.from && minuteOfDayUtc < SHARED_FREE.to) {
          continue; // would cover the shared free hour: place it elsewhere
        }
        const roll = next();
        const status = roll < 0.85 ? 'busy' : roll < 0.95 ? 'tentative' : 'free';
        busy.push({ start, end: start + length, status });
        placed++;
      }
    }
    attendees.push({
      id: `person${i}@example.com`,
      timeZone,
      optional: false,
      workingHours: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:00' }],
      busy,
    });
  }
  return {
    timeZone: 'Europe/Berlin',
    windowStart: WINDOW_START,
    windowEnd: WINDOW_START + WINDOW_DAYS * DAY,
    durationMinutes: 30,
    granularityMinutes: 15,
    bufferMinutes: 0,
    minNoticeMinutes: 0,
    now: WINDOW_START,
    attendees,
  };
}

/** Each attendee's working periods as [start, end) instants, read with luxon day by day. */
function workingPeriods(search: SlotSearch, attendee: AttendeeAvailability): [number, number][] {
  const periods: [number, number][] = [];
  for (let day = -1; day <= WINDOW_DAYS; day++) {
    const date = DateTime.fromMillis(search.windowStart + day * DAY, { zone: attendee.timeZone });
    const weekday = WEEKDAY_NAMES[date.weekday - 1] as Weekday;
    for (const rule of attendee.workingHours) {
      if (!rule.days.includes(weekday)) continue;
      const at = (clock: string) => {
        const [hour, minute] = clock.split(':').map(Number);
        return date.set({ hour, minute, second: 0, millisecond: 0 }).toMillis();
      };
      periods.push([at(rule.start), at(rule.end)]);
    }
  }
  return periods;
}

/** Feasible starts from a per-minute free/not-free grid (1 = everyone free). */
function startsFromGrid(search: SlotSearch, free: Uint8Array): number[] {
  const starts: number[] = [];
  for (let m = 0; m + search.durationMinutes <= free.length; m++) {
    let ok = true;
    for (let k = m; k < m + search.durationMinutes && ok; k++) ok = free[k] === 1;
    if (!ok) continue;
    const t = search.windowStart + m * MIN;
    const local = DateTime.fromMillis(t, { zone: search.timeZone });
    if ((local.hour * 60 + local.minute) % search.granularityMinutes === 0) starts.push(t);
  }
  return starts;
}

const blocks = (busy: BusyInterval) => busy.status === 'busy' || busy.status === 'oof';

/**
 * The naive way: for every minute of the window and every attendee, check the minute against
 * each of their working periods and busy intervals (skipping minutes someone already ruled
 * out); then offer the aligned starts whose minutes are free for everyone.
 */
function minuteGridScan(search: SlotSearch): number[] {
  const minutes = (search.windowEnd - search.windowStart) / MIN;
  const free = new Uint8Array(minutes).fill(1);
  for (const attendee of search.attendees) {
    const periods = workingPeriods(search, attendee);
    for (let m = 0; m < minutes; m++) {
      if (!free[m]) continue;
      const t = search.windowStart + m * MIN;
      let working = false;
      for (const [from, to] of periods) if (from <= t && t < to) working = true;
      let busy = false;
      for (const b of attendee.busy) if (blocks(b) && b.start < t + MIN && t < b.end) busy = true;
      if (!working || busy) free[m] = 0;
    }
  }
  return startsFromGrid(search, free);
}

/**
 * A better grid, for comparison: paint each attendee's working periods and busy intervals
 * onto the minutes they cover, so the work is minutes × attendees rather than that times
 * each calendar's length.
 */
function paintedMinuteGrid(search: SlotSearch): number[] {
  const minutes = (search.windowEnd - search.windowStart) / MIN;
  const everyone = new Uint16Array(minutes);
  const mine = new Uint8Array(minutes);
  const minuteOf = (t: number) =>
    Math.min(minutes, Math.max(0, Math.floor((t - search.windowStart) / MIN)));
  for (const attendee of search.attendees) {
    mine.fill(0);
    for (const [from, to] of workingPeriods(search, attendee)) {
      mine.fill(1, minuteOf(from), minuteOf(to));
    }
    for (const b of attendee.busy)
      if (blocks(b)) mine.fill(0, minuteOf(b.start), minuteOf(b.end + MIN - 1));
    for (let m = 0; m < minutes; m++) everyone[m] = (everyone[m] as number) + (mine[m] as number);
  }
  const free = everyone.map((n) => (n === search.attendees.length ? 1 : 0));
  return startsFromGrid(search, Uint8Array.from(free));
}

function time(run: () => unknown, repetitions: number): { medianMs: number; p95Ms: number } {
  // Warm up until the JIT has settled: a few runs, or 100 ms, whichever comes first.
  const warmUntil = performance.now() + 100;
  for (let i = 0; i < 5 && performance.now() < warmUntil; i++) run();
  const samples: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    const started = performance.now();
    run();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const pick = (q: number) =>
    samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)];
  const round = (ms: number | undefined) => Math.round((ms ?? NaN) * 1000) / 1000;
  return { medianMs: round(pick(0.5)), p95Ms: round(pick(0.95)) };
}

const SERIES = { frequency: 'weekly' as const, interval: 1, count: 12 };
const SERIES_ATTENDEES = 50;

/**
 * The series check done another way, to make sure the engine's answer is the right one: every
 * single feasible slot over the series' whole span; then each first time in the window whose
 * occurrences (expanded as bookings do, recurrence/expand.ts) are all among them.
 */
function seriesByHand(search: SlotSearch): number[] {
  const spanEnd = search.windowEnd + 12 * 7 * DAY;
  const alone = { ...search, recurrence: undefined };
  const single = new Set(findAllSlots({ ...alone, windowEnd: spanEnd }).map((s) => s.start));
  return findAllSlots(alone)
    .map((slot) => slot.start)
    .filter((start) =>
      expandSeries({
        rule: SERIES,
        timeZone: search.timeZone,
        start: new Date(start),
        durationMinutes: search.durationMinutes,
      }).every((o) => single.has(o.start.getTime())),
    );
}

/** --all with a 12-occurrence weekly series, in the engine and through the whole command. */
export function benchSeries(): Record<string, unknown>[] {
  const search: SlotSearch = {
    ...makeSearch(SERIES_ATTENDEES, WINDOW_DAYS + 11 * 7),
    recurrence: SERIES,
  };
  const found = findAllSlots(search);
  if (found.map((s) => s.start).join() !== seriesByHand(search).join() || found.length === 0) {
    throw new Error('series: the engine and the check by hand disagree (or found nothing)');
  }
  const request = JSON.stringify({
    timeZone: search.timeZone,
    window: {
      start: new Date(search.windowStart).toISOString(),
      end: new Date(search.windowEnd).toISOString(),
    },
    durationMinutes: search.durationMinutes,
    granularityMinutes: search.granularityMinutes,
    now: new Date(search.now).toISOString(),
    recurrence: SERIES,
    attendees: search.attendees.map((a) => ({
      ...a,
      busy: a.busy.map((b) => ({
        start: new Date(b.start).toISOString(),
        end: new Date(b.end).toISOString(),
        status: b.status,
      })),
    })),
  });
  const command = runSlotsCommand(request, { all: true });
  if (JSON.parse(command.stdout).slots.length !== found.length) {
    throw new Error('the series command and the engine disagree');
  }
  const busyIntervals = search.attendees.reduce((sum, a) => sum + a.busy.length, 0);
  const base = {
    attendees: SERIES_ATTENDEES,
    busyIntervals,
    days: WINDOW_DAYS,
    occurrences: SERIES.count,
    slots: found.length,
  };
  return [
    { bench: 'slots.series.all', ...base, ...time(() => findAllSlots(search), 40) },
    {
      bench: 'slots.series.all.command',
      ...base,
      requestBytes: request.length,
      ...time(() => runSlotsCommand(request, { all: true }), 40),
    },
  ];
}

export async function benchScheduling(): Promise<Record<string, unknown>[]> {
  const figures: Record<string, unknown>[] = [...benchSeries()];
  for (const attendees of SIZES) {
    const search = makeSearch(attendees);
    const busyIntervals = search.attendees.reduce((sum, a) => sum + a.busy.length, 0);
    const repetitions = attendees <= 50 ? 40 : attendees <= 200 ? 20 : 10;

    const found = findAllSlots(search);
    const all = found.map((slot) => slot.start).join();
    for (const [name, scan] of [
      ['minute-grid scan', minuteGridScan],
      ['painted grid', paintedMinuteGrid],
    ] as const) {
      if (scan(search).join() !== all) {
        throw new Error(`${name} and engine disagree at ${attendees} attendees`);
      }
    }

    const ranked = time(() => findBestSlots(search, 10), repetitions);
    const everything = time(() => findAllSlots(search), repetitions);
    const naive = time(() => minuteGridScan(search), attendees <= 200 ? 3 : 1);
    const painted = time(() => paintedMinuteGrid(search), attendees <= 200 ? 5 : 2);
    const base = { attendees, busyIntervals, days: WINDOW_DAYS, slots: found.length };
    const ratios = (ms: number) => ({
      overRanked: Math.round((ms / ranked.medianMs) * 10) / 10,
      overAll: Math.round((ms / everything.medianMs) * 10) / 10,
    });
    figures.push({ bench: 'slots.ranked', ...base, ...ranked });
    figures.push({ bench: 'slots.all', ...base, ...everything });
    figures.push({
      bench: 'slots.naive-minute-grid',
      ...base,
      ...naive,
      ...ratios(naive.medianMs),
    });
    figures.push({
      bench: 'slots.painted-minute-grid',
      ...base,
      ...painted,
      ...ratios(painted.medianMs),
    });
  }
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const figure of await benchScheduling()) console.log(JSON.stringify(figure));
}
