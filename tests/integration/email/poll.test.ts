// Polls by email: "send to guests" gives each participant their own voting link in one message,
// in their zone; once everyone answered, the outcome follows with the invitation (or the news
// that no time worked). With email off, the answer lists the links to share by hand.
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, json, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';
import { startSmtpSink, type SinkMessage, type SmtpSink } from '../../support/smtp-sink.ts';

let sink: SmtpSink;
let app: TestQuorum;
const to = (address: string) => (m: SinkMessage) => m.rcpt.includes(address);
const OPTIONS = [
  { start: '2027-04-06T08:00:00.000Z', end: '2027-04-06T08:30:00.000Z' },
  { start: '2027-04-07T08:00:00.000Z', end: '2027-04-07T08:30:00.000Z' },
];

async function organizer(url: string): Promise<Browser> {
  const ana = new Browser(url);
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
  return ana;
}

async function createPoll(ana: Browser, title: string) {
  const res = await ana.request('/api/polls', {
    method: 'POST',
    json: {
      title,
      options: OPTIONS,
      participants: [
        { email: 'gina@guest.example', name: 'Gina' },
        { email: 'hugo@guest.example', name: 'Hugo' },
      ],
    },
  });
  expect(res.status).toBe(201);
  return (await json(res)).poll._id as string;
}

