// A series' occurrences as instants. Occurrence k keeps the wall-clock start of the first in the
// organizer's zone, so a 09:00 Berlin meeting stays at 09:00 Berlin across the DST changes (and
// moves an hour for people in zones that change on other dates, as in every calendar).
import { DateTime } from 'luxon';
import { zoneNamed } from '../../time-zones.ts';
import {
  MAX_HORIZON_DAYS,
  MAX_OCCURRENCES,
  RULE_WEEKDAYS,
  RecurrenceError,
  type RecurrenceRule,
} from './rule.ts';

export interface SeriesSpec {
  rule: RecurrenceRule;
  /** The organizer's IANA zone: the wall-clock time is kept in it. */
  timeZone: string;
  /** The first occurrence's start. */
  start: Date;
  durationMinutes: number;
}

export interface Occurrence {
  /** 0 for the first. */
  index: number;
  start: Date;
  end: Date;
}

interface PlainDate {
  year: number;
  month: number;
  day: number;
}

const DAY_MS = 86_400_000;

/**
 * Every occurrence of the series, in order. Throws RecurrenceError (naming the field) when the
 * first occurrence is not on its rule's day or the series runs past the bounds.
 */
export function expandSeries(spec: SeriesSpec): Occurrence[] {
  const zone = zoneNamed(spec.timeZone);
  if (!zone.isValid) {
    throw new RecurrenceError(
      'timeZone',
      `"${spec.timeZone}" is not an IANA zone (e.g. "Europe/Berlin")`,
    );
  }
  const first = DateTime.fromJSDate(spec.start, { zone });
  const wall = { hour: first.hour, minute: first.minute, second: first.second };
  const dates = occurrenceDates(spec.rule, {
    year: first.year,
    month: first.month,
    day: first.day,
  });
  return dates.map((date, index) => {
    // The first is the instant asked for, even the second of a repeated wall time.
    const start =
      index === 0 ? new Date(spec.start.getTime()) : wallClockInstant(date, wall, spec.timeZone);
    return { index, start, end: new Date(start.getTime() + spec.durationMinutes * 60_000) };
  });
}

/** The local dates of the series, checked against its bounds. */
export function occurrenceDates(rule: RecurrenceRule, first: PlainDate): PlainDate[] {
  if (rule.frequency === 'monthly') checkMonthlyStart(rule, first);
  const endField = rule.count !== undefined ? 'recurrence.count' : 'recurrence.until';
  const until = rule.until !== undefined ? toDays(parseDate(rule.until)) : undefined;
  if (until !== undefined && until < toDays(first)) {
    throw new RecurrenceError('recurrence.until', `${rule.until} is before the first occurrence`);
  }
  const dates: PlainDate[] = [];
  for (let k = 0; ; k++) {
    if (rule.count !== undefined && k >= rule.count) break;
    const date = nthDate(rule, first, k);
    if (until !== undefined && toDays(date) > until) break;
    if (toDays(date) - toDays(first) > MAX_HORIZON_DAYS) {
      throw new RecurrenceError(
        endField,
        `the series would run past ${MAX_HORIZON_DAYS} days from its first occurrence; end it sooner`,
      );
    }
    if (dates.length === MAX_OCCURRENCES) {
      throw new RecurrenceError(endField, `a series has at most ${MAX_OCCURRENCES} occurrences`);
    }
    dates.push(date);
  }
  return dates;
}

function nthDate(rule: RecurrenceRule, first: PlainDate, k: number): PlainDate {
  if (rule.frequency === 'weekly') return fromDays(toDays(first) + 7 * rule.interval * k);
  const months = first.year * 12 + (first.month - 1) + rule.interval * k;
  return ordinalWeekday(Math.floor(months / 12), (months % 12) + 1, rule.weekday, rule.ordinal);
}

function checkMonthlyStart(
  rule: Extract<RecurrenceRule, { frequency: 'monthly' }>,
  first: PlainDate,
) {
  const expected = ordinalWeekday(first.year, first.month, rule.weekday, rule.ordinal);
  if (toDays(expected) !== toDays(first)) {
    throw new RecurrenceError(
      'recurrence.ordinal',
      `the first occurrence (${formatDate(first)}) is not on the rule's day of its month (${formatDate(expected)}); start the series on that day`,
    );
  }
}

