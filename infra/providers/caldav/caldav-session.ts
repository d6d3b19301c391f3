// Any CalDAV server (iCloud, Fastmail, Nextcloud, Radicale) through tsdav, with an app password.
import ICAL from 'ical.js';
import { IANAZone } from 'luxon';
import {
  calendarQuery,
  createAccount,
  createCalendarObject,
  deleteCalendarObject,
  fetchCalendars,
  getBasicAuthHeaders,
  updateCalendarObject,
  type DAVCalendar,
} from 'tsdav';
import { untilAborted } from '../../../core/calendars/abort.ts';
import {
  checkRange,
  clipToRange,
  type TimeRange,
  upcomingLimit,
} from '../../../core/calendars/busy-range.ts';
import { checkEventInput } from '../../../core/calendars/event-input.ts';
import { isConnectionBroken } from '../../../core/calendars/oauth-retry.ts';
import {
  ProviderError,
  type BusyInterval,
  type CalendarLookup,
  type CalendarProvider,
  type CreatedEvent,
  type EventInput,
  type UpcomingEvent,
} from '../../../core/calendars/provider.ts';
import { caldavUid, eventIcs } from './ics-event.ts';
import { occurrencesIn, type Occurrence } from './occurrences.ts';

const DISCOVERY_TIMEOUT_MS = 30_000;

export interface CalDavOptions {
  serverUrl: string;
  username: string;
  /** An app password (iCloud, Fastmail) or the account password; sent with HTTP Basic auth. */
  password: string;
  /**
   * The account owner's calendar id, usually their email. Free/busy for it covers every event
   * calendar of the account; it is the ORGANIZER of the events Quorum books.
   */
  ownerId: string;
  /** The calendar Quorum books into. Default: the account's first calendar that holds events. */
  calendarUrl?: string;
  /** Where floating times and all-day events sit (the owner's IANA zone). Default UTC. */
  floatingTimeZone?: string;
}

