// Reminders and summaries by email, for those who asked: a reminder before a meeting goes to a
// colleague whose setting asks for it (never to a guest); after a meeting, its summary goes to
// participants who opted in, to guests only when the organizer chose so, and never with the
// transcript's text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  json,
  startTestQuorum,
  summaryPublished,
  type TestQuorum,
} from '../../support/quorum-app.ts';
import { startSmtpSink, type SinkMessage, type SmtpSink } from '../../support/smtp-sink.ts';
import { TEAMS_VTT, organization, waitForStatus, type Org } from '../meetings/people.ts';

let sink: SmtpSink;
let app: TestQuorum;
let acme: Org;
const RAJ = { name: 'Raj Patel', email: 'raj@acme.example' };
const to = (address: string) => (m: SinkMessage) => m.rcpt.includes(address);
const OFF = { reminderMinutes: null, summaries: false, summariesToGuests: false };

async function settings(who: string, body: typeof OFF | Record<string, unknown>) {
  const browser = who === 'ana' ? acme.admin : acme.members[RAJ.email]!;
  const res = await browser.request('/api/me/email-settings', { method: 'PUT', json: body });
  return res;
}

beforeAll(async () => {
  sink = await startSmtpSink();
  app = await startTestQuorum({ SMTP_URL: sink.url, QUORUM_MAIL_FROM: 'quorum@acme.example' });
  acme = await organization(app, 'Acme', { name: 'Ana Lopez', email: 'ana@acme.example' }, [RAJ]);
  const allDay = {
    timeZone: 'UTC',
    workingHours: [
      { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '00:00', end: '24:00' },
    ],
    defaultLinkType: 'none',
  };
  await acme.admin.request('/api/me/settings', { method: 'PUT', json: allDay });
  await acme.members[RAJ.email]!.request('/api/me/settings', {
    method: 'PUT',
    json: { ...allDay, timeZone: 'Asia/Kolkata' },
  });
});
afterAll(async () => {
  await app?.stop();
  await sink?.close();
});

describe('email settings', () => {
  it('are off by default, and refuse a bad value naming the field', async () => {
    expect(await json(acme.admin.request('/api/me/email-settings'))).toEqual({
      emailOn: true,
      ...OFF,
    });
    const bad = await settings('ana', { ...OFF, reminderMinutes: -5 });
    expect(bad.status).toBe(400);
    expect((await json(bad)).message).toMatch(/^reminderMinutes: /);
  });
});

describe('reminders', () => {
  it('remind a colleague who asked, in their zone, and no guest', async () => {
    expect((await settings('raj', { ...OFF, reminderMinutes: 60 })).status).toBe(200);
    const start = new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 30 * 60_000);
    const booked = await acme.admin.request('/api/bookings', {
      method: 'POST',
      json: {
        title: 'Standup',
        start: start.toISOString(),
        end: new Date(start.getTime() + 15 * 60_000).toISOString(),
        attendees: [{ email: RAJ.email }, { email: 'gina@guest.example' }],
        idempotencyKey: 'reminder-test-booking',
      },
    });
    expect(booked.status).toBe(201);
    // The meeting starts within the hour Raj asked for: his reminder goes at once.
    const [reminder] = (
      await sink.waitFor((ms) =>
        ms.some((m) => to(RAJ.email)(m) && m.parsed.subject === 'Reminder: Standup'),
      )
    ).filter((m) => to(RAJ.email)(m) && m.parsed.subject === 'Reminder: Standup');
    expect(reminder!.parsed.text).toContain('(Asia/Kolkata)');
    expect(reminder!.parsed.text).toMatch(/you asked for reminders/);
    await sink.waitFor((ms) => ms.some(to('gina@guest.example')));
    expect(sink.messages.filter((m) => m.parsed.subject?.startsWith('Reminder:'))).toHaveLength(1);
  });
});

describe('summaries', () => {
  async function summarizedMeeting(title: string) {
    const created = await acme.admin.request('/api/meetings', {
      method: 'POST',
      json: {
        title,
        startsAt: '2027-03-22T10:00:00Z',
        endsAt: '2027-03-22T11:00:00Z',
        participants: [RAJ, { email: 'gina@guest.example', name: 'Gina' }],
      },
    });
    const { id } = await json(created);
    const sent = await acme.admin.request(`/api/meetings/${id}/captions`, {
      method: 'POST',
      headers: { 'content-type': 'text/vtt' },
      body: TEAMS_VTT,
    });
    expect(sent.status).toBe(202);
    await waitForStatus(acme.admin, id, ['ready']);
    await summaryPublished(app, id);
    await app.quorum.services.delivery.runOnce('email');
    return id as string;
  }

  it('go to colleagues who opted in, never with the transcript, and to guests only by the organizer’s choice', async () => {
    expect((await settings('raj', { ...OFF, summaries: true })).status).toBe(200);
    const id = await summarizedMeeting('Quarterly planning');
    const [mail] = (
      await sink.waitFor((ms) => ms.some((m) => m.parsed.subject === 'Summary: Quarterly planning'))
    ).filter((m) => m.parsed.subject === 'Summary: Quarterly planning');
    expect(mail!.rcpt).toEqual([RAJ.email]);
    // Ana did not opt in; Gina is a guest and Ana did not choose to share with guests.
    expect(
      sink.messages.filter((m) => m.parsed.subject === 'Summary: Quarterly planning'),
    ).toHaveLength(1);
    // Every transcript line that is not itself part of the summary stays out of the email.
    const meeting = await json(acme.admin.request(`/api/meetings/${id}`));
    const summarized = JSON.stringify([meeting.summary, meeting.actionItems]);
    const unsummarized = (meeting.transcript as Array<{ text: string }>)
      .map((s) => s.text)
      .filter((text) => !summarized.includes(text));
    expect(unsummarized.length).toBeGreaterThan(0);
    expect(mail!.parsed.text).toContain(meeting.summary.summary[0]);
    for (const text of unsummarized) expect(mail!.parsed.text).not.toContain(text);

    expect((await settings('ana', { ...OFF, summariesToGuests: true })).status).toBe(200);
    await summarizedMeeting('Vendor review');
    const shared = await sink.waitFor(
      (ms) => ms.filter((m) => m.parsed.subject === 'Summary: Vendor review').length === 2,
    );
    const recipients = shared
      .filter((m) => m.parsed.subject === 'Summary: Vendor review')
      .flatMap((m) => m.rcpt)
      .sort();
    expect(recipients).toEqual(['gina@guest.example', RAJ.email]);
    const guestMail = shared.find(
      (m) => m.parsed.subject === 'Summary: Vendor review' && to('gina@guest.example')(m),
    )!;
    expect(guestMail.parsed.text).toMatch(/the organizer \(ana@acme\.example\) chose to share/);
  });
});