/** The `ordinal`-th (1..4, or -1 for last) `weekday` of a month. */
export function ordinalWeekday(
  year: number,
  month: number,
  weekday: (typeof RULE_WEEKDAYS)[number],
  ordinal: number,
): PlainDate {
  const target = RULE_WEEKDAYS.indexOf(weekday) + 1; // luxon: Monday 1 .. Sunday 7
  if (ordinal > 0) {
    const firstDay = DateTime.utc(year, month, 1);
    const offset = (target - firstDay.weekday + 7) % 7;
    return plain(firstDay.plus({ days: offset + 7 * (ordinal - 1) }));
  }
  const lastDay = DateTime.utc(year, month, 1).endOf('month').startOf('day');
  const back = (lastDay.weekday - target + 7) % 7;
  return plain(lastDay.minus({ days: back }));
}

/**
 * The instant a wall-clock time on a date has in a zone. A time the zone skips (spring forward)
 * moves forward by the gap; a time it repeats (fall back) takes the earlier instant. Luxon takes
 * the later one for a repeated time, hence this, which works for any offset change (Lord Howe's
 * half hour included).
 */
export function wallClockInstant(
  date: PlainDate,
  wall: { hour: number; minute: number; second?: number },
  timeZone: string,
): Date {
  const zone = zoneNamed(timeZone);
  const asUtc = Date.UTC(
    date.year,
    date.month - 1,
    date.day,
    wall.hour,
    wall.minute,
    wall.second ?? 0,
  );
  const before = zone.offset(asUtc - DAY_MS);
  const after = zone.offset(asUtc + DAY_MS);
  const valid = [...new Set([before, after])]
    .map((offset) => asUtc - offset * 60_000)
    .filter((instant) => asUtc - zone.offset(instant) * 60_000 === instant);
  if (valid.length > 0) return new Date(Math.min(...valid));
  return new Date(asUtc - before * 60_000);
}

function toDays(date: PlainDate): number {
  return Date.UTC(date.year, date.month - 1, date.day) / DAY_MS;
}

function fromDays(days: number): PlainDate {
  const d = new Date(days * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function plain(dt: DateTime): PlainDate {
  return { year: dt.year, month: dt.month, day: dt.day };
}

function parseDate(text: string): PlainDate {
  const [year, month, day] = text.split('-').map(Number) as [number, number, number];
  const dt = DateTime.utc(year, month, day);
  if (!dt.isValid) throw new RecurrenceError('recurrence.until', `${text} is not a calendar date`);
  return plain(dt);
}

function formatDate(date: PlainDate): string {
  return DateTime.utc(date.year, date.month, date.day).toFormat('ccc d LLL yyyy');
}

/**
 * The window to search a series' first meeting in: as asked, except that a monthly series must
 * start on its rule's day ("the first Monday"), so the window is stretched to hold the next two
 * such days in `timeZone` (the first may be nearly over): later times on other days are never
 * offered, as their series would not start on the rule's day.
 */
export function firstMeetingWindow(
  rule: RecurrenceRule,
  window: { start: Date; end: Date },
  timeZone: string,
): { start: Date; end: Date } {
  if (rule.frequency !== 'monthly') return window;
  const zone = zoneNamed(timeZone);
  const from = DateTime.fromJSDate(window.start, { zone }).startOf('day');
  const days: DateTime[] = [];
  for (let month = 0; days.length < 2 && month < 14; month++) {
    const probe = from.startOf('month').plus({ months: month });
    const day = DateTime.fromObject(
      ordinalWeekday(probe.year, probe.month, rule.weekday, rule.ordinal),
      { zone },
    );
    if (day >= from) days.push(day);
  }
  const end = days.at(-1)!.plus({ days: 1 }).toJSDate();
  return end > window.end ? { start: window.start, end } : window;
}
