// A poll made in Teams with email on: each person gets their own voting link by email (the poll
// use case sends it), and the organizer's private card says who was emailed instead of listing
// links to forward.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json } from '../../support/quorum-app.ts';
import { startSmtpSink, type SmtpSink } from '../../support/smtp-sink.ts';
import { ANA, executeActions, message, teamsOrg, textOf, type TeamsOrg } from './teams-org.ts';

/** Ana's personal chat with the bot: where the organizer hears about the links. */
const PERSONAL = { id: 'a:1ana-personal-chat', type: 'personal' };

let org: TeamsOrg;
let sink: SmtpSink;

beforeAll(async () => {
  sink = await startSmtpSink();
  org = await teamsOrg({ SMTP_URL: sink.url, QUORUM_MAIL_FROM: 'quorum@acme.example' });
  org.connector.members.set(PERSONAL.id, [ANA]);
});
afterAll(async () => {
  await org?.stop();
  await sink?.close();
});

describe('a poll with email on', () => {
  it('emails each person their link, and tells the organizer who was emailed', async () => {
    const before = org.connector.sent.length;
    const res = await org.send(
      message(
        org,
        ANA,
        'poll 30m with raj@acme.example bob@guest.example next week "Offsite"',
        [],
        PERSONAL,
      ),
    );
    expect(res.status, await res.clone().text()).toBe(200);
    const cards = org.connector.sent
      .slice(before)
      .filter((s) => s.method === 'POST' && s.conversationId === PERSONAL.id)
      .map((s) => (s.body.attachments as Array<{ content: Record<string, unknown> }>)[0]!.content);
    const vote = executeActions(cards[0]!).find((a) => a.verb === 'quorum.vote')!;
    const private_ = cards.slice(1).map(textOf).join('\n');
    expect(private_).toContain(
      'Emailed each their own voting link for **Offsite**: raj@acme.example, bob@guest.example',
    );
    expect(private_).not.toContain('[vote](');
    const subject = 'Which times work for you? Offsite';
    const mails = await sink.waitFor(
      (ms) => ms.filter((m) => m.parsed.subject === subject).length === 2,
    );
    expect(
      mails
        .filter((m) => m.parsed.subject === subject)
        .flatMap((m) => m.rcpt)
        .sort(),
    ).toEqual(['bob@guest.example', 'raj@acme.example']);
    const listed = await json(org.ana.request(`/api/polls/${String(vote.data.poll)}/emails`));
    expect(listed.sent).toHaveLength(2);
  });
});
