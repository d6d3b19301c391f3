// Writing events to a CalDAV calendar: a new object PUT under a name made from the booking
// request (so a retry lands on the same resource), a rewrite that keeps the UID and raises
// SEQUENCE behind If-Match, and a delete that accepts an object already gone.
import ICAL from 'ical.js';
import { createCalendarObject, deleteCalendarObject, updateCalendarObject } from 'tsdav';
import { checkEventInput } from '../../../core/calendars/event-input.ts';
import {
  ProviderError,
  type CreatedEvent,
  type EventInput,
  type SeriesChange,
  type SeriesOnCalendar,
} from '../../../core/calendars/provider.ts';
import { applySeriesChange } from './ics-series.ts';
import { withSlash, type CalDavSession } from './caldav-session.ts';
import { caldavUid, eventIcs } from './ics-event.ts';
import { isUtc } from '../../../core/scheduling/recurrence/icalendar.ts';

export class CalDavObjects {
  private readonly session: CalDavSession;
  /** The ORGANIZER of every event Quorum writes. */
  private readonly ownerId: string;

  constructor(session: CalDavSession, ownerId: string) {
    this.session = session;
    this.ownerId = ownerId;
  }

  /** PUTs a new object named after the request, so a retry lands on the same resource. */
  async create(input: EventInput, signal: AbortSignal | undefined): Promise<CreatedEvent> {
    const externalJoinUrl = checkEventInput(input, undefined, 'A CalDAV calendar');
    const calendar = await this.session.bookingCalendar(signal);
    const uid = caldavUid(input.requestId);
    const filename = `${uid}.ics`;
    const ics = eventIcs(input, externalJoinUrl, {
      uid,
      organizer: this.ownerId,
      sequence: 0,
      stamp: new Date(),
    });
    const response = await createCalendarObject({
      calendar,
      filename,
      iCalString: ics,
      ...this.session.dav(signal),
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
  async rewrite(
    url: string,
    input: EventInput,
    signal: AbortSignal | undefined,
  ): Promise<CreatedEvent> {
    const externalJoinUrl = checkEventInput(input, undefined, 'A CalDAV calendar');
    const { headers, fetchOptions } = this.session.dav(signal);
    const current = await this.session.checkedFetch(url, { headers, ...fetchOptions });
    if (!current.ok) {
      throw new ProviderError(
        `CalDAV event ${url} could not be read (HTTP ${current.status})`,
        current.status,
      );
    }
    const stored = readStored(await current.text());
    const ics = eventIcs(input, externalJoinUrl, {
      uid: stored.uid,
      organizer: this.ownerId,
      sequence: stored.sequence + 1,
      stamp: new Date(),
    });
    const etag = current.headers.get('etag') ?? undefined;
    const response = await updateCalendarObject({
      calendarObject: { url, data: ics, ...(etag ? { etag } : {}) },
      ...this.session.dav(signal),
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

  /** Cancels or moves one occurrence of a series object, or ends it, behind If-Match. */
  async changeSeries(
    url: string,
    series: SeriesOnCalendar,
    change: SeriesChange,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const { headers, fetchOptions } = this.session.dav(signal);
    const current = await this.session.checkedFetch(url, { headers, ...fetchOptions });
    if (!current.ok) {
      throw new ProviderError(
        `CalDAV event ${url} could not be read (HTTP ${current.status})`,
        current.status,
      );
    }
    const calendar = new ICAL.Component(ICAL.parse(await current.text()));
    applySeriesChange(
      calendar,
      series,
      change,
      isUtc(series.timeZone) ? undefined : series.timeZone,
    );
    const etag = current.headers.get('etag') ?? undefined;
    const response = await updateCalendarObject({
      calendarObject: { url, data: calendar.toString(), ...(etag ? { etag } : {}) },
      ...this.session.dav(signal),
    });
    if (!response.ok) {
      throw new ProviderError(
        `the CalDAV server refused the series change (HTTP ${response.status})`,
        response.status,
      );
    }
  }

  /** Deletes an object; one that is already gone is fine. */
  async remove(url: string, signal: AbortSignal | undefined): Promise<void> {
    const response = await deleteCalendarObject({
      calendarObject: { url },
      ...this.session.dav(signal),
    });
    if (!response.ok && response.status !== 404) {
      throw new ProviderError(
        `the CalDAV server refused to delete ${url} (HTTP ${response.status})`,
        response.status,
      );
    }
  }
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
