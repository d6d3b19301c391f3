// Mapping between Quorum's EventInput / UpcomingEvent and the Calendar API's Event resource.
import { createHash } from 'node:crypto';
import type { calendar_v3 } from 'googleapis';
import { DateTime } from 'luxon';
import { describeWithLink } from '../../../core/calendars/event-input.ts';
import type { CreatedEvent, EventInput, UpcomingEvent } from '../../../core/calendars/provider.ts';
import { icsUtc, toRRule } from '../../../core/scheduling/recurrence/series.ts';

type GoogleEvent = calendar_v3.Schema$Event;

/**
 * The event id Quorum asks Google to use, derived from the request id: a retried insert then
 * collides (409) with the first instead of creating a second event. Google accepts ids made of
 * base32hex characters (a-v, 0-9), 5 to 1024 long; lowercase hex is a subset.
 */
export function googleEventId(requestId: string): string {
  return createHash('sha256').update(requestId).digest('hex');
}

/** The event body for insert and patch (without id and conference request). */
export function googleEventBody(
  input: EventInput,
  externalJoinUrl: string | undefined,
): GoogleEvent {
  return {
    summary: input.title,
    description: describeWithLink(input.description, externalJoinUrl) ?? null,
    location: input.location ?? externalJoinUrl ?? null,
    start: { dateTime: localIso(input.start, input.timeZone), timeZone: input.timeZone },
    end: { dateTime: localIso(input.end, input.timeZone), timeZone: input.timeZone },
    // A series: the RRULE in the event's zone (start.timeZone), which Google expands in.
    ...(input.recurrence
      ? {
          recurrence: [
            `RRULE:${toRRule({ rule: input.recurrence, timeZone: input.timeZone, start: input.start, durationMinutes: (input.end.getTime() - input.start.getTime()) / 60_000 })}`,
          ],
        }
      : {}),
    attendees: input.attendees.map((a) => ({
      email: a.email,
      ...(a.name ? { displayName: a.name } : {}),
      ...(a.optional ? { optional: true } : {}),
    })),
  };
}

/** Asks Google to create a Meet conference; the same requestId on a retry is ignored by Google. */
export function meetRequest(requestId: string): calendar_v3.Schema$ConferenceData {
  return { createRequest: { requestId, conferenceSolutionKey: { type: 'hangoutsMeet' } } };
}

export function conferencePending(event: GoogleEvent): boolean {
  return event.conferenceData?.createRequest?.status?.statusCode === 'pending';
}

export function toCreatedEvent(
  event: GoogleEvent,
  externalJoinUrl: string | undefined,
): CreatedEvent {
  if (!event.id) throw new Error('Google returned an event without an id');
  const joinUrl = meetLink(event) ?? externalJoinUrl;
  return {
    providerEventId: event.id,
    ...(joinUrl ? { joinUrl } : {}),
    ...(event.htmlLink ? { webLink: event.htmlLink } : {}),
    ...(event.iCalUID ? { iCalUid: event.iCalUID } : {}),
  };
}

/** An event from `events.list`, or undefined for one Quorum should not show (cancelled, no times). */
export function toUpcomingEvent(
  event: GoogleEvent,
  calendarZone: string,
): UpcomingEvent | undefined {
  if (event.status === 'cancelled' || !event.id) return undefined;
  const start = eventTime(event.start, calendarZone);
  const end = eventTime(event.end, calendarZone);
  if (!start || !end) return undefined;
  const joinUrl = meetLink(event);
  return {
    providerEventId: event.id,
    title: event.summary ?? '',
    start,
    end,
    attendees: (event.attendees ?? []).flatMap((a) => (a.email ? [a.email] : [])),
    ...(joinUrl ? { joinUrl } : {}),
  };
}

function meetLink(event: GoogleEvent): string | undefined {
  const video = event.conferenceData?.entryPoints?.find((e) => e.entryPointType === 'video');
  return video?.uri ?? event.hangoutLink ?? undefined;
}

/** A timed event has `dateTime` (RFC 3339); an all-day one a `date`, midnight in the calendar's zone. */
function eventTime(
  time: calendar_v3.Schema$EventDateTime | undefined,
  calendarZone: string,
): Date | undefined {
  if (time?.dateTime) return new Date(time.dateTime);
  if (time?.date)
    return DateTime.fromISO(time.date, { zone: time.timeZone ?? calendarZone }).toJSDate();
  return undefined;
}

function localIso(instant: Date, zone: string): string {
  const iso = DateTime.fromJSDate(instant, { zone }).toISO({ suppressMilliseconds: true });
  if (!iso) throw new RangeError(`cannot express ${instant.toISOString()} in zone ${zone}`);
  return iso;
}

/** An instance of a recurring event: `<event id>_<original start in basic UTC form>`. */
export function googleInstanceId(eventId: string, original: Date): string {
  return `${eventId}_${icsUtc(original)}`;
}

export function zonedTime(instant: Date, zone: string): calendar_v3.Schema$EventDateTime {
  return { dateTime: localIso(instant, zone), timeZone: zone };
}
