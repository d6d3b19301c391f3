// iTIP messages (RFC 5546) for a meeting Quorum books on a calendar that does not invite people
// itself (the local calendar, CalDAV): REQUEST for the invitation and every update, CANCEL when
// it is called off. The UID stays the meeting's for its whole life and SEQUENCE grows with each
// change, so a calendar app updates the event it has instead of adding a second one.
//
// A series is one event with its RRULE, DTSTART in the organizer's zone (with its VTIMEZONE) so
// every meeting keeps their wall-clock time across DST, EXDATE for cancelled meetings and a
// second VEVENT with RECURRENCE-ID for each moved one, written with the same parts the CalDAV
// writer uses (core/scheduling/recurrence/icalendar.ts).
import ICAL from 'ical.js';
import type { SeriesSpec } from '../scheduling/recurrence/expand.ts';
import {
  isUtc,
  rruleProperty,
  vtimezoneFor,
  zonedProperty,
} from '../scheduling/recurrence/icalendar.ts';
import type { SeriesExceptions } from '../scheduling/recurrence/series.ts';
import { headerText } from './message.ts';

type Component = InstanceType<typeof ICAL.Component>;

export interface ItipEvent {
  method: 'REQUEST' | 'CANCEL';
  uid: string;
  sequence: number;
  title: string;
  start: Date;
  end: Date;
  organizer: { email: string; name?: string };
  attendees: Array<{ email: string; name?: string; optional?: boolean }>;
  joinUrl?: string | null;
  stamp: Date;
  /** Set for a series: `start`/`end` are its first meeting. */
  series?: SeriesExceptions & { spec: SeriesSpec };
}

export function itipIcs(event: ItipEvent): string {
  const calendar = new ICAL.Component(['vcalendar', [], []]);
  calendar.addPropertyWithValue('prodid', '-//Quorum//Quorum Invitations//EN');
  calendar.addPropertyWithValue('version', '2.0');
  calendar.addPropertyWithValue('method', event.method);
  const zone =
    event.series && !isUtc(event.series.spec.timeZone) ? event.series.spec.timeZone : undefined;
  if (zone) calendar.addSubcomponent(vtimezoneFor(zone, event.start, event.end, true));
  const master = veventOf(event, { start: event.start, end: event.end }, zone);
  calendar.addSubcomponent(master);
  if (event.series) {
    master.addProperty(rruleProperty(event.series.spec));
    for (const cancelled of event.series.cancelled) {
      master.addProperty(zonedProperty('exdate', new Date(cancelled), zone));
    }
    for (const moved of event.series.moved) {
      const override = veventOf(
        event,
        { start: new Date(moved.start), end: new Date(moved.end) },
        zone,
      );
      override.addProperty(zonedProperty('recurrence-id', new Date(moved.original), zone));
      calendar.addSubcomponent(override);
    }
  }
  return calendar.toString() + '\r\n';
}

/** One VEVENT of the message: the event, or a moved meeting of its series. */
function veventOf(
  event: ItipEvent,
  time: { start: Date; end: Date },
  zone: string | undefined,
): Component {
  const vevent = new ICAL.Component('vevent');
  vevent.addPropertyWithValue('uid', event.uid);
  vevent.addPropertyWithValue('sequence', event.sequence);
  vevent.addPropertyWithValue('dtstamp', ICAL.Time.fromJSDate(event.stamp, true));
  vevent.addProperty(zonedProperty('dtstart', time.start, zone));
  vevent.addProperty(zonedProperty('dtend', time.end, zone));
  // One line: a title is a summary, and a line break in it would only confuse calendar apps.
  vevent.addPropertyWithValue('summary', headerText(event.title, 250));
  if (event.joinUrl) {
    vevent.addPropertyWithValue('url', event.joinUrl);
    vevent.addPropertyWithValue('location', event.joinUrl);
  }
  const organizer = vevent.addPropertyWithValue('organizer', `mailto:${event.organizer.email}`);
  if (event.organizer.name) organizer.setParameter('cn', headerText(event.organizer.name, 80));
  for (const person of event.attendees) {
    const attendee = vevent.addPropertyWithValue('attendee', `mailto:${person.email}`);
    if (person.name) attendee.setParameter('cn', headerText(person.name, 80));
    attendee.setParameter('role', person.optional ? 'OPT-PARTICIPANT' : 'REQ-PARTICIPANT');
    attendee.setParameter('partstat', 'NEEDS-ACTION');
    if (event.method === 'REQUEST') attendee.setParameter('rsvp', 'TRUE');
  }
  vevent.addPropertyWithValue('status', event.method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED');
  return vevent;
}
