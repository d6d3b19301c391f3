// The availability engine: every start at which all required attendees are free inside their
// own working hours (or, with working hours preferred, anywhere they accept), and a ranking.
import { alignedStartsBetween } from './alignment.ts';
import { planAttendees, type AttendeePlan } from './attendee-plan.ts';
import { burdenOf, byLeastBurden, type Burden } from './burden.ts';
import { commonFreeTime } from './common-free-time.ts';
import type { IntervalSet } from './interval-set.ts';
import { createRanker, type Assessment, type Ranker } from './ranking.ts';
import { occurrencesOf, SeriesDays, type Interval } from './series.ts';
import type { Slot, SlotSearch } from './types.ts';
import { DAY_MS, MINUTE_MS, ZoneTimeline } from './zone-timeline.ts';

interface Candidates {
  starts: number[];
  durationMs: number;
  ranker: Ranker;
  plans: AttendeePlan[];
  preferred: boolean;
  /** With a recurrence: each start's occurrences (the first being the start's own). */
  series: Map<number, Interval[]> | undefined;
}

/** The engine trusts its caller (parseSlotRequest checks outside input) but not to loop forever. */
function assertWellFormed(search: SlotSearch): void {
  const whole = (name: keyof SlotSearch, min: number) => {
    const value = search[name];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
      throw new RangeError(`${name} must be a whole number of at least ${min}, not ${value}`);
    }
  };
  whole('durationMinutes', 1);
  whole('granularityMinutes', 1);
  whole('bufferMinutes', 0);
  whole('minNoticeMinutes', 0);
  if (!Number.isFinite(search.windowStart) || !Number.isFinite(search.windowEnd)) {
    throw new RangeError('windowStart and windowEnd must be finite instants');
  }
}

/**
 * Where calendars must be read: the window, and with a recurrence the days its longest series
 * reaches past it (the window bounds the first occurrence only).
 */
function searchEnd(search: SlotSearch, durationMs: number): number {
  if (!search.recurrence) return search.windowEnd;
  const timeline = new ZoneTimeline(search.timeZone, search.windowStart, search.windowEnd);
  const days = new SeriesDays(search.recurrence);
  const longest = days.longestBetween(timeline, search.windowStart, search.windowEnd);
  // Two days' margin: an occurrence keeps its wall time, so its instant may drift by an offset.
  return search.windowEnd + (longest + 2) * DAY_MS + durationMs;
}

function findCandidates(search: SlotSearch): Candidates | undefined {
  assertWellFormed(search);
  const durationMs = search.durationMinutes * MINUTE_MS;
  const firstStart = Math.max(search.windowStart, search.now + search.minNoticeMinutes * MINUTE_MS);
  const lastStart = search.windowEnd - durationMs;
  if (firstStart > lastStart) return undefined;
  const end = searchEnd(search, durationMs);

  const timelines = new Map<string, ZoneTimeline>();
  const timelineOf = (zone: string): ZoneTimeline => {
    let timeline = timelines.get(zone);
    if (!timeline) {
      timeline = new ZoneTimeline(zone, search.windowStart, end);
      timelines.set(zone, timeline);
    }
    return timeline;
  };
  const plans = planAttendees(search.attendees, {
    timelineOf,
    from: search.windowStart,
    to: end,
    bufferMs: search.bufferMinutes * MINUTE_MS,
    mode: search.workingHours ?? 'required',
  });
  const timeline = timelineOf(search.timeZone);

  // Where every required attendee may meet: the window, and with a series the days it reaches.
  const free = commonFreeTime(
    plans
      .filter((plan) => !plan.optional)
      .map((plan) => ({ hours: plan.allowed, blocking: plan.blocking })),
    firstStart,
    end,
  );
  const starts: number[] = [];
  for (let i = 0; i < free.size; i++) {
    if ((free.starts[i] as number) > lastStart) break;
    const last = Math.min(free.ends[i] as number, search.windowEnd) - durationMs;
    alignedStartsBetween(
      timeline,
      search.granularityMinutes,
      free.starts[i] as number,
      last,
      starts,
    );
  }
  const series = search.recurrence
    ? feasibleSeries(starts, free, new SeriesDays(search.recurrence), timeline, durationMs)
    : undefined;
  const ranker = createRanker({
    plans,
    timeline,
    durationMs,
    firstStart,
    lastStart,
    preferences: search.preferences,
    preferred: search.workingHours === 'preferred',
  });
  return {
    starts: series ? [...series.keys()] : starts,
    durationMs,
    ranker,
    plans,
    preferred: search.workingHours === 'preferred',
    series,
  };
}

/**
 * The starts whose every occurrence lies in the common free time, with their occurrences: one
 * binary search per occurrence, as `free` already holds everyone's hours and busy time.
 */
function feasibleSeries(
  starts: readonly number[],
  free: IntervalSet,
  days: SeriesDays,
  timeline: ZoneTimeline,
  durationMs: number,
): Map<number, Interval[]> {
  const feasible = new Map<number, Interval[]>();
  for (const start of starts) {
    const occurrences = occurrencesOf(days, timeline, start, durationMs);
    if (occurrences?.every((o) => free.covers(o.start, o.end))) feasible.set(start, occurrences);
  }
  return feasible;
}

function burdenAt(candidates: Candidates, start: number): Burden {
  const occurrences = candidates.series?.get(start) ?? [
    { start, end: start + candidates.durationMs },
  ];
  return burdenOf(candidates.plans, occurrences);
}

function toSlot(candidates: Candidates, assessment: Assessment, burden?: Burden): Slot {
  const slot: Slot = {
    start: assessment.start,
    end: assessment.start + candidates.durationMs,
    score: assessment.score,
    ...candidates.ranker.availability(assessment.start),
    reasons: candidates.ranker.explain(assessment),
  };
  if (candidates.preferred) {
    slot.outsideHours = (burden ?? burdenAt(candidates, slot.start)).outside;
  }
  const occurrences = candidates.series?.get(slot.start);
  if (occurrences) slot.occurrences = occurrences;
  return slot;
}

/** Every feasible slot, in chronological order. */
export function findAllSlots(search: SlotSearch): Slot[] {
  const candidates = findCandidates(search);
  if (!candidates) return [];
  return candidates.ranker
    .assess(candidates.starts)
    .map((assessment) => toSlot(candidates, assessment));
}

/**
 * The `limit` best feasible slots, by score (descending) and then start (ascending); with
 * working hours preferred, by least burden (see burden.ts) and then start.
 */
export function findBestSlots(search: SlotSearch, limit: number): Slot[] {
  const candidates = findCandidates(search);
  if (!candidates) return [];
  if (candidates.preferred) return leastBurdenSlots(candidates, limit);
  const assessed = candidates.ranker.assess(candidates.starts);
  assessed.sort((a, b) => b.score - a.score || a.start - b.start);
  return assessed.slice(0, limit).map((assessment) => toSlot(candidates, assessment));
}

/**
 * Burden is measured for every feasible start, but only the `limit` kept are scored and
 * explained: the order does not depend on the score.
 */
function leastBurdenSlots(candidates: Candidates, limit: number): Slot[] {
  const measured = candidates.starts.map((start) => ({
    start,
    burden: burdenAt(candidates, start),
  }));
  measured.sort(byLeastBurden);
  const kept = measured.slice(0, limit);
  const assessed = candidates.ranker.assess(kept.map((m) => m.start));
  return assessed.map((assessment, i) => toSlot(candidates, assessment, kept[i]?.burden));
}
