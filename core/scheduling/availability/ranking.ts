// Scores a feasible slot from parts that each say why, so a person can see why one time beat
// another. Every part is in [0, 1]; the score is their weighted mean.
import type { AttendeePlan } from './attendee-plan.ts';
import { scoreOf, weighParts, type Part, type PartValues } from './score-parts.ts';
import { WEEKDAYS, type PartOfDay, type ScorePart, type SlotPreferences } from './types.ts';
import {
  MINUTE_MS,
  minuteOfWallDay,
  wallDay,
  weekdayOfWallDay,
  type ZoneTimeline,
} from './zone-timeline.ts';

const HOUR_MS = 60 * MINUTE_MS;

/** A meeting this far past someone's day is as bad as it gets. */
const FULL_BURDEN_MS = 3 * HOUR_MS;
/** Free time further away than this is not counted as the focus block a slot would cut into. */
const FOCUS_HORIZON_MS = 8 * HOUR_MS;

/** Wall-clock minutes [from, to) of each part of the day, in the organizer's zone. */
const PART_OF_DAY_MINUTES: Record<PartOfDay, [number, number]> = {
  morning: [5 * 60, 12 * 60],
  afternoon: [12 * 60, 17 * 60],
  evening: [17 * 60, 22 * 60],
};

export interface RankingContext {
  plans: readonly AttendeePlan[];
  timeline: ZoneTimeline;
  durationMs: number;
  /** Earliest and latest feasible-in-principle starts: the ends of the earliness scale. */
  firstStart: number;
  lastStart: number;
  preferences: SlotPreferences | undefined;
}

/** What was measured about one slot; `values` feed the score, the rest explains it. */
export interface Assessment {
  start: number;
  values: PartValues;
  score: number;
  attendees: number;
  insideHours: number;
  optionalAttendees: number;
  optionalAvailable: number;
  attending: number;
  tentativeHolds: number;
  besideEdges: number;
  worstZone: string | undefined;
  worstZoneMinutesOutside: number;
  partOfDayShare: number | undefined;
  onPreferredDay: boolean | undefined;
}

export interface Ranker {
  /** Scores feasible starts (ones every required attendee can make), in one pass per attendee. */
  assess(starts: readonly number[]): Assessment[];
  /** Who can come at a feasible start, in request order. */
  availability(start: number): { available: string[]; unavailable: string[] };
  explain(assessment: Assessment): Record<string, ScorePart>;
}

/** Share of the slot's wall-clock minutes inside a part of the day (today's or tomorrow's). */
function shareInPart(startMinute: number, durationMinutes: number, part: PartOfDay): number {
  const [from, to] = PART_OF_DAY_MINUTES[part];
  let inside = 0;
  for (const shift of [0, 24 * 60]) {
    inside += Math.max(
      0,
      Math.min(startMinute + durationMinutes, to + shift) - Math.max(startMinute, from + shift),
    );
  }
  return inside / durationMinutes;
}

function bump(counts: Float64Array, at: number, by = 1): void {
  counts[at] = (counts[at] as number) + by;
}

// At a feasible start required attendees are inside their hours and free; only optional
// attendees need checking.
function insideHours(plan: AttendeePlan, start: number, end: number): boolean {
  return !plan.optional || !plan.hours || plan.hours.covers(start, end);
}

function blocked(plan: AttendeePlan, start: number, end: number): boolean {
  return plan.optional && plan.blocking.meets(start, end);
}

