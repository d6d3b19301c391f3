// Invitations by email for bookings on the local calendar, read back from a real SMTP server on
// loopback: the booking's REQUEST, the reschedule's update (same UID, SEQUENCE + 1), the CANCEL,
// Accept and Decline by signed link, and names and titles that try to add headers; a series as
// one event whose meetings keep the organizer's wall-clock time across DST, and the update when
// one of its meetings is cancelled.
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, json, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';
import { startSmtpSink, type SinkMessage, type SmtpSink } from '../../support/smtp-sink.ts';

let sink: SmtpSink;
let app: TestQuorum;
let ana: Browser;
const password = 'copper-meadow-signal-58';
const HOSTILE_NAME = 'Gina\r\nBcc: mallory@evil.example\r\n\r\nInjected body';
const HOSTILE_TITLE = 'Budget\r\nBcc: mallory@evil.example';

/** The iCalendar part of a message, parsed with ical.js. */
function calendarOf(message: SinkMessage) {
  const part = message.parsed.attachments.find((a) => a.contentType === 'text/calendar');
  expect(part, 'a text/calendar part').toBeDefined();
  const vcalendar = new ICAL.Component(ICAL.parse(part!.content.toString('utf8')));
  const vevent = vcalendar.getFirstSubcomponent('vevent')!;
  return {
    method: vcalendar.getFirstPropertyValue('method'),
    uid: vevent.getFirstPropertyValue('uid'),
    sequence: vevent.getFirstPropertyValue('sequence'),
    start: (vevent.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate(),
    summary: vevent.getFirstPropertyValue('summary'),
    attendees: vevent.getAllProperties('attendee').map((p) => String(p.getFirstValue())),
    contentType: part!.headers.get('content-type'),
  };
}

/**
 * The meeting starts a calendar app puts in its calendar for the message: its event expanded
 * with ical.js (RRULE less EXDATE, moved meetings by RECURRENCE-ID, TZID resolved from the
 * message's own VTIMEZONE).
 */
function meetingStarts(message: SinkMessage): string[] {
  const part = message.parsed.attachments.find((a) => a.contentType === 'text/calendar')!;
  const vcalendar = new ICAL.Component(ICAL.parse(part.content.toString('utf8')));
  const [master, ...moved] = vcalendar.getAllSubcomponents('vevent');
  const event = new ICAL.Event(master!);
  for (const override of moved) event.relateException(override);
  const starts: string[] = [];
  const iterator = event.iterator();
  for (let next = iterator.next(); next && starts.length < 100; next = iterator.next()) {
    starts.push(event.getOccurrenceDetails(next).startDate.toJSDate().toISOString());
  }
  return starts;
}

const to = (address: string) => (m: SinkMessage) => m.rcpt.includes(address);

beforeAll(async () => {
  sink = await startSmtpSink();
  app = await startTestQuorum({ SMTP_URL: sink.url, QUORUM_MAIL_FROM: 'quorum@acme.example' });
  ana = new Browser(app.url);
  const signup = await ana.request('/auth/signup', {
    method: 'POST',
    json: { organization: 'Acme', name: 'Ana', email: 'ana@acme.example', password },
  });
  expect(signup.status).toBe(201);
  const settings = await ana.request('/api/me/settings', {
    method: 'PUT',
    json: {
      timeZone: 'Europe/Berlin',
      workingHours: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '00:00', end: '24:00' }],
      defaultLinkType: 'none',
    },
  });
  expect(settings.status).toBe(200);
});
afterAll(async () => {
  await app?.stop();
  await sink?.close();
});

