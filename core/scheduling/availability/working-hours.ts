// Turns working-hours rules (wall-clock times in the attendee's zone) into instant intervals.
import { IntervalSet } from './interval-set.ts';
import { WEEKDAYS, type WorkingHoursRule } from './types.ts';
import {
  DAY_MS,
  MINUTE_MS,
  wallDay,
  weekdayOfWallDay,
  type ZoneTimeline,
} from './zone-timeline.ts';

const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes since midnight of "HH:MM" (00:00–23:59, and "24:00" when `allowEndOfDay`). */
export function parseClock(text: string, allowEndOfDay = false): number {
  if (allowEndOfDay && text === '24:00') return 24 * 60;
  const match = CLOCK.exec(text);
  if (!match) throw new RangeError(`"${text}" is not a time of day HH:MM`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/**
 * The instants covered by `rules` on every local date that could reach [from, to): the union of
 * each rule applied to each date whose weekday it names. A rule whose end is not after its start
 * ends on the next day.
 */
export function workingIntervals(
  rules: readonly WorkingHoursRule[],
  timeline: ZoneTimeline,
  from: number,
  to: number,
): IntervalSet {
  const parsed = rules.map((rule) => ({
    weekdays: new Set(rule.days.map((day) => WEEKDAYS.indexOf(day))),
    start: parseClock(rule.start),
    end: parseClock(rule.end, true),
  }));
  const starts: number[] = [];
  const ends: number[] = [];
  // A period starts at most a day before its local date ends, and a night shift reaches into
  // the next day, so two days of margin before `from` catch every period that reaches it.
  const firstDay = wallDay(timeline.wallAt(from)) - 2;
  const lastDay = wallDay(timeline.wallAt(to)) + 1;
  for (let day = firstDay; day <= lastDay; day++) {
    const weekday = weekdayOfWallDay(day);
    for (const rule of parsed) {
      if (!rule.weekdays.has(weekday)) continue;
      const endDay = rule.end > rule.start ? day : day + 1;
      starts.push(timeline.instantOf(day * DAY_MS + rule.start * MINUTE_MS));
      ends.push(timeline.instantOf(endDay * DAY_MS + rule.end * MINUTE_MS));
    }
  }
  return IntervalSet.union(starts, ends);
}
