// Email keeps the storage rule (core/store/query-rule.ts): with email on, booking, moving and
// cancelling a meeting (invitations queued and sent), answering one, and sending a poll read
// and write by exact `_id`, or touch a collection bounded by design (the queue of messages not
// yet sent, the senders' leases, Agenda's jobs).
import { assert, afterAll, beforeAll, expect, it } from 'vitest';
import { recordCommands, type CommandRecorder } from '../../support/command-recorder.ts';
import { Browser, json, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';
import { startSmtpSink, type SinkMessage, type SmtpSink } from '../../support/smtp-sink.ts';

let sink: SmtpSink;
let app: TestQuorum;
let ana: Browser;
let recorder: CommandRecorder;
const to = (address: string) => (m: SinkMessage) => m.rcpt.includes(address);

beforeAll(async () => {
  sink = await startSmtpSink();
  app = await startTestQuorum(
    { SMTP_URL: sink.url, QUORUM_MAIL_FROM: 'quorum@acme.example' },
    { monitorCommands: true },
  );
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
  recorder = recordCommands(app.quorum.store.connection.getClient(), {
    controlDb: app.quorum.store.control.name,
    probeComment: 'email-storage-rule-probe',
  });
});
afterAll(async () => {
  recorder?.stop();
  await app?.stop();
  await sink?.close();
});

function expectRuleKept(name: string): void {
  expect(recorder.commandsOf(name), `${name}: no command recorded`).toBeGreaterThan(0);
  if (recorder.breachesOf(name).length > 0) assert.fail(recorder.report(name));
}

it('books, moves, cancels, answers and polls by exact _id', async () => {
  let bookingId = '';
  await recorder.during('book with an emailed invitation', async () => {
    const res = await ana.request('/api/bookings', {
      method: 'POST',
      json: {
        title: 'Sync',
        start: '2027-03-23T09:00:00.000Z',
        end: '2027-03-23T09:30:00.000Z',
        attendees: [{ email: 'gina@guest.example' }],
        idempotencyKey: 'storage-rule-booking',
      },
    });
    bookingId = (await json(res)).booking._id;
    await sink.waitFor((ms) => ms.filter(to('gina@guest.example')).length === 1);
  });
  expectRuleKept('book with an emailed invitation');

  await recorder.during('answer an invitation', async () => {
    const link = /Accept: (\S+)/.exec(sink.messages[0]!.parsed.text!)![1]!;
    const url = new URL(link);
    const res = await fetch(url.origin + url.pathname, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: url.searchParams.toString(),
    });
    expect(res.status).toBe(200);
    expect((await ana.request(`/api/bookings/${bookingId}/emails`)).status).toBe(200);
  });
  expectRuleKept('answer an invitation');

  await recorder.during('move and cancel', async () => {
    await ana.request(`/api/bookings/${bookingId}/reschedule`, {
      method: 'POST',
      json: { start: '2027-03-24T09:00:00.000Z', end: '2027-03-24T09:30:00.000Z' },
    });
    await ana.request(`/api/bookings/${bookingId}`, { method: 'DELETE' });
    await sink.waitFor((ms) => ms.filter(to('gina@guest.example')).length === 3);
  });
  expectRuleKept('move and cancel');

  await recorder.during('send a poll', async () => {
    const res = await ana.request('/api/polls', {
      method: 'POST',
      json: {
        title: 'Planning',
        options: [
          { start: '2027-04-06T08:00:00.000Z', end: '2027-04-06T08:30:00.000Z' },
          { start: '2027-04-07T08:00:00.000Z', end: '2027-04-07T08:30:00.000Z' },
        ],
        participants: [{ email: 'hugo@guest.example' }],
      },
    });
    const pollId = (await json(res)).poll._id;
    await ana.request(`/api/polls/${pollId}/send`, { method: 'POST' });
    await sink.waitFor((ms) => ms.some(to('hugo@guest.example')));
  });
  expectRuleKept('send a poll');
});