describe('a booking on the local calendar', () => {
  let bookingId: string;
  let uid: string;

  it('emails each attendee an iTIP REQUEST in their zone, with no injected header', async () => {
    const res = await ana.request('/api/bookings', {
      method: 'POST',
      json: {
        title: HOSTILE_TITLE,
        start: '2027-03-23T09:00:00.000Z',
        end: '2027-03-23T09:30:00.000Z',
        attendees: [{ email: 'gina@guest.example', name: HOSTILE_NAME }],
        idempotencyKey: 'email-test-booking-1',
      },
    });
    expect(res.status).toBe(201);
    bookingId = (await json(res)).booking._id;
    const [invite] = (await sink.waitFor((ms) => ms.some(to('gina@guest.example')))).filter(
      to('gina@guest.example'),
    );
    const ical = calendarOf(invite!);
    expect(ical.method).toBe('REQUEST');
    expect(ical.contentType).toMatchObject({
      value: 'text/calendar',
      params: { method: 'REQUEST' },
    });
    expect(ical.sequence).toBe(0);
    expect(ical.attendees).toContain('mailto:gina@guest.example');
    uid = String(ical.uid);
    // Guests see the organizer's zone (Berlin, UTC+1 that day): 10:00.
    expect(invite!.parsed.text).toContain('10:00–10:30 (Europe/Berlin)');
    expect(invite!.parsed.text).toMatch(/You got this email because Ana \(ana@acme\.example\)/);
    expect(invite!.parsed.html).not.toMatch(/<img|<script/i);
    // Nothing of the hostile name or title became a header, a recipient or a body.
    expect(invite!.rcpt).toEqual(['gina@guest.example']);
    expect(invite!.parsed.headers.has('bcc')).toBe(false);
    const headerBlock = invite!.raw.split(/\r?\n\r?\n/)[0]!;
    expect(headerBlock).not.toMatch(/^Bcc:/im);
    // The name stays one quoted display name on the one To address.
    const toHeader = invite!.parsed.to as { value: Array<{ address: string; name: string }> };
    expect(toHeader.value).toEqual([
      { address: 'gina@guest.example', name: 'Gina Bcc: mallory@evil.example Injected body' },
    ]);
    expect(invite!.parsed.subject).toBe('Invitation: Budget Bcc: mallory@evil.example');
    expect(sink.messages.some(to('mallory@evil.example'))).toBe(false);
  });

  it('records an Accept from the signed link, after a click on the page it opens', async () => {
    const invite = sink.messages.find(to('gina@guest.example'))!;
    const link = /Accept: (\S+)/.exec(invite.parsed.text!)![1]!;
    const page = await fetch(link);
    expect(page.status).toBe(200);
    // Opening the link (as a mail scanner does) records nothing.
    let sent = await json(ana.request(`/api/bookings/${bookingId}/emails`));
    expect(sent.answers).toEqual([]);
    const url = new URL(link);
    const posted = await fetch(url.origin + url.pathname, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: url.searchParams.toString(),
    });
    expect(posted.status).toBe(200);
    sent = await json(ana.request(`/api/bookings/${bookingId}/emails`));
    expect(sent.answers).toMatchObject([{ email: 'gina@guest.example', answer: 'accepted' }]);
    expect(sent.sent).toMatchObject([
      { to: 'gina@guest.example', kind: 'invitation', state: 'sent' },
    ]);
    // A forged token is refused with a page that says what to do.
    const forged = await fetch(url.origin + url.pathname, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `answer=declined&t=${'x'.repeat(40)}`,
    });
    expect(forged.status).toBe(400);
    expect(await forged.text()).toMatch(/not valid or has expired/);
  });

  it('sends an update with the same UID and SEQUENCE 1 when it moves', async () => {
    const res = await ana.request(`/api/bookings/${bookingId}/reschedule`, {
      method: 'POST',
      json: { start: '2027-03-24T09:00:00.000Z', end: '2027-03-24T09:30:00.000Z' },
    });
    expect(res.status).toBe(200);
    const updates = (
      await sink.waitFor((ms) => ms.filter(to('gina@guest.example')).length >= 2)
    ).filter(to('gina@guest.example'));
    const ical = calendarOf(updates[1]!);
    expect(ical.method).toBe('REQUEST');
    expect(ical.uid).toBe(uid);
    expect(ical.sequence).toBe(1);
    expect(ical.start.toISOString()).toBe('2027-03-24T09:00:00.000Z');
  });

  it('sends CANCEL when it is cancelled, once however often it is cancelled', async () => {
    expect((await ana.request(`/api/bookings/${bookingId}`, { method: 'DELETE' })).status).toBe(
      200,
    );
    expect((await ana.request(`/api/bookings/${bookingId}`, { method: 'DELETE' })).status).toBe(
      200,
    );
    const all = (
      await sink.waitFor((ms) => ms.filter(to('gina@guest.example')).length >= 3)
    ).filter(to('gina@guest.example'));
    const ical = calendarOf(all[2]!);
    expect(ical.method).toBe('CANCEL');
    expect(ical.uid).toBe(uid);
    expect(ical.sequence).toBe(2);
    const sent = await json(ana.request(`/api/bookings/${bookingId}/emails`));
    expect(sent.sent.map((m: { kind: string }) => m.kind)).toEqual([
      'invitation',
      'update',
      'cancellation',
    ]);
  });
});

