// Finds the best times for a meeting across the attendees' calendars: free/busy from each
// person's own calendar (in parallel, with a deadline), then the availability engine.
import { gatherFreeBusy, type FreeBusyLookup } from '../calendars/free-busy.ts';
import {
  GrantRevokedError,
  type CalendarProvider,
  type FreeBusyResult,
} from '../calendars/provider.ts';
import type { TenantContext } from '../store/tenant-context.ts';
import {
  findBestSlots,
  type AttendeeAvailability,
  type Slot,
  type SlotPreferences,
  type SlotSearch,
} from './availability/index.ts';
import { resolvePeople, type CalendarResolver, type Colleague, type Person } from './people.ts';
import { localTimesFor, type LocalTime } from './local-times.ts';
import type { Store } from '../store/store.ts';

export interface FindTimesRequest {
  organizerEmail: string;
  attendees: Array<{ email: string; optional?: boolean }>;
  durationMinutes: number;
  window: { start: Date; end: Date };
  preferences?: SlotPreferences;
  granularityMinutes?: number;
  bufferMinutes?: number;
  minNoticeMinutes?: number;
  limit?: number;
  /** Check busy time only (re-checking a time someone chose, even outside working hours). */
  ignoreWorkingHours?: boolean;
  /**
   * Times outside someone's working hours: `never` (the default) offers none; `when-needed`
   * offers the least-burden times when no time lies inside every required person's hours;
   * `always` ranks by least burden from the start. Nobody's acceptable hours are ever crossed.
   */
  leastBurden?: 'never' | 'when-needed' | 'always';
  /** Slots that must not be offered (e.g. the one that was just taken). */
  exclude?: Array<{ start: number; end: number }>;
  now?: Date;
}

export interface Unreadable {
  email: string;
  reason: 'guest' | 'timeout' | 'forbidden' | 'error' | 'not-found' | 'needs-reconnect';
  message: string;
}

/**
 * A slot with each person whose calendar was read, on their own clock (organizer first);
 * findTimes always says, slots found elsewhere (booking's alternatives) may not.
 */
export type FoundSlot = Slot & { people?: LocalTime[] };

export interface FindTimesResult {
  timeZone: string;
  slots: FoundSlot[];
  /**
   * No time lay inside every required person's working hours, so these are least-burden
   * times: each may ask someone to meet outside them (each slot's `people` say who, how long).
   */
  leastBurden?: boolean;
  /** Attendees whose availability is unknown: guests and calendars that could not be read. */
  unknown: Unreadable[];
  required: string[];
  optional: string[];
}

export interface SchedulingDeps {
  store: Store;
  calendarFor: CalendarResolver;
  /** How long free/busy lookups may take before their calendars count as unknown. */
  freeBusyDeadlineMs?: number;
  /** Told of every provider failure, so a broken connection is marked for reconnecting. */
  onProviderError?: (lookup: FreeBusyLookup, error: unknown) => void;
}

/** Everyone a request is about, the organizer first, lower-cased. */
export function emailsOf(request: Pick<FindTimesRequest, 'organizerEmail' | 'attendees'>) {
  return [request.organizerEmail, ...request.attendees.map((a) => a.email)].map((e) =>
    e.toLowerCase(),
  );
}

export async function findTimes(
  deps: SchedulingDeps,
  ctx: TenantContext,
  request: FindTimesRequest,
): Promise<FindTimesResult> {
  return findTimesAmong(deps, request, await resolvePeople(deps, ctx, emailsOf(request)));
}

/** `findTimes` for people already resolved (`resolvePeople` of `emailsOf(request)`). */
export async function findTimesAmong(
  deps: SchedulingDeps,
  request: FindTimesRequest,
  people: Map<string, Person>,
): Promise<FindTimesResult> {
  const organizer = request.organizerEmail.toLowerCase();
  const optional = new Set(
    request.attendees.filter((a) => a.optional).map((a) => a.email.toLowerCase()),
  );
  const emails = emailsOf(request);
  const colleagues = [...people.values()].filter((p): p is Colleague => p.kind === 'colleague');
  const organizerPerson = people.get(organizer);
  const timeZone =
    organizerPerson?.kind === 'colleague' ? organizerPerson.settings.timeZone : 'UTC';

  const { freeBusy, revoked } = await freeBusyOf(deps, colleagues, request.window);
  const { unknown, attendees } = await availabilityOf(
    request,
    people,
    { freeBusy, revoked },
    optional,
  );

  // A window already over (a follow-up of a meeting long past, say) has no slots.
  const empty = request.window.end.getTime() <= request.window.start.getTime();
  const { slots, leastBurden } =
    attendees.length === 0 || empty
      ? { slots: [], leastBurden: false }
      : slotsFor(request, {
          timeZone,
          windowStart: request.window.start.getTime(),
          windowEnd: request.window.end.getTime(),
          durationMinutes: request.durationMinutes,
          granularityMinutes: request.granularityMinutes ?? 15,
          bufferMinutes: request.bufferMinutes ?? 0,
          minNoticeMinutes: request.minNoticeMinutes ?? 0,
          now: (request.now ?? new Date()).getTime(),
          attendees,
          ...(request.preferences ? { preferences: request.preferences } : {}),
        });
  const placeOf = localTimesFor(
    emails.flatMap((email) => {
      const person = people.get(email);
      return person?.kind === 'colleague' && attendees.some((a) => a.id === email)
        ? [
            {
              email,
              name: person.user.name,
              timeZone: person.settings.timeZone,
              workingHours: person.workingHours,
            },
          ]
        : [];
    }),
    request.window.start.getTime(),
    Math.max(request.window.end.getTime(), request.window.start.getTime()),
  );
  return {
    timeZone,
    slots: slots.map((slot) => ({ ...slot, people: placeOf(slot.start, slot.end) })),
    leastBurden,
    unknown,
    required: emails.filter((e) => !optional.has(e)),
    optional: [...optional],
  };
}

