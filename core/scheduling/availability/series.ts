// A series' occurrences as the engine reads them. The local dates come from recurrence/expand.ts,
// the rule bookings use, so what is offered is what gets booked. The instants come from the
// organizer's ZoneTimeline, whose instantOf keeps expand.ts's wallClockInstant rule (a skipped
// wall time moves forward by the gap, a repeated one takes the earlier instant) with cached
// offsets instead of a luxon call per occurrence: a search expands thousands of series.
import { occurrenceDates } from '../recurrence/expand.ts';
import { RecurrenceError, type RecurrenceRule } from '../recurrence/rule.ts';
import { DAY_MS, wallDay, type ZoneTimeline } from './zone-timeline.ts';

export interface Interval {
  start: number;
  end: number;
}

function plainDate(day: number) {
  const date = new Date(day * DAY_MS);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** The series' days for each possible first day, worked out once per day. */
export class SeriesDays {
  readonly #rule: RecurrenceRule;
  readonly #offsets = new Map<number, number[] | undefined>();

  constructor(rule: RecurrenceRule) {
    this.#rule = rule;
  }

  /**
   * Days after `firstDay` (a wall day, see zone-timeline.ts) of each occurrence, 0 first;
   * undefined when a monthly series cannot start that day. Throws RecurrenceError when the
   * series would run past its bounds.
   */
  offsetsFrom(firstDay: number): number[] | undefined {
    if (this.#offsets.has(firstDay)) return this.#offsets.get(firstDay);
    let offsets: number[] | undefined;
    try {
      offsets = occurrenceDates(this.#rule, plainDate(firstDay)).map(
        (date) => Date.UTC(date.year, date.month - 1, date.day) / DAY_MS - firstDay,
      );
    } catch (error) {
      // A monthly series starts on its rule's day ("the first Tuesday"): no other day is offered.
      if (!(error instanceof RecurrenceError) || error.field !== 'recurrence.ordinal') throw error;
    }
    this.#offsets.set(firstDay, offsets);
    return offsets;
  }

  /** The most days any series starting between `from` and `to` spans (its first day's). */
  longestBetween(timeline: ZoneTimeline, from: number, to: number): number {
    let longest = 0;
    for (let day = wallDay(timeline.wallAt(from)); day <= wallDay(timeline.wallAt(to)); day++) {
      longest = Math.max(longest, this.offsetsFrom(day)?.at(-1) ?? 0);
    }
    return longest;
  }
}

/**
 * Every occurrence of the series whose first is [start, start + durationMs): the first as given
 * (an aligned start is a real instant, even the second of a repeated wall time), the others at
 * its wall-clock time on their days; undefined when the series cannot start that day.
 */
export function occurrencesOf(
  days: SeriesDays,
  timeline: ZoneTimeline,
  start: number,
  durationMs: number,
): Interval[] | undefined {
  const wall = timeline.wallAt(start);
  const firstDay = wallDay(wall);
  const offsets = days.offsetsFrom(firstDay);
  if (!offsets) return undefined;
  return offsets.map((offset, k) => {
    const at = k === 0 ? start : timeline.instantOf(wall + offset * DAY_MS);
    return { start: at, end: at + durationMs };
  });
}

/**
 * Why a request's series cannot be searched (one line naming the field), or undefined: a
 * series starting on any day of the window must stay within its bounds (400 days, 60 times).
 * A monthly rule whose day the window misses is checked from its next day, so a series too
 * long to book is refused whatever the window.
 */
export function seriesBoundsError(
  rule: RecurrenceRule,
  timeline: ZoneTimeline,
  windowStart: number,
  windowEnd: number,
): string | undefined {
  try {
    const days = new SeriesDays(rule);
    const first = wallDay(timeline.wallAt(windowStart));
    const last = wallDay(timeline.wallAt(windowEnd));
    let starts = 0;
    for (let day = first; day <= last || (starts === 0 && day <= last + 62); day++) {
      if (days.offsetsFrom(day)) starts++;
    }
    return undefined;
  } catch (error) {
    if (error instanceof RecurrenceError) return error.message;
    throw error;
  }
}
