// Teams poll cards stay current for everyone whichever way people vote: a guest voting through
// their personal link (the route the web poll page posts to) updates the card Quorum posted in
// the chat, in place, through the Bot Connector; when the votes book the meeting the card shows
// its final state and the chat gets the confirmation once. A vote cast on the card itself is not
// updated a second time by the listener, and a Bot Connector that refuses the update never
// costs the guest their vote.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json } from '../../support/quorum-app.ts';
import {
  ANA,
  CHAT,
  RAJ,
  executeActions,
  invoke,
  message,
  teamsOrg,
  textOf,
  type TeamsOrg,
} from './teams-org.ts';

/** Ana's personal chat with the bot: where the organizer gets the guests' links. */
const PERSONAL = { id: 'a:1ana-personal-chat', type: 'personal' };

let org: TeamsOrg;

beforeAll(async () => {
  org = await teamsOrg();
  org.connector.members.set(PERSONAL.id, [ANA]);
});
afterAll(async () => {
  if (process.env.SHOW_LOGS) console.log(org.app.logs().slice(-6000));
  await org?.stop();
});

interface Posted {
  /** The poll card's activity id and the card. */
  id: string;
  card: Record<string, unknown>;
  pollId: string;
  /** Each participant's personal link, by email (from the organizer's private card). */
  links: Map<string, URL>;
}

/** Ana starts a poll in `conversation`; returns the card's message and any links Quorum gave. */
async function startPoll(text: string, conversation: { id: string; type?: string }) {
  const before = org.connector.sent.length;
  const mentions = text.includes('<at>Raj Patel</at>') ? [RAJ] : [];
  const res = await org.send(message(org, ANA, text, mentions, conversation));
  expect(res.status, await res.clone().text()).toBe(200);
  const posted = org.connector.sent
    .slice(before)
    .filter((s) => s.method === 'POST' && s.conversationId === conversation.id);
  const cards = posted.map(
    (s) => (s.body.attachments as Array<{ content: Record<string, unknown> }>)[0]!.content,
  );
  const card = cards[0]!;
  expect(textOf(card)).toContain('Poll:');
  const vote = executeActions(card).find((a) => a.verb === 'quorum.vote');
  expect(vote).toBeDefined();
  const links = new Map<string, URL>();
  for (const extra of cards.slice(1)) {
    for (const m of textOf(extra).matchAll(/([^\s"]+@[^\s:"]+): \[vote\]\(([^)\s]+)\)/g)) {
      links.set(m[1]!, new URL(m[2]!));
    }
  }
  return { id: posted[0]!.id, card, pollId: String(vote!.data.poll), links } satisfies Posted;
}

/** A guest's vote through their link, exactly as the web poll page sends it. */
async function voteByLink(link: URL, yes: number[]) {
  const pollId = link.pathname.split('/').at(-1)!;
  return fetch(
    `${org.app.url}/api/public/polls/${pollId}/votes?t=${encodeURIComponent(link.searchParams.get('t')!)}`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ yes }),
    },
  );
}

/** What Quorum sent about one activity (PUT replaces it) since `from`. */
const updatesOf = (activityId: string, from = 0) =>
  org.connector.sent.slice(from).filter((s) => s.method === 'PUT' && s.activityId === activityId);

const confirmationsIn = (conversationId: string, title: string) =>
  org.connector.sent.filter(
    (s) =>
      s.method === 'POST' &&
      s.conversationId === conversationId &&
      textOf(s.body).includes(`Booked **${title}**`),
  );

