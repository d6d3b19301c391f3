// Slot starts fall on whole minutes whose wall-clock minute of the day, in the organizer's zone,
// is a multiple of the granularity. On a fall-back night the repeated wall times are aligned
// twice; on a spring-forward night the skipped ones not at all.
import { MINUTE_MS, minuteOfWallDay, type ZoneTimeline } from './zone-timeline.ts';

const MINUTES_PER_DAY = 24 * 60;

/** The first aligned instant at or after `t`. */
export function nextAlignedStart(timeline: ZoneTimeline, granularity: number, t: number): number {
  let at = Math.ceil(t / MINUTE_MS) * MINUTE_MS;
  for (;;) {
    const minute = minuteOfWallDay(timeline.wallAt(at));
    const remainder = minute % granularity;
    const target =
      remainder === 0 ? minute : Math.min(minute - remainder + granularity, MINUTES_PER_DAY);
    const candidate = at + (target - minute) * MINUTE_MS;
    // Past an offset change the wall clock jumps, so count again from the change.
    const change = timeline.nextChangeAfter(at);
    if (candidate < change) return candidate;
    at = Math.ceil(change / MINUTE_MS) * MINUTE_MS;
  }
}

/** Aligned starts s with from ≤ s ≤ last, ascending, appended to `into`. */
export function alignedStartsBetween(
  timeline: ZoneTimeline,
  granularity: number,
  from: number,
  last: number,
  into: number[],
): void {
  for (let s = nextAlignedStart(timeline, granularity, from); s <= last;) {
    into.push(s);
    s = nextAlignedStart(timeline, granularity, s + 1);
  }
}
