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
  /** Working hours only measured, not required: required attendees may be outside them. */
  preferred: boolean;
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

// At a feasible start required attendees are free and where they allow; with working hours
// required that is inside their hours, so only optional attendees need checking then.
function insideHours(plan: AttendeePlan, start: number, end: number, preferred: boolean): boolean {
  return (!preferred && !plan.optional) || !plan.hours || plan.hours.covers(start, end);
}

function blocked(plan: AttendeePlan, start: number, end: number): boolean {
  return plan.optional && plan.blocking.meets(start, end);
}

function canCome(plan: AttendeePlan, start: number, end: number): boolean {
  if (!plan.optional) return true;
  return (!plan.allowed || plan.allowed.covers(start, end)) && !plan.blocking.meets(start, end);
}

export function createRanker(context: RankingContext): Ranker {
  return new SlotRanker(context);
}

/** Per-start counters gathered attendee by attendee; zone cells are start × zones + zone. */
interface Counters {
  inside: Float64Array;
  optionalAvailable: Float64Array;
  attending: Float64Array;
  tentativeHolds: Float64Array;
  focusSum: Float64Array;
  besideEdges: Float64Array;
  zoneBurden: Float64Array;
  zoneOutside: Float64Array;
  zoneCount: Float64Array;
}

class SlotRanker implements Ranker {
  readonly #plans: readonly AttendeePlan[];
  readonly #timeline: ZoneTimeline;
  readonly #durationMs: number;
  readonly #firstStart: number;
  readonly #lastStart: number;
  readonly #zones: string[];
  readonly #zoneOfPlan: number[];
  readonly #optionalAttendees: number;
  readonly #preferredDays: Set<number> | undefined;
  readonly #partOfDay: PartOfDay | undefined;
  readonly #preferred: boolean;

  constructor(context: RankingContext) {
    const { plans, timeline, durationMs, firstStart, lastStart, preferences } = context;
    this.#plans = plans;
    this.#timeline = timeline;
    this.#durationMs = durationMs;
    this.#firstStart = firstStart;
    this.#lastStart = lastStart;
    this.#zones = [...new Set(plans.map((plan) => plan.timeZone))];
    this.#zoneOfPlan = plans.map((plan) => this.#zones.indexOf(plan.timeZone));
    this.#optionalAttendees = plans.filter((plan) => plan.optional).length;
    this.#preferredDays = preferences?.days?.length
      ? new Set(preferences.days.map((day) => WEEKDAYS.indexOf(day)))
      : undefined;
    this.#partOfDay = preferences?.partOfDay;
    this.#preferred = context.preferred;
  }

