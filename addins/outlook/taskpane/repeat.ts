// The pane's "repeat" choice as the rule Quorum's find API takes (the one rule core checks every
// meeting of: core/scheduling/recurrence/rule.ts), the window its first meeting is searched in,
// and the rule said back in words.
import { DateTime } from 'luxon';

export type RepeatKind = 'none' | 'weekly' | 'fortnightly' | 'monthly';
/** RFC 5545 weekday codes, as the API takes them. */
export const WEEKDAY_CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type WeekdayCode = (typeof WEEKDAY_CODES)[number];
export type Ordinal = 1 | 2 | 3 | 4 | -1;

export const WEEKDAY_NAMES: Record<WeekdayCode, string> = {
  MO: 'Monday',
  TU: 'Tuesday',
  WE: 'Wednesday',
  TH: 'Thursday',
  FR: 'Friday',
  SA: 'Saturday',
  SU: 'Sunday',
};
export const ORDINAL_NAMES: Record<string, string> = {
  '1': 'first',
  '2': 'second',
  '3': 'third',
  '4': 'fourth',
  '-1': 'last',
};

export interface RepeatChoice {
  kind: RepeatKind;
  /** Meetings in the series, the first included (2–60, as the API allows). */
  count: number;
  /** Monthly only: "the first Tuesday". */
  ordinal: Ordinal;
  weekday: WeekdayCode;
}

export type ApiRule =
  | { frequency: 'weekly'; interval: number; count: number }
  | { frequency: 'monthly'; interval: 1; weekday: WeekdayCode; ordinal: Ordinal; count: number };

export const MIN_COUNT = 2;
export const MAX_COUNT = 60;

/** The rule for the API, or undefined for a single meeting. */
export function ruleOf(choice: RepeatChoice): ApiRule | undefined {
  const count = Math.trunc(choice.count);
  switch (choice.kind) {
    case 'none':
      return undefined;
    case 'weekly':
      return { frequency: 'weekly', interval: 1, count };
    case 'fortnightly':
      return { frequency: 'weekly', interval: 2, count };
    case 'monthly':
      return {
        frequency: 'monthly',
        interval: 1,
        weekday: choice.weekday,
        ordinal: choice.ordinal,
        count,
      };
  }
}

/** "weekly, 8 times", "monthly on the first Tuesday, 6 times" (as core's describeRule words it). */
export function describeRule(rule: ApiRule): string {
  const every =
    rule.frequency === 'weekly'
      ? rule.interval === 1
        ? 'weekly'
        : `every ${rule.interval} weeks`
      : `monthly on the ${ORDINAL_NAMES[String(rule.ordinal)]} ${WEEKDAY_NAMES[rule.weekday]}`;
  return `${every}, ${rule.count} times`;
}

/** The invite's own day as a monthly rule: 15 Dec 2026, a Tuesday, is "the third Tuesday". */
export function monthlyDayOf(
  date: Date,
  timeZone: string,
): { ordinal: Ordinal; weekday: WeekdayCode } {
  const local = DateTime.fromJSDate(date, { zone: timeZone });
  const nth = Math.ceil(local.day / 7);
  return {
    ordinal: nth > 4 ? -1 : (nth as Ordinal),
    weekday: WEEKDAY_CODES[local.weekday - 1]!,
  };
}

/** The date of the ordinal weekday in a month (luxon months 1–12). */
function ordinalDay(month: DateTime, weekday: WeekdayCode, ordinal: Ordinal): DateTime {
  const target = WEEKDAY_CODES.indexOf(weekday) + 1;
  if (ordinal === -1) {
    const last = month.endOf('month').startOf('day');
    return last.minus({ days: (last.weekday - target + 7) % 7 });
  }
  const first = month.startOf('month');
  return first.plus({ days: ((target - first.weekday + 7) % 7) + 7 * (ordinal - 1) });
}

/**
 * Where to search the first meeting. A monthly series must start on its rule's day, so the
 * search is that day alone: the next such day after today in `timeZone` (all of a day's times
 * are then candidates, rather than a fortnight's best few with none on the day). Otherwise the
 * pane's usual window.
 */
export function firstMeetingWindow(
  rule: ApiRule | undefined,
  usual: { start: string; end: string },
  timeZone: string,
  now = new Date(),
): { start: string; end: string } {
  if (rule?.frequency !== 'monthly') return usual;
  const today = DateTime.fromJSDate(now, { zone: timeZone }).startOf('day');
  let day = ordinalDay(today, rule.weekday, rule.ordinal);
  if (day <= today) day = ordinalDay(today.plus({ months: 1 }), rule.weekday, rule.ordinal);
  return {
    start: day.toUTC().toISO()!,
    end: day.plus({ days: 1 }).toUTC().toISO()!,
  };
}