async function vote(link: string, body: unknown) {
  const url = new URL(link);
  const pollId = url.pathname.split('/').pop();
  const res = await fetch(`${url.origin}/api/public/polls/${pollId}/votes${url.search}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
}

beforeAll(async () => {
  sink = await startSmtpSink();
  app = await startTestQuorum({ SMTP_URL: sink.url, QUORUM_MAIL_FROM: 'quorum@acme.example' });
});
afterAll(async () => {
  await app?.stop();
  await sink?.close();
});

describe('with email on', () => {
  it('sends each guest their link, then the booked time with its invitation', async () => {
    const ana = await organizer(app.url);
    const pollId = await createPoll(ana, 'Planning');
    const sent = await json(ana.request(`/api/polls/${pollId}/send`, { method: 'POST' }));
    expect(sent).toEqual({ emailOn: true, sentTo: ['gina@guest.example', 'hugo@guest.example'] });
    // Sending again queues nothing new.
    await ana.request(`/api/polls/${pollId}/send`, { method: 'POST' });
    await sink.waitFor(
      (ms) => ms.some(to('gina@guest.example')) && ms.some(to('hugo@guest.example')),
    );
    const links = ['gina@guest.example', 'hugo@guest.example'].map((who) => {
      const message = sink.messages.find(to(who))!;
      expect(message.parsed.subject).toBe('Which times work for you? Planning');
      expect(message.parsed.text).toContain('Tuesday 6 April 2027, 08:00–08:30 (UTC)');
      return /Choose your times: (\S+)/.exec(message.parsed.text!)![1]!;
    });
    expect(links[0]).not.toBe(links[1]);
    await vote(links[0]!, { yes: [1] });
    await vote(links[1]!, { yes: [0, 1] });
    const outcomes = await sink.waitFor(
      (ms) => ms.filter((m) => m.parsed.subject === 'Booked: Planning').length === 2,
    );
    const gina = outcomes.filter(to('gina@guest.example'));
    // Two messages to each guest in all: the poll, and the outcome carrying the invitation.
    expect(gina.map((m) => m.parsed.subject)).toEqual([
      'Which times work for you? Planning',
      'Booked: Planning',
    ]);
    const part = gina[1]!.parsed.attachments.find((a) => a.contentType === 'text/calendar')!;
    const vevent = new ICAL.Component(
      ICAL.parse(part.content.toString('utf8')),
    ).getFirstSubcomponent('vevent')!;
    expect((vevent.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().toISOString()).toBe(
      OPTIONS[1]!.start,
    );
    const listed = await json(ana.request(`/api/polls/${pollId}/emails`));
    expect(listed.sent.map((m: { kind: string }) => m.kind).sort()).toEqual([
      'poll-invitation',
      'poll-invitation',
      'poll-outcome',
      'poll-outcome',
    ]);
  });
});

describe('creating a poll', () => {
  it('emails each guest their link once, and says so in the answer', async () => {
    const ana = new Browser(app.url);
    await ana.request('/auth/signin', {
      method: 'POST',
      json: { email: 'ana@acme.example', password: 'copper-meadow-signal-58' },
    });
    // The web route goes through the poll use case (assistant.poll), as every surface does.
    const res = await ana.request('/api/polls', {
      method: 'POST',
      json: {
        title: 'Kickoff',
        options: OPTIONS,
        participants: [
          { email: 'gina@guest.example', name: 'Gina' },
          { email: 'hugo@guest.example', name: 'Hugo' },
        ],
      },
    });
    expect(res.status).toBe(201);
    const created = await json(res);
    expect(created.sent).toEqual({
      emailOn: true,
      emailed: ['gina@guest.example', 'hugo@guest.example'],
      shareByHand: [],
    });
    const subject = 'Which times work for you? Kickoff';
    await sink.waitFor((ms) => ms.filter((m) => m.parsed.subject === subject).length === 2);
    // "Send to guests" afterwards queues nothing new: one message per guest.
    await ana.request(`/api/polls/${created.poll._id}/send`, { method: 'POST' });
    const listed = await json(ana.request(`/api/polls/${created.poll._id}/emails`));
    expect(listed.sent.map((m: { to: string }) => m.to).sort()).toEqual([
      'gina@guest.example',
      'hugo@guest.example',
    ]);
    const kickoff = sink.messages.filter((m) => m.parsed.subject === subject);
    expect(
      kickoff
        .map((m) => m.rcpt)
        .flat()
        .sort(),
    ).toEqual(['gina@guest.example', 'hugo@guest.example']);
  });

  it('does not email the links Outlook puts in the organizer’s own email', async () => {
    const ana = new Browser(app.url);
    await ana.request('/auth/signin', {
      method: 'POST',
      json: { email: 'ana@acme.example', password: 'copper-meadow-signal-58' },
    });
    const created = await json(
      ana.request('/api/polls', {
        method: 'POST',
        json: {
          title: 'In my email',
          options: OPTIONS,
          participants: [{ email: 'gina@guest.example' }],
          email: false,
        },
      }),
    );
    expect(created.sent).toEqual({
      emailOn: true,
      emailed: [],
      shareByHand: [{ email: 'gina@guest.example', url: created.links[0].url }],
    });
    const listed = await json(ana.request(`/api/polls/${created.poll._id}/emails`));
    expect(listed.sent).toEqual([]);
  });
});

describe('a poll where no time works', () => {
  it('tells those it was sent to', async () => {
    const ana = new Browser(app.url);
    await ana.request('/auth/signin', {
      method: 'POST',
      json: { email: 'ana@acme.example', password: 'copper-meadow-signal-58' },
    });
    const pollId = await createPoll(ana, 'Offsite');
    await ana.request(`/api/polls/${pollId}/send`, { method: 'POST' });
    const invited = await sink.waitFor(
      (ms) =>
        ms.filter((m) => m.parsed.subject === 'Which times work for you? Offsite').length === 2,
    );
    for (const m of invited.filter(
      (x) => x.parsed.subject === 'Which times work for you? Offsite',
    )) {
      await vote(/Choose your times: (\S+)/.exec(m.parsed.text!)![1]!, { yes: [], noneWork: true });
    }
    const outcome = await sink.waitFor(
      (ms) => ms.filter((m) => m.parsed.subject === 'No time worked: Offsite').length === 2,
    );
    const last = outcome.find((m) => m.parsed.subject === 'No time worked: Offsite')!;
    expect(last.parsed.attachments.some((a) => a.contentType === 'text/calendar')).toBe(false);
  });
});

describe('with email off', () => {
  it('says which links to share by hand', async () => {
    const off = await startTestQuorum();
    try {
      const ana = await organizer(off.url);
      const made = await ana.request('/api/polls', {
        method: 'POST',
        json: {
          title: 'Offline',
          options: OPTIONS,
          participants: [{ email: 'gina@guest.example' }, { email: 'hugo@guest.example' }],
        },
      });
      const created = await json(made);
      const pollId = created.poll._id as string;
      // Creating says which links to share by hand, as "send to guests" does.
      expect(created.sent).toEqual({ emailOn: false, emailed: [], shareByHand: created.links });
      const res = await json(ana.request(`/api/polls/${pollId}/send`, { method: 'POST' }));
      expect(res).toMatchObject({
        emailOn: false,
        message: expect.stringMatching(/share each link with its person by hand/),
        shareByHand: [
          { email: 'gina@guest.example', url: expect.stringContaining(`/polls/${pollId}?t=`) },
          { email: 'hugo@guest.example', url: expect.stringContaining(`/polls/${pollId}?t=`) },
        ],
      });
    } finally {
      await off.stop();
    }
  });
});