export function createRanker(context: RankingContext): Ranker {
  const { plans, timeline, durationMs, firstStart, lastStart, preferences } = context;
  const zones = [...new Set(plans.map((plan) => plan.timeZone))];
  const zoneOfPlan = plans.map((plan) => zones.indexOf(plan.timeZone));
  const optionalAttendees = plans.filter((plan) => plan.optional).length;
  const preferredDays = preferences?.days?.length
    ? new Set(preferences.days.map((day) => WEEKDAYS.indexOf(day)))
    : undefined;
  const partOfDay = preferences?.partOfDay;

  function assess(starts: readonly number[]): Assessment[] {
    const count = starts.length;
    const inside = new Float64Array(count);
    const optionalAvailable = new Float64Array(count);
    const attending = new Float64Array(count);
    const tentativeHolds = new Float64Array(count);
    const focusSum = new Float64Array(count);
    const besideEdges = new Float64Array(count);
    // Per start and zone (index start × zones + zone): burden, time outside, attendees.
    const zoneBurden = new Float64Array(count * zones.length);
    const zoneOutside = new Float64Array(count * zones.length);
    const zoneCount = new Float64Array(count * zones.length);

    // Attendee by attendee, so each calendar is read once for all starts.
    for (let p = 0; p < plans.length; p++) {
      const plan = plans[p] as AttendeePlan;
      const zone = zoneOfPlan[p] as number;
      for (let c = 0; c < count; c++) {
        const start = starts[c] as number;
        const end = start + durationMs;
        const isInside = insideHours(plan, start, end);
        if (isInside) bump(inside, c);
        if (blocked(plan, start, end)) continue;
        // Anyone free to come carries the burden of a time outside their day.
        const outside = isInside && plan.hours ? 0 : plan.day.farthestDistance(start, end);
        const cell = c * zones.length + zone;
        bump(zoneBurden, cell, Math.min(1, outside / FULL_BURDEN_MS));
        bump(zoneOutside, cell, Math.min(outside, 24 * HOUR_MS));
        bump(zoneCount, cell);
        if (!isInside) continue; // an optional attendee outside their hours cannot come
        bump(attending, c);
        if (plan.optional) bump(optionalAvailable, c);
        if (plan.tentative.meets(start, end)) bump(tentativeHolds, c);
        // Focus: the free stretch around the slot, bounded by meetings, the edges of the
        // attendee's day and a horizon. A slot at one end keeps the rest in one piece (1); one
        // in the middle splits it in two (0).
        const dayIndex = plan.day.indexCovering(start, end);
        const previous = Math.max(
          plan.meetings.lastEdgeAtOrBefore(start),
          dayIndex >= 0 ? (plan.day.starts[dayIndex] as number) : -Infinity,
          start - FOCUS_HORIZON_MS,
        );
        const next = Math.min(
          plan.meetings.firstEdgeAtOrAfter(end),
          dayIndex >= 0 ? (plan.day.ends[dayIndex] as number) : Infinity,
          end + FOCUS_HORIZON_MS,
        );
        const before = start - previous;
        const after = next - end;
        if (before === 0 || after === 0) bump(besideEdges, c);
        bump(focusSum, c, before + after === 0 ? 1 : Math.abs(before - after) / (before + after));
      }
    }

    return starts.map((start, c) => {
      let worstZone: string | undefined;
      let worstBurden = 0;
      let worstZoneMinutesOutside = 0;
      for (let zone = 0; zone < zones.length; zone++) {
        const cell = c * zones.length + zone;
        const holders = zoneCount[cell] as number;
        if (holders === 0) continue;
        const burden = (zoneBurden[cell] as number) / holders;
        if (burden > worstBurden) {
          worstBurden = burden;
          worstZone = zones[zone];
          worstZoneMinutesOutside = (zoneOutside[cell] as number) / holders / MINUTE_MS;
        }
      }
      const present = attending[c] as number;
      const values: PartValues = {
        workingHours: plans.length === 0 ? 1 : (inside[c] as number) / plans.length,
        tentative: present === 0 ? 1 : 1 - (tentativeHolds[c] as number) / present,
        fairness: 1 - worstBurden,
        focus: present === 0 ? 1 : (focusSum[c] as number) / present,
        earliness: lastStart > firstStart ? 1 - (start - firstStart) / (lastStart - firstStart) : 1,
      };
      if (optionalAttendees > 0) {
        values.optionalAttendees = (optionalAvailable[c] as number) / optionalAttendees;
      }

      let partOfDayShare: number | undefined;
      let onPreferredDay: boolean | undefined;
      if (partOfDay || preferredDays) {
        const wall = timeline.wallAt(start);
        const matches: number[] = [];
        if (partOfDay) {
          partOfDayShare = shareInPart(minuteOfWallDay(wall), durationMs / MINUTE_MS, partOfDay);
          matches.push(partOfDayShare);
        }
        if (preferredDays) {
          onPreferredDay = preferredDays.has(weekdayOfWallDay(wallDay(wall)));
          matches.push(onPreferredDay ? 1 : 0);
        }
        values.preferences = matches.reduce((sum, match) => sum + match, 0) / matches.length;
      }

      return {
        start,
        values,
        score: scoreOf(values),
        attendees: plans.length,
        insideHours: inside[c] as number,
        optionalAttendees,
        optionalAvailable: optionalAvailable[c] as number,
        attending: present,
        tentativeHolds: tentativeHolds[c] as number,
        besideEdges: besideEdges[c] as number,
        worstZone,
        worstZoneMinutesOutside,
        partOfDayShare,
        onPreferredDay,
      };
    });
  }

  function availability(start: number): { available: string[]; unavailable: string[] } {
    const end = start + durationMs;
    const available: string[] = [];
    const unavailable: string[] = [];
    for (const plan of plans) {
      const canCome = insideHours(plan, start, end) && !blocked(plan, start, end);
      (canCome ? available : unavailable).push(plan.id);
    }
    return { available, unavailable };
  }

  function note(part: Part, a: Assessment): string {
    switch (part) {
      case 'workingHours':
        return `inside the working hours of ${a.insideHours} of ${a.attendees} attendees`;
      case 'optionalAttendees':
        return `${a.optionalAvailable} of ${a.optionalAttendees} optional attendees can come`;
      case 'tentative':
        return a.tentativeHolds === 0
          ? 'no tentative holds in the way'
          : `overlaps tentative holds of ${a.tentativeHolds} of ${a.attending} attendees`;
      case 'fairness':
        return a.worstZone === undefined
          ? 'inside everyone’s day'
          : `heaviest out-of-hours burden: ${a.worstZone}, ${Math.round(a.worstZoneMinutesOutside)} min outside their day on average`;
      case 'focus':
        return `next to a meeting or the edge of the day for ${a.besideEdges} of ${a.attending} attendees`;
      case 'earliness': {
        const hours = Math.round((a.start - firstStart) / HOUR_MS);
        return hours === 0
          ? 'at the earliest possible time'
          : `${hours} h after the earliest possible time`;
      }
      case 'preferences': {
        const said: string[] = [];
        if (a.partOfDayShare !== undefined) {
          said.push(
            `${Math.round(a.partOfDayShare * 100)}% in the ${partOfDay} (${timeline.zone})`,
          );
        }
        if (a.onPreferredDay !== undefined) {
          said.push(a.onPreferredDay ? 'on a preferred day' : 'not on a preferred day');
        }
        return said.join(', ');
      }
    }
  }

  function explain(assessment: Assessment): Record<string, ScorePart> {
    return weighParts(assessment.values, (part) => note(part, assessment));
  }

  return { assess, availability, explain };
}
