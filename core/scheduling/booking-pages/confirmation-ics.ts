// The .ics a guest downloads after booking: one VEVENT in UTC, so any calendar app shows it in
// the guest's own zone. Built with ical.js, the library the CalDAV provider writes events with.
import ICAL from 'ical.js';

export interface ConfirmationEvent {
  uid: string;
  title: string;
  start: Date;
  end: Date;
  organizer: { email: string; name: string };
  guest: { email: string; name: string };
  description: string;
  joinUrl: string | null;
  stamp: Date;
}

export function confirmationIcs(event: ConfirmationEvent): string {
  const calendar = new ICAL.Component(['vcalendar', [], []]);
  calendar.addPropertyWithValue('prodid', '-//Quorum//Quorum Booking Pages//EN');
  calendar.addPropertyWithValue('version', '2.0');
  calendar.addPropertyWithValue('method', 'PUBLISH');
  const vevent = new ICAL.Component('vevent');
  vevent.addPropertyWithValue('uid', event.uid);
  vevent.addPropertyWithValue('dtstamp', ICAL.Time.fromJSDate(event.stamp, true));
  vevent.addPropertyWithValue('dtstart', ICAL.Time.fromJSDate(event.start, true));
  vevent.addPropertyWithValue('dtend', ICAL.Time.fromJSDate(event.end, true));
  vevent.addPropertyWithValue('summary', event.title);
  const description = [event.description, event.joinUrl ? `Join: ${event.joinUrl}` : '']
    .filter(Boolean)
    .join('\n\n');
  if (description) vevent.addPropertyWithValue('description', description);
  if (event.joinUrl) vevent.addPropertyWithValue('url', event.joinUrl);
  const organizer = vevent.addPropertyWithValue('organizer', `mailto:${event.organizer.email}`);
  organizer.setParameter('cn', event.organizer.name);
  const guest = vevent.addPropertyWithValue('attendee', `mailto:${event.guest.email}`);
  guest.setParameter('cn', event.guest.name);
  guest.setParameter('partstat', 'ACCEPTED');
  vevent.addPropertyWithValue('status', 'CONFIRMED');
  calendar.addSubcomponent(vevent);
  return calendar.toString() + '\r\n';
}
