// Who is free when, per person, for a picture of the week (the Schedule page's week grid):
// each person's working hours as instants and their busy times, read live from their calendars.
// Nothing is stored: this is the same free/busy look-up finding times does, shown rather than
// intersected.
import type { TenantContext } from '../store/tenant-context.ts';
import { IntervalSet } from './availability/interval-set.ts';
import { workingIntervals } from './availability/working-hours.ts';
import { ZoneTimeline } from './availability/zone-timeline.ts';
import { freeBusyOf, type SchedulingDeps } from './find-times.ts';
import { resolvePeople, type Colleague } from './people.ts';

export interface Interval {
  start: number;
  end: number;
}

export interface PersonAvailability {
  email: string;
  name: string | null;
  kind: 'colleague' | 'guest';
  timeZone: string | null;
  /** Working hours inside the window (empty for guests: unknown). */
  working: Interval[];
  /** Busy times inside the window, as the calendar answered. */
  busy: Interval[];
  /** False when the calendar could not be read (guests, errors): the grid shows it as unknown. */
  known: boolean;
  message: string | null;
}

function asIntervals(set: IntervalSet): Interval[] {
  return set.starts.map((start, i) => ({ start, end: set.ends[i]! }));
}

export async function availabilityOverview(
  deps: SchedulingDeps,
  ctx: TenantContext,
  request: { emails: string[]; window: { start: Date; end: Date } },
): Promise<PersonAvailability[]> {
  const from = request.window.start.getTime();
  const to = request.window.end.getTime();
  const people = await resolvePeople(deps, ctx, request.emails);
  const colleagues = [...people.values()].filter((p): p is Colleague => p.kind === 'colleague');
  const { freeBusy: answers, revoked } = await freeBusyOf(deps, colleagues, request.window);
  const window = IntervalSet.span(from, to);
  return [...people.values()].map((person): PersonAvailability => {
    if (person.kind === 'guest') {
      return {
        email: person.email,
        name: null,
        kind: 'guest',
        timeZone: null,
        working: [],
        busy: [],
        known: false,
        message: `Quorum cannot see ${person.email}'s calendar.`,
      };
    }
    const working = asIntervals(
      workingIntervals(
        person.workingHours,
        new ZoneTimeline(person.settings.timeZone, from, to),
        from,
        to,
      ).intersect(window),
    );
    const answer = answers[person.calendar.calendarId];
    const base = {
      email: person.email,
      name: person.user.name,
      kind: 'colleague' as const,
      timeZone: person.settings.timeZone,
      working,
    };
    if (revoked.has(person.calendar.provider)) {
      return {
        ...base,
        busy: [],
        known: false,
        message: `${person.user.name}'s calendar connection needs to be reconnected.`,
      };
    }
    if (!answer?.ok) {
      return {
        ...base,
        busy: [],
        known: false,
        message: `Availability unknown for ${person.user.name}: ${answer?.message ?? 'no answer'}.`,
      };
    }
    const busy = IntervalSet.union(
      answer.busy.filter((b) => b.status !== 'free').map((b) => b.start),
      answer.busy.filter((b) => b.status !== 'free').map((b) => b.end),
    ).intersect(window);
    return { ...base, busy: asIntervals(busy), known: true, message: null };
  });
}
