// Each attendee's calendar turned into instant interval sets the engine can query quickly.
import { IntervalSet } from './interval-set.ts';
import {
  WEEKDAYS,
  type AcceptableHours,
  type AttendeeAvailability,
  type WorkingHoursMode,
  type WorkingHoursRule,
} from './types.ts';
import { workingIntervals } from './working-hours.ts';
import type { ZoneTimeline } from './zone-timeline.ts';

/**
 * Someone who stated no working hours can meet any time, but a 03:00 meeting is still a burden:
 * for ranking only, their day is assumed to be this.
 */
const ASSUMED_DAY: readonly WorkingHoursRule[] = [{ days: WEEKDAYS, start: '08:00', end: '20:00' }];

export interface AttendeePlan {
  id: string;
  optional: boolean;
  timeZone: string;
  /** Working periods; undefined when the attendee works any time. */
  hours: IntervalSet | undefined;
  /**
   * Where a slot may lie for this attendee: their working hours (required mode) within their
   * acceptable hours (either mode); undefined when nothing limits them.
   */
  allowed: IntervalSet | undefined;
  /** Working periods, or the assumed day when none are stated: what "out of hours" means. */
  day: IntervalSet;
  /** `busy` and `oof` time widened by the buffer on both sides. */
  blocking: IntervalSet;
  /** `tentative` time widened by the buffer. */
  tentative: IntervalSet;
  /** Every meeting (blocking or tentative) widened by the buffer: the edges of focus time. */
  meetings: IntervalSet;
}

export interface PlanContext {
  timelineOf: (zone: string) => ZoneTimeline;
  from: number;
  to: number;
  bufferMs: number;
  mode: WorkingHoursMode;
}

function everyDay(hours: AcceptableHours): WorkingHoursRule[] {
  return [{ days: WEEKDAYS, start: hours.start, end: hours.end }];
}

export function planAttendees(
  attendees: readonly AttendeeAvailability[],
  context: PlanContext,
): AttendeePlan[] {
  // Teams share zones and hours; the same rules in the same zone give the same intervals.
  const hoursByRules = new Map<string, IntervalSet>();
  const hoursFor = (zone: string, rules: readonly WorkingHoursRule[]): IntervalSet => {
    const key = [zone, ...rules.map((r) => `${r.days.join()}/${r.start}/${r.end}`)].join(' ');
    let hours = hoursByRules.get(key);
    if (!hours) {
      hours = workingIntervals(rules, context.timelineOf(zone), context.from, context.to);
      hoursByRules.set(key, hours);
    }
    return hours;
  };

  // Shared the same way, so commonFreeTime intersects each distinct set once.
  const allowedByKey = new Map<string, IntervalSet | undefined>();
  const allowedFor = (attendee: AttendeeAvailability, hours: IntervalSet | undefined) => {
    const acceptable = attendee.acceptableHours;
    const limitsHours = context.mode === 'required' ? hours : undefined;
    if (!acceptable) return limitsHours;
    const key = `${context.mode} ${attendee.timeZone} ${acceptable.start}-${acceptable.end} ${attendee.workingHours.map((r) => `${r.days.join()}/${r.start}/${r.end}`).join(' ')}`;
    if (!allowedByKey.has(key)) {
      const within = hoursFor(attendee.timeZone, everyDay(acceptable));
      allowedByKey.set(key, limitsHours ? limitsHours.intersect(within) : within);
    }
    return allowedByKey.get(key);
  };

  return attendees.map((attendee) => {
    const hours =
      attendee.workingHours.length > 0
        ? hoursFor(attendee.timeZone, attendee.workingHours)
        : undefined;
    const blocking = { starts: [] as number[], ends: [] as number[] };
    const tentative = { starts: [] as number[], ends: [] as number[] };
    for (const busy of attendee.busy) {
      if (busy.status === 'free' || busy.end <= busy.start) continue;
      const into = busy.status === 'tentative' ? tentative : blocking;
      into.starts.push(busy.start - context.bufferMs);
      into.ends.push(busy.end + context.bufferMs);
    }
    const blockingSet = IntervalSet.union(blocking.starts, blocking.ends);
    const tentativeSet = IntervalSet.union(tentative.starts, tentative.ends);
    return {
      id: attendee.id,
      optional: attendee.optional,
      timeZone: attendee.timeZone,
      hours,
      allowed: allowedFor(attendee, hours),
      day: hours ?? hoursFor(attendee.timeZone, ASSUMED_DAY),
      blocking: blockingSet,
      tentative: tentativeSet,
      meetings: IntervalSet.merge(blockingSet, tentativeSet),
    };
  });
}
