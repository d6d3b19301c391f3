// The time every required attendee has free: the common working time, less everyone's blocking
// busy time, found with one sort and linear sweeps.
import { IntervalSet } from './interval-set.ts';

export interface RequiredTime {
  /** Working periods; undefined when the attendee works any time. */
  hours: IntervalSet | undefined;
  /** Blocking busy time, already widened by the buffer. */
  blocking: IntervalSet;
}

/**
 * The part of [from, to) where every attendee is inside working hours and nobody is blocked.
 * O(n log n) in the number of busy intervals, and usually far less: only busy time inside the
 * common working time is sorted.
 */
export function commonFreeTime(
  required: readonly RequiredTime[],
  from: number,
  to: number,
): IntervalSet {
  // Colleagues share working hours (the same set object); intersecting a set twice changes
  // nothing, so each distinct set is intersected once.
  const hourSets = new Set<IntervalSet>();
  for (const attendee of required) if (attendee.hours) hourSets.add(attendee.hours);
  let working = IntervalSet.span(from, to);
  for (const hours of hourSets) working = working.intersect(hours);
  if (working.size === 0) return working;

  // Busy time outside the common working time cannot block anything. Across time zones that is
  // most of everyone's calendar, so the one sort below stays small.
  const starts: number[] = [];
  const ends: number[] = [];
  for (const attendee of required) attendee.blocking.meetingIntervals(working, starts, ends);
  return working.subtract(IntervalSet.union(starts, ends));
}
