// iTIP messages (RFC 5546) for a meeting Quorum books on a calendar that does not invite people
// itself (the local calendar, CalDAV): REQUEST for the invitation and every update, CANCEL when
// it is called off. The UID stays the meeting's for its whole life and SEQUENCE grows with each
// change, so a calendar app updates the event it has instead of adding a second one.
import ICAL from 'ical.js';
import { headerText } from './message.ts';

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
}

export function itipIcs(event: ItipEvent): string {
  const calendar = new ICAL.Component(['vcalendar', [], []]);
  calendar.addPropertyWithValue('prodid', '-//Quorum//Quorum Invitations//EN');
  calendar.addPropertyWithValue('version', '2.0');
  calendar.addPropertyWithValue('method', event.method);
  const vevent = new ICAL.Component('vevent');
  vevent.addPropertyWithValue('uid', event.uid);
  vevent.addPropertyWithValue('sequence', event.sequence);
  vevent.addPropertyWithValue('dtstamp', ICAL.Time.fromJSDate(event.stamp, true));
  vevent.addPropertyWithValue('dtstart', ICAL.Time.fromJSDate(event.start, true));
  vevent.addPropertyWithValue('dtend', ICAL.Time.fromJSDate(event.end, true));
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
  calendar.addSubcomponent(vevent);
  return calendar.toString() + '\r\n';
}