  assess(starts: readonly number[]): Assessment[] {
    const counters = this.#count(starts);
    return starts.map((start, c) => this.#assessmentAt(start, c, counters));
  }

  availability(start: number): { available: string[]; unavailable: string[] } {
    const end = start + this.#durationMs;
    const available: string[] = [];
    const unavailable: string[] = [];
    for (const plan of this.#plans) {
      (canCome(plan, start, end) ? available : unavailable).push(plan.id);
    }
    return { available, unavailable };
  }

  explain(assessment: Assessment): Record<string, ScorePart> {
    return weighParts(assessment.values, (part) => this.#note(part, assessment));
  }

  /** Attendee by attendee, so each calendar is read once for all starts. */
  #count(starts: readonly number[]): Counters {
    const count = starts.length;
    const cells = count * this.#zones.length;
    const counters: Counters = {
      inside: new Float64Array(count),
      optionalAvailable: new Float64Array(count),
      attending: new Float64Array(count),
      tentativeHolds: new Float64Array(count),
      focusSum: new Float64Array(count),
      besideEdges: new Float64Array(count),
      // Per start and zone: burden, time outside, attendees.
      zoneBurden: new Float64Array(cells),
      zoneOutside: new Float64Array(cells),
      zoneCount: new Float64Array(cells),
    };
    for (let p = 0; p < this.#plans.length; p++) {
      const plan = this.#plans[p] as AttendeePlan;
      const zone = this.#zoneOfPlan[p] as number;
      for (let c = 0; c < count; c++) {
        this.#countOne(counters, plan, starts[c] as number, c, c * this.#zones.length + zone);
      }
    }
    return counters;
  }

  /** Adds one attendee at one start (index `c`, zone cell `cell`) to the counters. */
  #countOne(counters: Counters, plan: AttendeePlan, start: number, c: number, cell: number) {
    const end = start + this.#durationMs;
    const isInside = insideHours(plan, start, end, this.#preferred);
    if (isInside) bump(counters.inside, c);
    if (blocked(plan, start, end)) return;
    // Anyone free to come carries the burden of a time outside their day.
    const outside = isInside && plan.hours ? 0 : plan.day.farthestDistance(start, end);
    bump(counters.zoneBurden, cell, Math.min(1, outside / FULL_BURDEN_MS));
    bump(counters.zoneOutside, cell, Math.min(outside, 24 * HOUR_MS));
    bump(counters.zoneCount, cell);
    if (!canCome(plan, start, end)) return; // an optional attendee where they do not meet
    bump(counters.attending, c);
    if (plan.optional) bump(counters.optionalAvailable, c);
    if (plan.tentative.meets(start, end)) bump(counters.tentativeHolds, c);
    const { before, after } = freeAround(plan, start, end);
    if (before === 0 || after === 0) bump(counters.besideEdges, c);
    bump(
      counters.focusSum,
      c,
      before + after === 0 ? 1 : Math.abs(before - after) / (before + after),
    );
  }

  #assessmentAt(start: number, c: number, counters: Counters): Assessment {
    const { inside, optionalAvailable, attending, tentativeHolds, focusSum, besideEdges } =
      counters;
    const plans = this.#plans;
    const { worstZone, worstBurden, worstZoneMinutesOutside } = this.#worstZone(c, counters);
    const present = attending[c] as number;
    const values: PartValues = {
      workingHours: plans.length === 0 ? 1 : (inside[c] as number) / plans.length,
      tentative: present === 0 ? 1 : 1 - (tentativeHolds[c] as number) / present,
      fairness: 1 - worstBurden,
      focus: present === 0 ? 1 : (focusSum[c] as number) / present,
      earliness:
        this.#lastStart > this.#firstStart
          ? 1 - (start - this.#firstStart) / (this.#lastStart - this.#firstStart)
          : 1,
    };
    if (this.#optionalAttendees > 0) {
      values.optionalAttendees = (optionalAvailable[c] as number) / this.#optionalAttendees;
    }
    const { partOfDayShare, onPreferredDay, preferences } = this.#preferenceMatch(start);
    if (preferences !== undefined) values.preferences = preferences;

    return {
      start,
      values,
      score: scoreOf(values),
      attendees: plans.length,
      insideHours: inside[c] as number,
      optionalAttendees: this.#optionalAttendees,
      optionalAvailable: optionalAvailable[c] as number,
      attending: present,
      tentativeHolds: tentativeHolds[c] as number,
      besideEdges: besideEdges[c] as number,
      worstZone,
      worstZoneMinutesOutside,
      partOfDayShare,
      onPreferredDay,
    };
  }

  /** The zone whose attendees carry the heaviest out-of-hours burden at start `c`. */
  #worstZone(c: number, counters: Counters) {
    let worstZone: string | undefined;
    let worstBurden = 0;
    let worstZoneMinutesOutside = 0;
    for (let zone = 0; zone < this.#zones.length; zone++) {
      const cell = c * this.#zones.length + zone;
      const holders = counters.zoneCount[cell] as number;
      if (holders === 0) continue;
      const burden = (counters.zoneBurden[cell] as number) / holders;
      if (burden > worstBurden) {
        worstBurden = burden;
        worstZone = this.#zones[zone];
        worstZoneMinutesOutside = (counters.zoneOutside[cell] as number) / holders / MINUTE_MS;
      }
    }
    return { worstZone, worstBurden, worstZoneMinutesOutside };
  }

  /** How well a start matches the asked part of day and days; all undefined when none asked. */
  #preferenceMatch(start: number) {
    let partOfDayShare: number | undefined;
    let onPreferredDay: boolean | undefined;
    let preferences: number | undefined;
    const partOfDay = this.#partOfDay;
    const preferredDays = this.#preferredDays;
    if (partOfDay || preferredDays) {
      const wall = this.#timeline.wallAt(start);
      const matches: number[] = [];
      if (partOfDay) {
        partOfDayShare = shareInPart(
          minuteOfWallDay(wall),
          this.#durationMs / MINUTE_MS,
          partOfDay,
        );
        matches.push(partOfDayShare);
      }
      if (preferredDays) {
        onPreferredDay = preferredDays.has(weekdayOfWallDay(wallDay(wall)));
        matches.push(onPreferredDay ? 1 : 0);
      }
      preferences = matches.reduce((sum, match) => sum + match, 0) / matches.length;
    }
    return { partOfDayShare, onPreferredDay, preferences };
  }

  #note(part: Part, a: Assessment): string {
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
        const hours = Math.round((a.start - this.#firstStart) / HOUR_MS);
        return hours === 0
          ? 'at the earliest possible time'
          : `${hours} h after the earliest possible time`;
      }
      case 'preferences': {
        const said: string[] = [];
        if (a.partOfDayShare !== undefined) {
          said.push(
            `${Math.round(a.partOfDayShare * 100)}% in the ${this.#partOfDay} (${this.#timeline.zone})`,
          );
        }
        if (a.onPreferredDay !== undefined) {
          said.push(a.onPreferredDay ? 'on a preferred day' : 'not on a preferred day');
        }
        return said.join(', ');
      }
    }
  }
}

/**
 * Focus: the free stretch around the slot, bounded by meetings, the edges of the attendee's day
 * and a horizon. A slot at one end keeps the rest in one piece (1); one in the middle splits it
 * in two (0).
 */
function freeAround(plan: AttendeePlan, start: number, end: number) {
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
  return { before: start - previous, after: next - end };
}
