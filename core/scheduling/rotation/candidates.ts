// The weekly times a rotation may use, and what each costs whom: the least-burden starts of the
// first week (find-times, working hours only preferred, nobody's "never" hours crossed), kept
// only when every week of the series is free for the required people (series-times), each with
// every person's clock on each week (local-times), so a time's pattern ("who is outside their
// hours then") holds across a DST change too.
import type { TenantContext } from '../../store/tenant-context.ts';
import {
  emailsOf,
  findTimesAmong,
  type FoundSlot,
  type SchedulingDeps,
  type Unreadable,
} from '../find-times.ts';
import { localTimesFor, type LocalTime } from '../local-times.ts';
import { resolvePeople, type Colleague } from '../people.ts';
import { seriesSlots } from '../series-times.ts';
import type { SlotPreferences } from '../availability/index.ts';

export interface RotationQuestion {
  organizerEmail: string;
  attendees: Array<{ email: string; optional?: boolean }>;
  durationMinutes: number;
  /** Where the first week is looked for; only its first 7 days are used. */
  window: { start: Date; end: Date };
  /** Meetings in the whole rotation (one a week). */
  count: number;
  preferences?: SlotPreferences;
  now?: Date;
}

export interface CandidateTime {
  /** The start in the first week (epoch ms); week i is the same wall-clock time i weeks on. */
  start: number;
  /** Week by week: each meeting's start and end, and every person's clock then. */
  weeks: Array<{ start: number; end: number; people: LocalTime[] }>;
  /** Required people outside their hours in at least one week. */
  outside: string[];
}

export interface RotationCandidates {
  /** The organizer's zone: each time keeps its wall-clock time there. */
  timeZone: string;
  times: CandidateTime[];
  /** Required people whose hours are known (the ones counted). */
  counted: Array<{ email: string; name: string; timeZone: string }>;
  unknown: Unreadable[];
}

const WEEK_MS = 7 * 86_400_000;
/**
 * First-week starts kept per pattern (who is outside hours), best first: the plan needs one
 * per pattern, the rest are spares in case some week is busy. Placing every week of 200 starts
 * on four clocks took most of a plan's time.
 */
const PER_PATTERN = 4;

function fewPerPattern<T extends FoundSlot>(slots: readonly T[]): T[] {
  const kept = new Map<string, number>();
  return slots.filter((slot) => {
    const key = (slot.people ?? [])
      .filter((p) => p.minutesOutside > 0)
      .map((p) => p.email)
      .join('\n');
    const n = kept.get(key) ?? 0;
    kept.set(key, n + 1);
    return n < PER_PATTERN;
  });
}
/** First-week starts looked at, least burden first. */
const LOOKED_AT = 200;

export async function rotationCandidates(
  deps: SchedulingDeps,
  ctx: TenantContext,
  question: RotationQuestion,
): Promise<RotationCandidates> {
  const people = await resolvePeople(deps, ctx, emailsOf(question));
  const window = {
    start: question.window.start,
    end: new Date(
      Math.min(question.window.end.getTime(), question.window.start.getTime() + WEEK_MS),
    ),
  };
  const found = await findTimesAmong(
    deps,
    {
      organizerEmail: question.organizerEmail,
      attendees: question.attendees,
      durationMinutes: question.durationMinutes,
      window,
      granularityMinutes: 30,
      limit: LOOKED_AT,
      leastBurden: 'always',
      ...(question.preferences ? { preferences: question.preferences } : {}),
      ...(question.now ? { now: question.now } : {}),
    },
    people,
  );
  const rule = { frequency: 'weekly' as const, interval: 1, count: question.count };
  const free = await seriesSlots(
    deps,
    ctx,
    { ...question, rule, timeZone: found.timeZone },
    fewPerPattern(found.slots),
  );
  const optional = new Set(found.optional);
  const counted = [...people.values()].filter(
    (p): p is Colleague =>
      p.kind === 'colleague' &&
      !optional.has(p.email) &&
      !found.unknown.some((u) => u.email === p.email),
  );
  const span = free.flatMap((s) => s.occurrences);
  if (span.length === 0)
    return { timeZone: found.timeZone, times: [], counted: [], unknown: found.unknown };
  const clockOf = localTimesFor(
    counted.map((p) => ({
      email: p.email,
      name: p.user.name,
      timeZone: p.settings.timeZone,
      workingHours: p.workingHours,
    })),
    Math.min(...span.map((o) => o.start)),
    Math.max(...span.map((o) => o.end)),
  );
  const times = free.map((slot) => {
    const weeks = slot.occurrences.map((o) => ({ ...o, people: clockOf(o.start, o.end) }));
    const outside = new Set(
      weeks.flatMap((w) => w.people.filter((p) => p.minutesOutside > 0).map((p) => p.email)),
    );
    return { start: slot.start, weeks, outside: [...outside] };
  });
  return {
    timeZone: found.timeZone,
    times,
    counted: counted.map((p) => ({
      email: p.email,
      name: p.user.name,
      timeZone: p.settings.timeZone,
    })),
    unknown: found.unknown,
  };
}

/**
 * Meetings outside hours per required person whose hours are known, for the meetings as booked
 * (what a booked rotation adds to the team's record).
 */
export async function outsideCounts(
  deps: SchedulingDeps,
  ctx: TenantContext,
  question: Pick<RotationQuestion, 'organizerEmail' | 'attendees'>,
  meetings: ReadonlyArray<{ start: number; end: number }>,
): Promise<Record<string, number>> {
  const people = await resolvePeople(deps, ctx, emailsOf(question));
  const optional = new Set(
    question.attendees.filter((a) => a.optional).map((a) => a.email.toLowerCase()),
  );
  const counted = [...people.values()].filter(
    (p): p is Colleague => p.kind === 'colleague' && !optional.has(p.email),
  );
  const counts: Record<string, number> = Object.fromEntries(counted.map((p) => [p.email, 0]));
  if (meetings.length === 0) return counts;
  const clockOf = localTimesFor(
    counted.map((p) => ({
      email: p.email,
      name: p.user.name,
      timeZone: p.settings.timeZone,
      workingHours: p.workingHours,
    })),
    Math.min(...meetings.map((m) => m.start)),
    Math.max(...meetings.map((m) => m.end)),
  );
  for (const meeting of meetings) {
    for (const person of clockOf(meeting.start, meeting.end)) {
      if (person.minutesOutside > 0) counts[person.email] = (counts[person.email] ?? 0) + 1;
    }
  }
  return counts;
}