type Found = Occurrence & { objectUrl: string };

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
  const headers = getBasicAuthHeaders({ username: options.username, password: options.password });

  /** tsdav turns some HTTP failures into empty results; a refused login must never read as "free". */
  const checkedFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    if (response.status === 401) {
      throw new ProviderError(
        `the CalDAV server at ${server.origin} refused the username or app password`,
        401,
      );
    }
    return response;
  };
  const dav = (signal: AbortSignal | undefined) => ({
    headers,
    fetch: checkedFetch,
    fetchOptions: signal ? { signal } : {},
  });

  // Discovery (well-known, principal, calendar home, calendars) is done once per provider and
  // shared by concurrent calls, so it runs on its own deadline rather than on one caller's signal.
  let discovered: Promise<DAVCalendar[]> | undefined;
  function eventCalendars(signal: AbortSignal | undefined): Promise<DAVCalendar[]> {
    discovered ??= discover(AbortSignal.timeout(DISCOVERY_TIMEOUT_MS)).catch((error: unknown) => {
      discovered = undefined; // try again next time
      throw error;
    });
    return untilAborted(discovered, signal);
  }
  async function discover(signal: AbortSignal): Promise<DAVCalendar[]> {
    const account = await createAccount({
      account: {
        serverUrl: server.href,
        accountType: 'caldav',
        credentials: { username: options.username, password: options.password },
      },
      ...dav(signal),
    });
    const calendars = await fetchCalendars({ account, ...dav(signal) });
    return calendars.filter((c) => !c.components?.length || c.components.includes('VEVENT'));
  }

  async function occurrencesOf(
    calendar: DAVCalendar,
    range: TimeRange,
    signal: AbortSignal | undefined,
  ): Promise<Found[]> {
    const responses = await calendarQuery({
      url: calendar.url,
      props: { 'd:getetag': {}, 'c:calendar-data': {} },
      filters: {
        'comp-filter': {
          _attributes: { name: 'VCALENDAR' },
          'comp-filter': {
            _attributes: { name: 'VEVENT' },
            'time-range': { _attributes: { start: icalUtc(range.start), end: icalUtc(range.end) } },
          },
        },
      },
      depth: '1',
      ...dav(signal),
    });
    const window = { start: range.start.getTime(), end: range.end.getTime() };
    return responses.flatMap((response) => {
      const data = calendarData(response.props);
      if (!data || !response.href) return [];
      const objectUrl = new URL(response.href, server).href;
      try {
        return occurrencesIn(data, window, floatingZone).map((o) => ({ ...o, objectUrl }));
      } catch {
        // One object no parser can read must not hide the rest of the calendar.
        return [];
      }
    });
  }

  /** A calendar's busy time; one that cannot be read is reported, unless the account is refused. */
  async function busyIn(
    calendar: DAVCalendar,
    range: TimeRange,
    signal: AbortSignal | undefined,
  ): Promise<CalendarLookup> {
    try {
      return { ok: true, busy: clipToRange(await occurrencesOf(calendar, range, signal), range) };
    } catch (error) {
      if (isConnectionBroken(error) || signal?.aborted) throw error;
      const detail = error instanceof Error ? error.message : String(error);
      return { ok: false, reason: 'error', message: `CalDAV calendar ${calendar.url}: ${detail}` };
    }
  }

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

  async function bookingCalendar(signal: AbortSignal | undefined): Promise<DAVCalendar> {
    const calendars = await eventCalendars(signal);
    if (options.calendarUrl) {
      const wanted = options.calendarUrl;
      return (
        calendars.find((c) => sameCollection(c.url, wanted)) ?? {
          url: new URL(wanted, server).href,
        }
      );
    }
    const first = calendars[0];
    if (!first)
      throw new ProviderError('the CalDAV account has no calendar for events; create one');
    return first;
  }

  /** An event id is the object's URL; never send the credentials to another host. */
  function objectUrlOf(providerEventId: string): string {
    let url: URL;
    try {
      url = new URL(providerEventId);
    } catch {
      throw new RangeError(`CalDAV event id must be the event's URL, got ${providerEventId}`);
    }
    if (url.origin !== server.origin) {
      throw new RangeError(`CalDAV event ${providerEventId} is not on ${server.origin}`);
    }
    return url.href;
  }

  /** PUTs a new object named after the request, so a retry lands on the same resource. */
  async function createObject(
    input: EventInput,
    signal: AbortSignal | undefined,
  ): Promise<CreatedEvent> {
    const externalJoinUrl = checkEventInput(input, undefined, 'A CalDAV calendar');
    const calendar = await bookingCalendar(signal);
    const uid = caldavUid(input.requestId);
    const filename = `${uid}.ics`;
    const ics = eventIcs(input, externalJoinUrl, {
      uid,
      organizer: options.ownerId,
      sequence: 0,
      stamp: new Date(),
    });
    const response = await createCalendarObject({
      calendar,
      filename,
      iCalString: ics,
      ...dav(signal),
    });
    // 412: If-None-Match failed, the resource exists: an earlier attempt of this request made it.
    if (!response.ok && response.status !== 412) {
      throw new ProviderError(
        `the CalDAV server refused the new event (HTTP ${response.status})`,
        response.status,
      );
    }
    return {
      providerEventId: new URL(filename, withSlash(calendar.url)).href,
      iCalUid: uid,
      ...(externalJoinUrl ? { joinUrl: externalJoinUrl } : {}),
    };
  }

  /** Rewrites an object, keeping its UID and raising its SEQUENCE; If-Match guards the PUT. */
  async function rewriteObject(
    url: string,
    input: EventInput,
    signal: AbortSignal | undefined,
  ): Promise<CreatedEvent> {
    const externalJoinUrl = checkEventInput(input, undefined, 'A CalDAV calendar');
    const current = await checkedFetch(url, { headers, ...dav(signal).fetchOptions });
    if (!current.ok) {
      throw new ProviderError(
        `CalDAV event ${url} could not be read (HTTP ${current.status})`,
        current.status,
      );
    }
    const stored = readStored(await current.text());
    const ics = eventIcs(input, externalJoinUrl, {
      uid: stored.uid,
      organizer: options.ownerId,
      sequence: stored.sequence + 1,
      stamp: new Date(),
    });
    const etag = current.headers.get('etag') ?? undefined;
    const response = await updateCalendarObject({
      calendarObject: { url, data: ics, ...(etag ? { etag } : {}) },
      ...dav(signal),
    });
    if (!response.ok) {
      const why =
        response.status === 412
          ? 'it changed on the server meanwhile; try again'
          : `HTTP ${response.status}`;
      throw new ProviderError(
        `the CalDAV server refused the event update: ${why}`,
        response.status,
      );
    }
    return {
      providerEventId: url,
      iCalUid: stored.uid,
      ...(externalJoinUrl ? { joinUrl: externalJoinUrl } : {}),
    };
  }

  return {
    kind: 'caldav',

    async freeBusy(request, signal) {
      checkRange(request, 'free/busy request');
      return call('free/busy', signal, async () => {
        const calendars = await eventCalendars(signal);
        // The owner's id and a calendar's URL can both name the same calendar: read it once.
        const reads = new Map<string, Promise<CalendarLookup>>();
        const readOnce = (calendar: DAVCalendar) => {
          const known = reads.get(calendar.url);
          if (known) return known;
          const read = busyIn(calendar, request, signal);
          reads.set(calendar.url, read);
          return read;
        };
        const answers = await Promise.all(
          [...new Set(request.calendars)].map(async (id) => {
            const named = resolveCalendars(id, calendars);
            const lookup: CalendarLookup = named
              ? combine(await Promise.all(named.map(readOnce)), request)
              : {
                  ok: false,
                  reason: 'not-found',
                  message: `no CalDAV calendar ${id} in this account`,
                };
            return [id, lookup] as const;
          }),
        );
        signal?.throwIfAborted();
        return Object.fromEntries(answers);
      });
    },

    createEvent: (input, signal) => call('event create', signal, () => createObject(input, signal)),

    updateEvent: (providerEventId, input, signal) =>
      call('event update', signal, () =>
        rewriteObject(objectUrlOf(providerEventId), input, signal),
      ),

    async deleteEvent(providerEventId, signal) {
      await call('event delete', signal, async () => {
        const url = objectUrlOf(providerEventId);
        const response = await deleteCalendarObject({ calendarObject: { url }, ...dav(signal) });
        if (!response.ok && response.status !== 404) {
          throw new ProviderError(
            `the CalDAV server refused to delete ${url} (HTTP ${response.status})`,
            response.status,
          );
        }
      });
    },

    async upcoming(range, signal) {
      checkRange(range, 'upcoming range');
      const limit = upcomingLimit(range.limit);
      return call('upcoming events', signal, async () => {
        const calendars = await eventCalendars(signal);
        const found = (
          await Promise.all(calendars.map((c) => occurrencesOf(c, range, signal)))
        ).flat();
        return found
          .sort((a, b) => a.start - b.start)
          .slice(0, limit)
          .map((o): UpcomingEvent => ({
            providerEventId: o.objectUrl,
            title: o.title,
            start: new Date(o.start),
            end: new Date(o.end),
            attendees: o.attendees,
            ...(o.joinUrl ? { joinUrl: o.joinUrl } : {}),
          }));
      });
    },
  };

  /** The owner's id means all their event calendars; otherwise the id names one calendar's URL. */
  function resolveCalendars(id: string, calendars: DAVCalendar[]): DAVCalendar[] | undefined {
    if (id.trim().toLowerCase() === options.ownerId.trim().toLowerCase()) return calendars;
    const match = calendars.find((c) => sameCollection(c.url, id));
    return match ? [match] : undefined;
  }

  function sameCollection(a: string, b: string): boolean {
    try {
      return withSlash(new URL(a, server).href) === withSlash(new URL(b, server).href);
    } catch {
      return false;
    }
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

/** The calendar data of a REPORT response (xml-js puts CDATA under `_cdata`). */
function calendarData(props: Record<string, unknown> | undefined): string | undefined {
  const value = props?.calendarData;
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && '_cdata' in value) {
    const cdata = (value as { _cdata: unknown })._cdata;
    return typeof cdata === 'string' ? cdata : undefined;
  }
  return undefined;
}

/** UID and SEQUENCE of a stored object, so an update keeps the first and raises the second. */
function readStored(ics: string): { uid: string; sequence: number } {
  const vevent = new ICAL.Component(ICAL.parse(ics)).getFirstSubcomponent('vevent');
  const uid = vevent?.getFirstPropertyValue('uid');
  if (!vevent || typeof uid !== 'string') {
    throw new ProviderError('the stored CalDAV object has no event to update');
  }
  const sequence = Number(vevent.getFirstPropertyValue('sequence') ?? 0);
  return { uid, sequence: Number.isFinite(sequence) ? sequence : 0 };
}

function icalUtc(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
