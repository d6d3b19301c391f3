// A booked series as Quorum remembers it: the rule, the organizer's zone and the changes made to
// single occurrences since (cancelled, moved). The calendars hold the same facts in their own
// terms (RRULE + EXDATE, Graph's pattern + occurrence deletes); this is the record they came from.
import { DateTime } from 'luxon';
import { zoneNamed } from '../../time-zones.ts';
import { expandSeries, type Occurrence, type SeriesSpec } from './expand.ts';
import type { RecurrenceRule } from './rule.ts';

export interface MovedOccurrence {
  /** The occurrence's original start (its id in every calendar: RECURRENCE-ID, originalStart). */
  original: Date;
  start: Date;
  end: Date;
}

export interface SeriesExceptions {
  /** Original starts of cancelled occurrences. */
  cancelled: Date[];
  moved: MovedOccurrence[];
}

export interface SeriesRecord extends SeriesExceptions {
  rule: RecurrenceRule;
  timeZone: string;
}

export interface SeriesOccurrence extends Occurrence {
  /** Where the rule put it; differs from `start` when the occurrence was moved. */
  original: Date;
  status: 'scheduled' | 'moved' | 'cancelled';
}

/** Every occurrence of a booked series with its exceptions applied (cancelled ones included). */
export function occurrencesOf(spec: SeriesSpec, exceptions: SeriesExceptions): SeriesOccurrence[] {
  const cancelled = new Set(exceptions.cancelled.map((d) => d.getTime()));
  const moved = new Map(exceptions.moved.map((m) => [m.original.getTime(), m]));
  return expandSeries(spec).map((occurrence) => {
    const at = occurrence.start.getTime();
    if (cancelled.has(at))
      return { ...occurrence, original: occurrence.start, status: 'cancelled' };
    const move = moved.get(at);
    if (move)
      return {
        ...occurrence,
        original: occurrence.start,
        start: move.start,
        end: move.end,
        status: 'moved',
      };
    return { ...occurrence, original: occurrence.start, status: 'scheduled' };
  });
}

/** The occurrence the rule puts at `original`, or undefined when the rule puts none there. */
export function occurrenceAt(spec: SeriesSpec, original: Date): Occurrence | undefined {
  return expandSeries(spec).find((o) => o.start.getTime() === original.getTime());
}

/**
 * The rule cut so that `from` (an occurrence's original start) and everything after it is gone:
 * "cancel the rest of the series". Ends the rule on the last kept occurrence's local date.
 */
export function ruleEndingBefore(spec: SeriesSpec, from: Date): RecurrenceRule {
  const kept = expandSeries(spec).filter((o) => o.start.getTime() < from.getTime());
  const last = kept.at(-1);
  if (!last)
    throw new RangeError('cancelling the rest from the first occurrence cancels the series');
  const { count: _count, ...rest } = spec.rule;
  const until = DateTime.fromJSDate(last.start, { zone: zoneNamed(spec.timeZone) }).toISODate()!;
  return { ...rest, until } as RecurrenceRule;
}

/** RFC 5545 text of a date-time in UTC, as UNTIL and EXDATE in UTC are written. */
export function icsUtc(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/**
 * The RRULE value (without "RRULE:") of a series: Google's recurrence[] and CalDAV's VEVENT use
 * it. UNTIL is the last occurrence's start in UTC, which RFC 5545 requires when DTSTART has a
 * TZID and which includes exactly the occurrences the rule's `until` date includes.
 */
export function toRRule(spec: SeriesSpec): string {
  const { rule } = spec;
  const occurrences = expandSeries(spec);
  // INTERVAL=1 is the default and left out, as calendars write it back.
  const interval = rule.interval === 1 ? [] : [`INTERVAL=${rule.interval}`];
  const parts =
    rule.frequency === 'weekly'
      ? ['FREQ=WEEKLY', ...interval]
      : ['FREQ=MONTHLY', ...interval, `BYDAY=${rule.ordinal}${rule.weekday}`];
  if (rule.count !== undefined) parts.push(`COUNT=${rule.count}`);
  else parts.push(`UNTIL=${icsUtc(occurrences.at(-1)!.start)}`);
  return parts.join(';');
}
