// Times for a recurring meeting: a first occurrence is offered only when every occurrence of the
// series is free for the required people (or, when the organizer allows conflicts, with the
// conflicting occurrences named) and keeps to their hours as the first did. Free/busy is read
// once per calendar for the whole span of the series, never once per occurrence. The find step
// stays find-times.ts: this runs on its slots.
import type { TenantContext } from '../store/tenant-context.ts';
import { seriesHours, type AttendeeAvailability, type Slot } from './availability/index.ts';
import { emailsOf, freeBusyOf, type SchedulingDeps } from './find-times.ts';
import { resolvePeople, type Colleague } from './people.ts';
import { expandSeries, type Occurrence } from './recurrence/expand.ts';
import { RecurrenceError } from './recurrence/rule.ts';
import type { RecurrenceRule } from './recurrence/rule.ts';

export interface OccurrenceConflict {
  index: number;
  start: Date;
  end: Date;
  /** Required people busy (or away) then. */
  people: string[];
}

export interface SeriesSlot extends Slot {
  occurrences: Array<{ start: number; end: number }>;
  /** Empty when every occurrence works. */
  conflicts: OccurrenceConflict[];
}

export interface SeriesQuestion {
  organizerEmail: string;
  attendees: Array<{ email: string; optional?: boolean }>;
  durationMinutes: number;
  rule: RecurrenceRule;
  /** The organizer's zone: the series keeps its wall-clock time in it. */
  timeZone: string;
  /** Offer slots with conflicting occurrences too (fewest first), naming them. */
  allowConflicts?: boolean;
}

/**
 * Of `slots` (first occurrences found by find-times), those whose series works, in their order
 * (with allowConflicts: the conflict-free first, then by fewest conflicts). A slot whose first
 * occurrence is not on a monthly rule's day is left out.
 */
export async function seriesSlots(
  deps: SchedulingDeps,
  ctx: TenantContext,
  question: SeriesQuestion,
  slots: readonly Slot[],
): Promise<SeriesSlot[]> {
  const expanded = slots.flatMap((slot) => {
    const occurrences = occurrencesFrom(question, new Date(slot.start));
    return occurrences ? [{ slot, occurrences }] : [];
  });
  if (expanded.length === 0) return [];
  const all = expanded.flatMap((e) => e.occurrences);
  const finder = await conflictFinder(deps, ctx, question, all);
  const kept = keptToHours(expanded, finder.people);
  const checked = kept.map(({ slot, occurrences }) => ({
    ...slot,
    occurrences: occurrences.map((o) => ({ start: o.start.getTime(), end: o.end.getTime() })),
    conflicts: finder.conflictsOf(occurrences),
  }));
  if (!question.allowConflicts) return checked.filter((s) => s.conflicts.length === 0);
  return checked
    .map((slot, order) => ({ slot, order }))
    .sort((a, b) => a.slot.conflicts.length - b.slot.conflicts.length || a.order - b.order)
    .map(({ slot }) => slot);
}

type Expanded = { slot: Slot; occurrences: Occurrence[] };

/**
 * The series whose every occurrence keeps to people's hours as the first did (the engine's
 * check): inside every required person's working hours for a slot found inside them, within
 * their acceptable hours for a least-burden one, whose minutes outside hours are then summed
 * over the series and which are put least burden first again.
 */
function keptToHours(expanded: readonly Expanded[], people: AttendeeAvailability[]): Expanded[] {
  const byMode = (preferred: boolean) => {
    const these = expanded.filter((e) => (e.slot.outsideHours !== undefined) === preferred);
    const hours = seriesHours(
      people,
      preferred ? 'preferred' : 'required',
      these.map((e) =>
        e.occurrences.map((o) => ({ start: o.start.getTime(), end: o.end.getTime() })),
      ),
    );
    return these.flatMap((e, i) => {
      const { fits, outsideHours } = hours[i]!;
      if (!fits) return [];
      return [preferred ? { ...e, slot: { ...e.slot, outsideHours } } : e];
    });
  };
  const inside = byMode(false);
  const optional = new Set(people.filter((p) => p.optional).map((p) => p.id));
  const burden = (e: Expanded) =>
    (e.slot.outsideHours ?? [])
      .filter((o) => !optional.has(o.id))
      .reduce((sum, o) => sum + o.minutes, 0);
  // Array sort is stable: equal burdens keep find-times' order.
  const outside = byMode(true).sort((a, b) => burden(a) - burden(b));
  return [...inside, ...outside];
}

