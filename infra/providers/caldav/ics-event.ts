// The iCalendar object Quorum PUTs for an event it books on a CalDAV calendar.
import { createHash } from 'node:crypto';
import ICAL from 'ical.js';
import { describeWithLink } from '../../../core/calendars/event-input.ts';
import type { EventInput } from '../../../core/calendars/provider.ts';
import {
  isUtc,
  rruleProperty,
  vtimezoneFor,
  zonedProperty,
} from '../../../core/scheduling/recurrence/icalendar.ts';

/**
 * The UID (and file name) for a request: the same requestId always names the same resource, so
 * a retried create PUTs onto the first one instead of making a second event.
 */
export function caldavUid(requestId: string): string {
  return `quorum-${createHash('sha256').update(requestId).digest('hex').slice(0, 40)}`;
}

export interface IcsFields {
  uid: string;
  /** The organizer's calendar address (the account owner's email). */
  organizer: string;
  /** RFC 5545 SEQUENCE: 0 when created, one more on every update so clients take the change. */
  sequence: number;
  stamp: Date;
}

export function eventIcs(
  input: EventInput,
  externalJoinUrl: string | undefined,
  fields: IcsFields,
): string {
  const calendar = new ICAL.Component(['vcalendar', [], []]);
  calendar.addPropertyWithValue('prodid', '-//Quorum//Quorum Scheduler//EN');
  calendar.addPropertyWithValue('version', '2.0');
  const utc = isUtc(input.timeZone);
  if (!utc) {
    calendar.addSubcomponent(
      vtimezoneFor(input.timeZone, input.start, input.end, Boolean(input.recurrence)),
    );
  }

  const event = new ICAL.Component('vevent');
  event.addPropertyWithValue('uid', fields.uid);
  event.addPropertyWithValue('dtstamp', ICAL.Time.fromJSDate(fields.stamp, true));
  event.addProperty(timeProperty('dtstart', input.start, utc ? undefined : input.timeZone));
  event.addProperty(timeProperty('dtend', input.end, utc ? undefined : input.timeZone));
  if (input.recurrence) {
    event.addProperty(
      rruleProperty({
        rule: input.recurrence,
        timeZone: input.timeZone,
        start: input.start,
        durationMinutes: (input.end.getTime() - input.start.getTime()) / 60_000,
      }),
    );
  }
  event.addPropertyWithValue('summary', input.title);
  const description = describeWithLink(input.description, externalJoinUrl);
  if (description) event.addPropertyWithValue('description', description);
  const location = input.location ?? externalJoinUrl;
  if (location) event.addPropertyWithValue('location', location);
  if (externalJoinUrl) event.addPropertyWithValue('url', externalJoinUrl);
  event.addPropertyWithValue('sequence', fields.sequence);
  event.addPropertyWithValue('status', 'CONFIRMED');
  event.addPropertyWithValue('transp', 'OPAQUE');

  const organizer = new ICAL.Property('organizer');
  organizer.setValue(`mailto:${fields.organizer}`);
  event.addProperty(organizer);
  for (const attendee of input.attendees) {
    const property = new ICAL.Property('attendee');
    if (attendee.name) property.setParameter('cn', attendee.name);
    property.setParameter('role', attendee.optional ? 'OPT-PARTICIPANT' : 'REQ-PARTICIPANT');
    property.setParameter('partstat', 'NEEDS-ACTION');
    property.setParameter('rsvp', 'TRUE');
    property.setValue(`mailto:${attendee.email}`);
    event.addProperty(property);
  }
  calendar.addSubcomponent(event);
  return calendar.toString();
}

/** DTSTART/DTEND in UTC, or as wall clock with a TZID so the owner sees their local time. */
const timeProperty = zonedProperty;