describe('votes cast outside Teams', () => {
  let poll: Posted;

  it('update the poll card in its chat in place, showing the vote', async () => {
    poll = await startPoll(
      'poll 30m with raj@acme.example bob@guest.example next week "Roadmap"',
      PERSONAL,
    );
    expect([...poll.links.keys()].sort()).toEqual(['bob@guest.example', 'raj@acme.example']);
    expect(updatesOf(poll.id)).toHaveLength(0);

    const before = org.connector.sent.length;
    const res = await voteByLink(poll.links.get('bob@guest.example')!, [0]);
    expect(res.status, await res.clone().text()).toBe(200);
    expect((await json(res)).status).toBe('open');

    const updates = updatesOf(poll.id, before);
    expect(updates).toHaveLength(1);
    const update = updates[0]!;
    expect(update.conversationId).toBe(PERSONAL.id);
    expect(update.authorization).toMatch(/^Bearer eyJ/);
    const attachments = update.body.attachments as Array<{
      contentType: string;
      content: Record<string, unknown>;
    }>;
    expect(attachments[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const shown = textOf(attachments[0]!.content);
    expect(shown).toContain('Poll: Roadmap');
    expect(shown).toContain('1 yes: bob@guest.example');
    // Still open: the buttons stay, and the card says who has not voted yet.
    expect(executeActions(attachments[0]!.content).some((a) => a.verb === 'quorum.vote')).toBe(
      true,
    );
    expect(shown).toContain('Waiting for raj@acme.example');
    // Nothing else was posted: no confirmation before the poll has ended.
    expect(org.connector.sent.slice(before).filter((s) => s.method === 'POST')).toHaveLength(0);
  });

  it('book the meeting: the card shows its final state and the chat is told once', async () => {
    const before = org.connector.sent.length;
    const res = await voteByLink(poll.links.get('raj@acme.example')!, [0]);
    expect(res.status, await res.clone().text()).toBe(200);
    const result = await json(res);
    expect(result.status).toBe('booked');
    expect(result.bookingId).toEqual(expect.any(String));

    const final = updatesOf(poll.id, before).at(-1);
    const finalCard = (final?.body.attachments as Array<{ content: unknown }>)[0]!.content;
    expect(textOf(finalCard)).toContain('the meeting is booked');
    expect(textOf(finalCard)).toContain('2 yes: ');
    expect(executeActions(finalCard)).toHaveLength(0);
    expect(confirmationsIn(PERSONAL.id, 'Roadmap')).toHaveLength(1);

    // A late vote is refused (the poll is closed) and announces nothing again.
    const late = await voteByLink(poll.links.get('bob@guest.example')!, [1]);
    expect(late.status).toBe(409);
    expect(confirmationsIn(PERSONAL.id, 'Roadmap')).toHaveLength(1);

    // The organizer's view agrees with the card.
    const seen = await json(org.ana.request(`/api/polls/${poll.pollId}`));
    expect((seen.poll as { status: string }).status).toBe('booked');
    expect((seen.poll as { bookingId: string }).bookingId).toBe(result.bookingId);
  });

  it('that race to be the last book once and announce once', async () => {
    const other = await startPoll(
      'poll 30m with raj@acme.example bob@guest.example next week "Sync"',
      PERSONAL,
    );
    const before = org.connector.sent.length;
    const results = await Promise.all([
      voteByLink(other.links.get('bob@guest.example')!, [0]),
      voteByLink(other.links.get('raj@acme.example')!, [0]),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    const seen = await json(org.ana.request(`/api/polls/${other.pollId}`));
    expect((seen.poll as { status: string }).status).toBe('booked');
    expect(confirmationsIn(PERSONAL.id, 'Sync')).toHaveLength(1);
    // Neither racer called the poll unbookable.
    expect(
      org.connector.sent.slice(before).filter((s) => textOf(s.body).includes('no time works')),
    ).toHaveLength(0);
  });

  it('that find no common time say so on the card and in the chat, once', async () => {
    const other = await startPoll(
      'poll 30m with raj@acme.example bob@guest.example next week "Kickoff"',
      PERSONAL,
    );
    const options = executeActions(other.card).filter((a) => a.verb === 'quorum.vote');
    expect(options.length).toBeGreaterThan(1);
    const before = org.connector.sent.length;
    expect((await voteByLink(other.links.get('bob@guest.example')!, [0])).status).toBe(200);
    const res = await voteByLink(other.links.get('raj@acme.example')!, [1]);
    expect(res.status).toBe(200);
    expect((await json(res)).status).toBe('no-common-time');

    const final = updatesOf(other.id, before).at(-1);
    expect(textOf(final?.body)).toContain('no time works for everyone required');
    const notes = org.connector.sent
      .slice(before)
      .filter(
        (s) =>
          s.method === 'POST' &&
          s.conversationId === PERSONAL.id &&
          textOf(s.body).includes('no time works for all the required people'),
      );
    expect(notes).toHaveLength(1);
    expect(textOf(notes[0]!.body)).toContain('Kickoff');
    expect(confirmationsIn(PERSONAL.id, 'Kickoff')).toHaveLength(0);
  });

  it('still count when the Bot Connector refuses the update', async () => {
    const other = await startPoll(
      'poll 30m with raj@acme.example bob@guest.example next week "Retro"',
      PERSONAL,
    );
    org.connector.removedFrom.add(PERSONAL.id);
    try {
      const before = org.connector.sent.length;
      const res = await voteByLink(other.links.get('bob@guest.example')!, [0]);
      expect(res.status, await res.clone().text()).toBe(200);
      expect(org.connector.sent.slice(before)).toHaveLength(0);
      const seen = await json(org.ana.request(`/api/polls/${other.pollId}`));
      expect(seen.votes).toEqual([{ email: 'bob@guest.example', yes: [0] }]);
      expect(org.app.logs()).toContain('a poll update could not be delivered');
    } finally {
      org.connector.removedFrom.delete(PERSONAL.id);
    }
  });
});

describe('votes cast on the Teams card', () => {
  it('replace the card through their own answer only, with no second update from the listener', async () => {
    const poll = await startPoll(
      'poll 30m with <at>Raj Patel</at> bob@guest.example next week "Planning"',
      { id: CHAT },
    );
    const first = executeActions(poll.card).find((a) => a.verb === 'quorum.vote')!;

    const before = org.connector.sent.length;
    const answer = await json(org.send(invoke(org, RAJ, first, poll.id)));
    expect(textOf(answer.value)).toContain('1 yes: Raj Patel');
    // One update for everyone (the invoke's), none from the poll listener.
    const updates = updatesOf(poll.id, before);
    expect(updates).toHaveLength(1);
    expect(textOf(updates[0]!.body)).toContain('1 yes: Raj Patel');
    expect(org.connector.sent.slice(before).filter((s) => s.method === 'POST')).toHaveLength(0);
  });
});

describe('guest links of a poll made in a group chat', () => {
  it('go to the organizer in their 1:1 chat with Quorum, never into the group', async () => {
    const before = org.connector.sent.length;
    const res = await org.send(
      message(org, ANA, 'poll 30m with <at>Raj Patel</at> bob@guest.example next week "Retro"', [
        RAJ,
      ]),
    );
    expect(res.status).toBe(200);
    const posted = org.connector.sent.slice(before).filter((s) => s.method === 'POST');
    const inGroup = posted.filter((s) => s.conversationId === CHAT).map((s) => textOf(s.body));
    expect(inGroup.join()).toContain('Poll: Retro');
    expect(inGroup.join()).not.toContain('[vote](');
    const personalChat = org.connector.personalChats.get(ANA.id);
    expect(personalChat).toBeDefined();
    const inPrivate = posted.filter((s) => s.conversationId === personalChat);
    expect(inPrivate).toHaveLength(1);
    expect(textOf(inPrivate[0]!.body)).toMatch(/bob@guest\.example: \[vote\]\(http[^)]+\/polls\//);
  });

  it('are not shown to the group when Teams will not open a private chat; the organizer is told how', async () => {
    org.connector.noPersonalChat.add(ANA.id);
    try {
      const before = org.connector.sent.length;
      const res = await org.send(
        message(org, ANA, 'poll 30m with <at>Raj Patel</at> bob@guest.example next week "Demo"', [
          RAJ,
        ]),
      );
      expect(res.status).toBe(200);
      const inGroup = org.connector.sent
        .slice(before)
        .filter((s) => s.method === 'POST' && s.conversationId === CHAT)
        .map((s) => textOf(s.body));
      expect(inGroup).toHaveLength(2);
      expect(inGroup.join()).not.toContain('[vote](');
      expect(inGroup[1]).toContain('Add Quorum as a personal app');
    } finally {
      org.connector.noPersonalChat.delete(ANA.id);
    }
  });
});