/** The conflicts of one series (booking it, or moving one occurrence). */
export async function seriesConflicts(
  deps: SchedulingDeps,
  ctx: TenantContext,
  question: Omit<SeriesQuestion, 'rule' | 'timeZone' | 'durationMinutes'>,
  occurrences: readonly Occurrence[],
): Promise<OccurrenceConflict[]> {
  return (await conflictFinder(deps, ctx, question, occurrences)).conflictsOf(occurrences);
}

function occurrencesFrom(question: SeriesQuestion, start: Date): Occurrence[] | undefined {
  try {
    return expandSeries({ ...question, start });
  } catch (error) {
    // A monthly rule's first occurrence must fall on its day: other starts are not offered.
    if (error instanceof RecurrenceError && error.field === 'recurrence.ordinal') return undefined;
    throw error;
  }
}

/**
 * Reads free/busy once for the span of all `occurrences` and returns a function naming, for a
 * series, the occurrences where a required colleague is busy or away, and the people whose
 * hours a series must keep to (those find-times read: required colleagues whose calendar
 * answered, and optional colleagues). Guests and unreadable calendars are unknown, as for
 * single meetings, and never conflicts.
 */
async function conflictFinder(
  deps: SchedulingDeps,
  ctx: TenantContext,
  question: Pick<SeriesQuestion, 'organizerEmail' | 'attendees'>,
  occurrences: readonly Occurrence[],
) {
  const people = await resolvePeople(deps, ctx, emailsOf(question));
  const optional = new Set(
    question.attendees.filter((a) => a.optional).map((a) => a.email.toLowerCase()),
  );
  const colleagues = [...people.values()].filter((p): p is Colleague => p.kind === 'colleague');
  const required = colleagues.filter((p) => !optional.has(p.email));
  const span = {
    start: new Date(Math.min(...occurrences.map((o) => o.start.getTime()))),
    end: new Date(Math.max(...occurrences.map((o) => o.end.getTime()))),
  };
  const { freeBusy } = await freeBusyOf(deps, required, span);
  const blocking = required.map((person) => {
    const lookup = freeBusy[person.calendar.calendarId];
    const busy = lookup?.ok
      ? lookup.busy.filter((b) => b.status === 'busy' || b.status === 'oof')
      : [];
    return { email: person.email, busy };
  });
  const withHours = colleagues.filter(
    (p) => optional.has(p.email) || freeBusy[p.calendar.calendarId]?.ok,
  );
  const conflictsOf = (series: readonly Occurrence[]): OccurrenceConflict[] =>
    series.flatMap((o) => {
      const [from, to] = [o.start.getTime(), o.end.getTime()];
      const busyPeople = blocking
        .filter((p) => p.busy.some((b) => b.start < to && b.end > from))
        .map((p) => p.email);
      return busyPeople.length > 0
        ? [{ index: o.index, start: o.start, end: o.end, people: busyPeople }]
        : [];
    });
  return { conflictsOf, people: withHours.map((p) => hoursOf(p, optional.has(p.email))) };
}

/** A colleague as the engine reads their hours (busy time is checked above, per occurrence). */
function hoursOf(person: Colleague, optional: boolean): AttendeeAvailability {
  return {
    id: person.email,
    timeZone: person.settings.timeZone,
    optional,
    workingHours: person.workingHours,
    ...(person.acceptableHours ? { acceptableHours: person.acceptableHours } : {}),
    busy: [],
  };
}