/**
 * Inside everyone's working hours first; the least-burden times when asked, or when none are
 * inside and someone's hours are what stood in the way.
 */
function slotsFor(
  request: FindTimesRequest,
  search: SlotSearch,
): { slots: Slot[]; leastBurden: boolean } {
  const limit = request.limit ?? 10;
  const mode = request.leastBurden ?? 'never';
  if (mode !== 'always') {
    const slots = findBestSlots(search, limit);
    const hoursInTheWay = search.attendees.some((a) => !a.optional && a.workingHours.length > 0);
    if (slots.length > 0 || mode === 'never' || !hoursInTheWay) {
      return { slots, leastBurden: false };
    }
  }
  const slots = findBestSlots({ ...search, workingHours: 'preferred' }, limit);
  // Least burden first: when even the first asks a required person outside their hours, no time
  // lies inside everyone's (what `leastBurden` tells a surface, whichever mode found it).
  const required = new Set(search.attendees.filter((a) => !a.optional).map((a) => a.id));
  const first = slots[0]?.outsideHours ?? [];
  return { slots, leastBurden: first.some((o) => required.has(o.id)) };
}

/**
 * Free/busy of the colleagues' calendars, one look-up per provider, within the deadline; the
 * providers whose grant was revoked on the way.
 */
export async function freeBusyOf(
  deps: SchedulingDeps,
  colleagues: readonly Colleague[],
  window: { start: Date; end: Date },
): Promise<{ freeBusy: FreeBusyResult; revoked: Set<CalendarProvider> }> {
  const byProvider = new Map<CalendarProvider, Colleague[]>();
  for (const c of colleagues) {
    byProvider.set(c.calendar.provider, [...(byProvider.get(c.calendar.provider) ?? []), c]);
  }
  const revoked = new Set<CalendarProvider>();
  const lookups = [...byProvider].map(([provider, list]) => ({
    provider,
    calendars: list.map((c) => c.calendar.calendarId),
  }));
  const freeBusy = await gatherFreeBusy(lookups, window, {
    deadlineMs: deps.freeBusyDeadlineMs ?? 5000,
    onProviderError(lookup, error) {
      if (error instanceof GrantRevokedError) revoked.add(lookup.provider);
      deps.onProviderError?.(lookup, error);
    },
  });
  return { freeBusy, revoked };
}

/** Each person as the availability engine reads them, or why their availability is unknown. */
async function availabilityOf(
  request: FindTimesRequest,
  people: Map<string, Person>,
  { freeBusy, revoked }: { freeBusy: FreeBusyResult; revoked: Set<CalendarProvider> },
  optional: Set<string>,
) {
  const organizer = request.organizerEmail.toLowerCase();
  const unknown: Unreadable[] = [];
  const attendees: AttendeeAvailability[] = [];
  for (const person of people.values()) {
    if (person.kind === 'guest') {
      unknown.push({
        email: person.email,
        reason: 'guest',
        message: `Quorum cannot see ${person.email}'s calendar.`,
      });
      continue;
    }
    const lookup = freeBusy[person.calendar.calendarId];
    if (revoked.has(person.calendar.provider)) {
      await person.calendar.markRevoked?.();
      unknown.push({
        email: person.email,
        reason: 'needs-reconnect',
        message: `${person.user.name}'s calendar connection needs to be reconnected.`,
      });
      continue;
    }
    if (!lookup || !lookup.ok) {
      unknown.push({
        email: person.email,
        reason: lookup?.reason ?? 'error',
        message: `Availability unknown for ${person.user.name}: ${lookup?.message ?? 'no answer'}.`,
      });
      continue;
    }
    const excluded = (request.exclude ?? []).map((x) => ({ ...x, status: 'busy' as const }));
    attendees.push({
      id: person.email,
      timeZone: person.settings.timeZone,
      optional: optional.has(person.email),
      // A time someone chose is checked for conflicts only: neither hours hold it back.
      workingHours: request.ignoreWorkingHours ? [] : person.workingHours,
      ...(person.acceptableHours && !request.ignoreWorkingHours
        ? { acceptableHours: person.acceptableHours }
        : {}),
      busy: person.email === organizer ? [...lookup.busy, ...excluded] : lookup.busy,
    });
  }

  return { unknown, attendees };
}