describe('a weekly series on the local calendar', () => {
  // Tuesdays at 11:00 Berlin; Berlin moves to summer time on Sunday 28 March 2027.
  const STARTS = [
    '2027-03-16T10:00:00.000Z',
    '2027-03-23T10:00:00.000Z',
    '2027-03-30T09:00:00.000Z',
    '2027-04-06T09:00:00.000Z',
  ];
  const hana = to('hana@guest.example');
  let bookingId: string;

  it("invites to all its meetings at the organizer's wall-clock time across the DST change", async () => {
    const res = await ana.request('/api/bookings', {
      method: 'POST',
      json: {
        title: 'Weekly review',
        start: STARTS[0],
        end: '2027-03-16T10:30:00.000Z',
        attendees: [{ email: 'hana@guest.example' }],
        recurrence: { frequency: 'weekly', interval: 1, count: 4 },
        idempotencyKey: 'email-test-series-1',
      },
    });
    expect(res.status).toBe(201);
    bookingId = (await json(res)).booking._id;
    const [invite] = (await sink.waitFor((ms) => ms.some(hana))).filter(hana);
    const ical = calendarOf(invite!);
    expect(ical.method).toBe('REQUEST');
    expect(ical.sequence).toBe(0);
    expect(meetingStarts(invite!)).toEqual(STARTS);
    expect(invite!.parsed.text).toContain('Repeats weekly, 4 times.');
  });

  it('sends an update without the meeting cancelled, same UID and SEQUENCE 1', async () => {
    const res = await ana.request(`/api/bookings/${bookingId}/occurrences`, {
      method: 'POST',
      json: { action: 'cancel', original: STARTS[2] },
    });
    expect(res.status).toBe(200);
    const messages = (await sink.waitFor((ms) => ms.filter(hana).length >= 2)).filter(hana);
    const [invite, update] = [calendarOf(messages[0]!), calendarOf(messages[1]!)];
    expect(update.method).toBe('REQUEST');
    expect(update.uid).toBe(invite.uid);
    expect(update.sequence).toBe(1);
    expect(meetingStarts(messages[1]!)).toEqual([STARTS[0], STARTS[1], STARTS[3]]);
    expect(messages[1]!.parsed.subject).toBe('Updated invitation: Weekly review');
  });

  it('sends updates with a moved meeting, then with the rest cancelled (UNTIL)', async () => {
    const change = (body: unknown) =>
      ana.request(`/api/bookings/${bookingId}/occurrences`, { method: 'POST', json: body });
    const moved = '2027-03-24T13:00:00.000Z';
    const move = await change({
      action: 'move',
      original: STARTS[1],
      start: moved,
      end: '2027-03-24T13:30:00.000Z',
    });
    expect(move.status).toBe(200);
    let messages = (await sink.waitFor((ms) => ms.filter(hana).length >= 3)).filter(hana);
    expect(calendarOf(messages[2]!).sequence).toBe(2);
    expect(meetingStarts(messages[2]!)).toEqual([STARTS[0], moved, STARTS[3]]);

    expect((await change({ action: 'cancel-rest', original: STARTS[3] })).status).toBe(200);
    messages = (await sink.waitFor((ms) => ms.filter(hana).length >= 4)).filter(hana);
    expect(calendarOf(messages[3]!).sequence).toBe(3);
    expect(meetingStarts(messages[3]!)).toEqual([STARTS[0], moved]);
  });
});
