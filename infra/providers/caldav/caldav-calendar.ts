// Any CalDAV server (iCloud, Fastmail, Nextcloud, Radicale) through tsdav, with an app password:
// the CalendarProvider over one account (caldav-session.ts) and its event writes
// (caldav-objects.ts).
import { IANAZone } from 'luxon';
import type { DAVCalendar } from 'tsdav';
import {
  checkRange,
  clipToRange,
  type TimeRange,
  upcomingLimit,
} from '../../../core/calendars/busy-range.ts';
import { isConnectionBroken } from '../../../core/calendars/oauth-retry.ts';
import {
  ProviderError,
  type BusyInterval,
  type CalendarLookup,
  type CalendarProvider,
  type FreeBusyRequest,
  type UpcomingEvent,
} from '../../../core/calendars/provider.ts';
import { CalDavObjects } from './caldav-objects.ts';
import { CalDavSession, type CalDavAccountOptions } from './caldav-session.ts';

export interface CalDavOptions extends CalDavAccountOptions {
  /** Where floating times and all-day events sit (the owner's IANA zone). Default UTC. */
  floatingTimeZone?: string;
}

export function caldavCalendarProvider(options: CalDavOptions): CalendarProvider {
  const server = new URL(options.serverUrl);
  if (server.protocol !== 'https:' && server.protocol !== 'http:') {
    throw new RangeError(`CalDAV serverUrl must be an http(s) URL, got ${options.serverUrl}`);
  }
  if (options.ownerId.trim() === '') throw new RangeError('CalDAV ownerId must not be empty');
  const floatingZone = options.floatingTimeZone ?? 'UTC';
  if (!IANAZone.isValidZone(floatingZone)) {
    throw new RangeError(
      `CalDAV floatingTimeZone ${JSON.stringify(floatingZone)} is not an IANA zone`,
    );
  }
  const session = new CalDavSession(options, floatingZone);
  const objects = new CalDavObjects(session, options.ownerId);
  return {
    kind: 'caldav',
    async freeBusy(request, signal) {
      checkRange(request, 'free/busy request');
      return call('free/busy', signal, () => freeBusy(session, request, signal));
    },
    createEvent: (input, signal) =>
      call('event create', signal, () => objects.create(input, signal)),
    updateEvent: (providerEventId, input, signal) =>
      call('event update', signal, () =>
        objects.rewrite(session.objectUrlOf(providerEventId), input, signal),
      ),
    async deleteEvent(providerEventId, signal) {
      await call('event delete', signal, () =>
        objects.remove(session.objectUrlOf(providerEventId), signal),
      );
    },
    async changeSeries(providerEventId, series, change, signal) {
      await call('series change', signal, () =>
        objects.changeSeries(session.objectUrlOf(providerEventId), series, change, signal),
      );
    },
    async upcoming(range, signal) {
      checkRange(range, 'upcoming range');
      const limit = upcomingLimit(range.limit);
      return call('upcoming events', signal, () => upcoming(session, range, limit, signal));
    },
  };
}

/** Every failure of a call as a ProviderError, except the caller's own abort. */
async function call<T>(what: string, signal: AbortSignal | undefined, run: () => Promise<T>) {
  signal?.throwIfAborted();
  try {
    return await run();
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (error instanceof ProviderError || error instanceof RangeError) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw new ProviderError(`CalDAV ${what} failed: ${detail}`);
  }
}

async function freeBusy(
  session: CalDavSession,
  request: FreeBusyRequest,
  signal: AbortSignal | undefined,
): Promise<Record<string, CalendarLookup>> {
  const calendars = await session.eventCalendars(signal);
  // The owner's id and a calendar's URL can both name the same calendar: read it once.
  const reads = new Map<string, Promise<CalendarLookup>>();
  const readOnce = (calendar: DAVCalendar) => {
    const known = reads.get(calendar.url);
    if (known) return known;
    const read = busyIn(session, calendar, request, signal);
    reads.set(calendar.url, read);
    return read;
  };
  const answers = await Promise.all(
    [...new Set(request.calendars)].map(async (id) => {
      const named = session.resolveCalendars(id, calendars);
      const lookup: CalendarLookup = named
        ? combine(await Promise.all(named.map(readOnce)), request)
        : { ok: false, reason: 'not-found', message: `no CalDAV calendar ${id} in this account` };
      return [id, lookup] as const;
    }),
  );
  signal?.throwIfAborted();
  return Object.fromEntries(answers);
}

/** A calendar's busy time; one that cannot be read is reported, unless the account is refused. */
async function busyIn(
  session: CalDavSession,
  calendar: DAVCalendar,
  range: TimeRange,
  signal: AbortSignal | undefined,
): Promise<CalendarLookup> {
  try {
    const busy = clipToRange(await session.occurrencesOf(calendar, range, signal), range);
    return { ok: true, busy };
  } catch (error) {
    if (isConnectionBroken(error) || signal?.aborted) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: 'error', message: `CalDAV calendar ${calendar.url}: ${detail}` };
  }
}

/** One calendar id may cover several calendars: all must be readable for the answer to hold. */
function combine(lookups: CalendarLookup[], range: TimeRange): CalendarLookup {
  const busy: BusyInterval[] = [];
  for (const lookup of lookups) {
    if (!lookup.ok) return lookup;
    busy.push(...lookup.busy);
  }
  return { ok: true, busy: clipToRange(busy, range) };
}

async function upcoming(
  session: CalDavSession,
  range: TimeRange,
  limit: number,
  signal: AbortSignal | undefined,
): Promise<UpcomingEvent[]> {
  const calendars = await session.eventCalendars(signal);
  const found = (
    await Promise.all(calendars.map((c) => session.occurrencesOf(c, range, signal)))
  ).flat();
  return found
    .sort((a, b) => a.start - b.start)
    .slice(0, limit)
    .map((o) => ({
      providerEventId: o.objectUrl,
      title: o.title,
      start: new Date(o.start),
      end: new Date(o.end),
      attendees: o.attendees,
      ...(o.joinUrl ? { joinUrl: o.joinUrl } : {}),
    }));
}
