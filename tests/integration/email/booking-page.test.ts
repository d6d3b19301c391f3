// A guest's booking on a booking page, by email: the guest's confirmation carries the iTIP
// invitation and their signed link to cancel or pick another time; the owner is told of the
// booking and of the guest's cancellation.
import ICAL from 'ical.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Browser, json, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';
import { startSmtpSink, type SinkMessage, type SmtpSink } from '../../support/smtp-sink.ts';

let sink: SmtpSink;
let app: TestQuorum;
let ana: Browser;
const to = (address: string) => (m: SinkMessage) => m.rcpt.includes(address);

function methodOf(message: SinkMessage) {
  const part = message.parsed.attachments.find((a) => a.contentType === 'text/calendar');
  if (!part) return undefined;
  return new ICAL.Component(ICAL.parse(part.content.toString('utf8'))).getFirstPropertyValue(
    'method',
  );
}

beforeAll(async () => {
  sink = await startSmtpSink();
  app = await startTestQuorum({ SMTP_URL: sink.url, QUORUM_MAIL_FROM: 'quorum@acme.example' });
  ana = new Browser(app.url);
  const signup = await ana.request('/auth/signup', {
    method: 'POST',
    json: {
      organization: 'Acme',
      name: 'Ana',
      email: 'ana@acme.example',
      password: 'copper-meadow-signal-58',
    },
  });
  expect(signup.status).toBe(201);
  const everyDay = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  await ana.request('/api/me/settings', {
    method: 'PUT',
    json: {
      timeZone: 'Asia/Tokyo',
      workingHours: [{ days: everyDay, start: '00:00', end: '24:00' }],
      defaultLinkType: 'none',
    },
  });
  const page = await ana.request('/api/booking-pages', {
    method: 'POST',
    json: { slug: 'ana-intro', title: 'Intro', durationMinutes: 30, minNoticeMinutes: 60 },
  });
  expect(page.status).toBe(201);
});
afterAll(async () => {
  await app?.stop();
  await sink?.close();
});

it('confirms to the guest with the invitation, tells the owner, and lets the guest cancel', async () => {
  const view = await json(fetch(`${app.url}/api/public/booking-pages/ana-intro`));
  const slot = view.slots[0];
  const booked = await fetch(`${app.url}/api/public/booking-pages/ana-intro/bookings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Gina', email: 'gina@guest.example', start: slot.start }),
  });
  expect(booked.status).toBe(201);
  await sink.waitFor((ms) => ms.some(to('gina@guest.example')) && ms.some(to('ana@acme.example')));
  const guestMail = sink.messages.filter(to('gina@guest.example'));
  // One message to the guest: the confirmation is the invitation.
  expect(guestMail).toHaveLength(1);
  expect(guestMail[0]!.parsed.subject).toBe('Booked: Intro with Gina');
  expect(methodOf(guestMail[0]!)).toBe('REQUEST');
  const manage = /Cancel or pick another time: (\S+)/.exec(guestMail[0]!.parsed.text!)![1]!;
  const notice = sink.messages.find(to('ana@acme.example'))!;
  expect(notice.parsed.subject).toBe('New booking: Intro with Gina');
  // The owner reads the time in their own zone.
  expect(notice.parsed.text).toContain('(Asia/Tokyo)');
  expect(notice.parsed.text).toContain('Gina (gina@guest.example) booked');

  // Opening the link changes nothing; the button cancels.
  expect((await fetch(manage)).status).toBe(200);
  const url = new URL(manage);
  const cancel = await fetch(url.origin + url.pathname, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `action=cancel&t=${url.searchParams.get('t')}`,
  });
  expect(cancel.status).toBe(200);
  await sink.waitFor(
    (ms) =>
      ms.filter(to('gina@guest.example')).length === 2 &&
      ms.filter(to('ana@acme.example')).length === 2,
  );
  expect(methodOf(sink.messages.filter(to('gina@guest.example'))[1]!)).toBe('CANCEL');
  expect(sink.messages.filter(to('ana@acme.example'))[1]!.parsed.subject).toBe(
    'Cancelled by the guest: Intro with Gina',
  );
  // A forged link cancels nothing.
  const forged = await fetch(url.origin + url.pathname, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `action=cancel&t=${'x'.repeat(40)}`,
  });
  expect(forged.status).toBe(400);
});
