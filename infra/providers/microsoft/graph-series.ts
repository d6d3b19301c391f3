// A series in Graph's terms: a recurrence {pattern, range} kept in the organizer's zone
// (recurrenceTimeZone), with start/end as that zone's wall clock so Outlook keeps 09:00 at 09:00
// across DST. Occurrences are items of their own, found through /instances by original start.
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { SeriesOnCalendar } from '../../../core/calendars/provider.ts';
import type { RecurrenceRule } from '../../../core/scheduling/recurrence/rule.ts';

const DAY_NAMES = {
  MO: 'monday',
  TU: 'tuesday',
  WE: 'wednesday',
  TH: 'thursday',
  FR: 'friday',
  SA: 'saturday',
  SU: 'sunday',
} as const;
const INDEX = { 1: 'first', 2: 'second', 3: 'third', 4: 'fourth', [-1]: 'last' } as Record<
  number,
  string
>;

/** The dateTimeTimeZone of an instant as the zone's wall clock. */
export function zonedDateTime(instant: Date, zone: string) {
  return {
    dateTime: DateTime.fromJSDate(instant, { zone }).toFormat("yyyy-LL-dd'T'HH:mm:ss"),
    timeZone: zone,
  };
}

/** Graph's patternedRecurrence for a rule whose first occurrence starts at `start`. */
export function graphRecurrence(rule: RecurrenceRule, start: Date, zone: string) {
  const first = DateTime.fromJSDate(start, { zone });
  const pattern =
    rule.frequency === 'weekly'
      ? {
          type: 'weekly',
          interval: rule.interval,
          daysOfWeek: [first.setLocale('en').weekdayLong!.toLowerCase()],
          firstDayOfWeek: 'monday',
        }
      : {
          type: 'relativeMonthly',
          interval: rule.interval,
          daysOfWeek: [DAY_NAMES[rule.weekday]],
          index: INDEX[rule.ordinal]!,
        };
  const startDate = first.toISODate()!;
  const range =
    rule.count !== undefined
      ? { type: 'numbered', startDate, numberOfOccurrences: rule.count, recurrenceTimeZone: zone }
      : { type: 'endDate', startDate, endDate: rule.until!, recurrenceTimeZone: zone };
  return { pattern, range };
}

/** The series' times and recurrence, as a create or a whole-recurrence PATCH sends them. */
export function graphSeriesFields(series: SeriesOnCalendar) {
  return {
    start: zonedDateTime(series.start, series.timeZone),
    end: zonedDateTime(series.end, series.timeZone),
    recurrence: graphRecurrence(series.rule, series.start, series.timeZone),
  };
}

/** What Quorum reads of /events/{id}/instances (asked in UTC). */
export const instancePage = z.object({
  value: z.array(
    z.object({
      id: z.string(),
      originalStart: z.string().nullish(),
      start: z.object({ dateTime: z.string(), timeZone: z.string() }).nullish(),
    }),
  ),
});
