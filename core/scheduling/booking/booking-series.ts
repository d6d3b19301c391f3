// The series part of a booking: checking a rule before anything is written, and the record's
// series after one occurrence was cancelled or moved, or the rest cancelled.
import type { SeriesChange, SeriesOnCalendar } from '../../calendars/provider.ts';
import { expandSeries, type SeriesSpec } from '../recurrence/expand.ts';
import { RecurrenceError, type RecurrenceRule } from '../recurrence/rule.ts';
import {
  occurrenceAt,
  occurrencesOf,
  ruleEndingBefore,
  type SeriesOccurrence,
} from '../recurrence/series.ts';
import { BookingError } from './booking-error.ts';
import type { BookingDoc, BookingSeries } from './booking-model.ts';

/** The series of a new booking, or a BookingError('invalid-series') naming the field. */
export function newSeries(
  rule: RecurrenceRule,
  timeZone: string,
  first: { start: Date; end: Date },
): BookingSeries {
  try {
    const occurrences = expandSeries(specFor(rule, timeZone, first));
    return { rule, timeZone, cancelled: [], moved: [], lastEnd: occurrences.at(-1)!.end };
  } catch (error) {
    if (error instanceof RecurrenceError) throw new BookingError('invalid-series', error.message);
    throw error;
  }
}

export function specFor(
  rule: RecurrenceRule,
  timeZone: string,
  first: { start: Date; end: Date },
): SeriesSpec {
  return {
    rule,
    timeZone,
    start: first.start,
    durationMinutes: Math.round((first.end.getTime() - first.start.getTime()) / 60_000),
  };
}

/** The booking's series as a calendar is told about it. */
export function onCalendar(booking: BookingDoc): SeriesOnCalendar {
  const series = seriesOf(booking);
  return { rule: series.rule, timeZone: series.timeZone, start: booking.start, end: booking.end };
}

export function seriesOf(booking: BookingDoc): BookingSeries {
  if (!booking.series) {
    throw new BookingError(
      'not-a-series',
      'This meeting does not repeat: reschedule or cancel it instead.',
    );
  }
  return booking.series;
}

/** Refuses an occurrence the series does not have (it names the original start). */
export function checkOccurrence(booking: BookingDoc, original: Date): void {
  const series = seriesOf(booking);
  if (!occurrenceAt(specFor(series.rule, series.timeZone, booking), original)) {
    throw new BookingError(
      'not-found',
      `This series has no meeting starting ${original.toISOString()}; name an occurrence by its original start.`,
    );
  }
}

/** The record's series after `change` (already made on the calendar). */
export function changedSeries(booking: BookingDoc, change: SeriesChange): BookingSeries {
  const series = seriesOf(booking);
  const at = change.original.getTime();
  const other = (d: Date) => new Date(d).getTime() !== at;
  const cancelled = series.cancelled.filter(other);
  const moved = series.moved.filter((m) => other(m.original));
  let next: BookingSeries;
  if (change.kind === 'cancel-occurrence') {
    next = { ...series, cancelled: [...cancelled, change.original], moved };
  } else if (change.kind === 'move-occurrence') {
    const move = { original: change.original, start: change.start, end: change.end };
    next = { ...series, cancelled, moved: [...moved, move] };
  } else {
    const spec = specFor(series.rule, series.timeZone, booking);
    const before = (d: Date) => new Date(d).getTime() < at;
    next = {
      ...series,
      rule: ruleEndingBefore(spec, change.original),
      cancelled: series.cancelled.filter(before),
      moved: series.moved.filter((m) => before(m.original)),
    };
  }
  const kept = occurrencesOf(specFor(next.rule, next.timeZone, booking), next).filter(
    (o) => o.status !== 'cancelled',
  );
  const lastEnd =
    kept.length > 0 ? Math.max(...kept.map((o) => o.end.getTime())) : booking.end.getTime();
  return { ...next, lastEnd: new Date(lastEnd) };
}

/**
 * Every meeting of a booked series as its page lists them: where the rule put each one
 * (`original`, its name in every calendar), when it now is, and whether it was moved or
 * cancelled. Empty for a single meeting.
 */
export function meetingsOfSeries(booking: BookingDoc): SeriesOccurrence[] {
  if (!booking.series) return [];
  const { series } = booking;
  return occurrencesOf(specFor(series.rule, series.timeZone, booking), series);
}
