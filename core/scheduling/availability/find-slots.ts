// The availability engine: every start at which all required attendees are free inside their
// own working hours, and a ranking of them.
import { alignedStartsBetween } from './alignment.ts';
import { planAttendees } from './attendee-plan.ts';
import { commonFreeTime } from './common-free-time.ts';
import { createRanker, type Assessment, type Ranker } from './ranking.ts';
import type { Slot, SlotSearch } from './types.ts';
import { MINUTE_MS, ZoneTimeline } from './zone-timeline.ts';

interface Candidates {
  starts: number[];
  durationMs: number;
  ranker: Ranker;
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

function findCandidates(search: SlotSearch): Candidates | undefined {
  assertWellFormed(search);
  const durationMs = search.durationMinutes * MINUTE_MS;
  const firstStart = Math.max(search.windowStart, search.now + search.minNoticeMinutes * MINUTE_MS);
  const lastStart = search.windowEnd - durationMs;
  if (firstStart > lastStart) return undefined;

  const timelines = new Map<string, ZoneTimeline>();
  const timelineOf = (zone: string): ZoneTimeline => {
    let timeline = timelines.get(zone);
    if (!timeline) {
      timeline = new ZoneTimeline(zone, search.windowStart, search.windowEnd);
      timelines.set(zone, timeline);
    }
    return timeline;
  };
  const plans = planAttendees(search.attendees, {
    timelineOf,
    from: search.windowStart,
    to: search.windowEnd,
    bufferMs: search.bufferMinutes * MINUTE_MS,
  });
  const timeline = timelineOf(search.timeZone);

  const free = commonFreeTime(
    plans.filter((plan) => !plan.optional),
    firstStart,
    search.windowEnd,
  );
  const starts: number[] = [];
  for (let i = 0; i < free.size; i++) {
    const last = (free.ends[i] as number) - durationMs;
    alignedStartsBetween(
      timeline,
      search.granularityMinutes,
      free.starts[i] as number,
      last,
      starts,
    );
  }
  const ranker = createRanker({
    plans,
    timeline,
    durationMs,
    firstStart,
    lastStart,
    preferences: search.preferences,
  });
  return { starts, durationMs, ranker };
}

function toSlot(candidates: Candidates, assessment: Assessment): Slot {
  return {
    start: assessment.start,
    end: assessment.start + candidates.durationMs,
    score: assessment.score,
    ...candidates.ranker.availability(assessment.start),
    reasons: candidates.ranker.explain(assessment),
  };
}

/** Every feasible slot, in chronological order. */
export function findAllSlots(search: SlotSearch): Slot[] {
  const candidates = findCandidates(search);
  if (!candidates) return [];
  return candidates.ranker
    .assess(candidates.starts)
    .map((assessment) => toSlot(candidates, assessment));
}

/** The `limit` best feasible slots, by score (descending) and then start (ascending). */
export function findBestSlots(search: SlotSearch, limit: number): Slot[] {
  const candidates = findCandidates(search);
  if (!candidates) return [];
  const assessed = candidates.ranker.assess(candidates.starts);
  assessed.sort((a, b) => b.score - a.score || a.start - b.start);
  return assessed.slice(0, limit).map((assessment) => toSlot(candidates, assessment));
}
