// One signed-in CalDAV account through tsdav: its HTTP Basic headers, the discovery of its
// event calendars (once, shared by concurrent calls), reading occurrences from a calendar, and
// the checks that keep every request on the account's own server.
import {
  calendarQuery,
  createAccount,
  fetchCalendars,
  getBasicAuthHeaders,
  type DAVCalendar,
} from 'tsdav';
import { untilAborted } from '../../../core/calendars/abort.ts';
import type { TimeRange } from '../../../core/calendars/busy-range.ts';
import { ProviderError } from '../../../core/calendars/provider.ts';
import { occurrencesIn, type Occurrence } from './occurrences.ts';

const DISCOVERY_TIMEOUT_MS = 30_000;

export interface CalDavAccountOptions {
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
}

export type Found = Occurrence & { objectUrl: string };

export class CalDavSession {
  readonly server: URL;
  readonly headers: Record<string, string>;
  private readonly options: CalDavAccountOptions;
  private readonly floatingZone: string;
  private discovered: Promise<DAVCalendar[]> | undefined;

  constructor(options: CalDavAccountOptions, floatingZone: string) {
    this.options = options;
    this.server = new URL(options.serverUrl);
    this.floatingZone = floatingZone;
    this.headers = getBasicAuthHeaders({ username: options.username, password: options.password });
  }

  /** tsdav turns some HTTP failures into empty results; a refused login must never read as "free". */
  readonly checkedFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    if (response.status === 401) {
      throw new ProviderError(
        `the CalDAV server at ${this.server.origin} refused the username or app password`,
        401,
      );
    }
    return response;
  };

  /** What every tsdav call takes: the credentials, the checked fetch, the caller's signal. */
  dav(signal: AbortSignal | undefined) {
    return {
      headers: this.headers,
      fetch: this.checkedFetch,
      fetchOptions: signal ? { signal } : {},
    };
  }

  /**
   * The account's event calendars. Discovery (well-known, principal, calendar home, calendars)
   * is done once per provider and shared by concurrent calls, so it runs on its own deadline
   * rather than on one caller's signal.
   */
  eventCalendars(signal: AbortSignal | undefined): Promise<DAVCalendar[]> {
    this.discovered ??= this.discover(AbortSignal.timeout(DISCOVERY_TIMEOUT_MS)).catch(
      (error: unknown) => {
        this.discovered = undefined; // try again next time
        throw error;
      },
    );
    return untilAborted(this.discovered, signal);
  }

  /** The calendar Quorum books into: the configured one, else the first that holds events. */
  async bookingCalendar(signal: AbortSignal | undefined): Promise<DAVCalendar> {
    const calendars = await this.eventCalendars(signal);
    if (this.options.calendarUrl) {
      const wanted = this.options.calendarUrl;
      return (
        calendars.find((c) => this.sameCollection(c.url, wanted)) ?? {
          url: new URL(wanted, this.server).href,
        }
      );
    }
    const first = calendars[0];
    if (!first)
      throw new ProviderError('the CalDAV account has no calendar for events; create one');
    return first;
  }

  /** The owner's id means all their event calendars; otherwise the id names one calendar's URL. */
  resolveCalendars(id: string, calendars: DAVCalendar[]): DAVCalendar[] | undefined {
    if (id.trim().toLowerCase() === this.options.ownerId.trim().toLowerCase()) return calendars;
    const match = calendars.find((c) => this.sameCollection(c.url, id));
    return match ? [match] : undefined;
  }

  /** The event occurrences of a calendar within `range`, each with its object's URL. */
  async occurrencesOf(
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
      ...this.dav(signal),
    });
    const window = { start: range.start.getTime(), end: range.end.getTime() };
    return responses.flatMap((response) => {
      const data = calendarData(response.props);
      if (!data || !response.href) return [];
      const objectUrl = new URL(response.href, this.server).href;
      try {
        return occurrencesIn(data, window, this.floatingZone).map((o) => ({ ...o, objectUrl }));
      } catch {
        // One object no parser can read must not hide the rest of the calendar.
        return [];
      }
    });
  }

  /** An event id is the object's URL; never send the credentials to another host. */
  objectUrlOf(providerEventId: string): string {
    let url: URL;
    try {
      url = new URL(providerEventId);
    } catch {
      throw new RangeError(`CalDAV event id must be the event's URL, got ${providerEventId}`);
    }
    if (url.origin !== this.server.origin) {
      throw new RangeError(`CalDAV event ${providerEventId} is not on ${this.server.origin}`);
    }
    return url.href;
  }

  private async discover(signal: AbortSignal): Promise<DAVCalendar[]> {
    const account = await createAccount({
      account: {
        serverUrl: this.server.href,
        accountType: 'caldav',
        credentials: { username: this.options.username, password: this.options.password },
      },
      ...this.dav(signal),
    });
    const calendars = await fetchCalendars({ account, ...this.dav(signal) });
    return calendars.filter((c) => !c.components?.length || c.components.includes('VEVENT'));
  }

  private sameCollection(a: string, b: string): boolean {
    try {
      return withSlash(new URL(a, this.server).href) === withSlash(new URL(b, this.server).href);
    } catch {
      return false;
    }
  }
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

function icalUtc(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;
}

export function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
