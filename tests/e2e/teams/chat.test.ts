// The Teams bot through the real server, with activities sent as the Bot Connector sends them
// and replies going to a local Bot Connector at the activities' serviceUrl: trust (tokens),
// help, finding times with @mentions, booking from the card in place, cancelling, "next", proposals
// posted before the upgrade, people Quorum does not know yet (connect), text it cannot read, and polls.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOOKING_TITLES, Booking } from '../../../core/scheduling/booking/booking-model.ts';
import { sealedTitles } from '../../../core/privacy/sealed-titles.ts';
import {
  teamsProposalsStep,
  TEAMS_PROPOSALS_COLLECTION,
} from '../../../bots/teams/store/migrations.ts';
import { User } from '../../../core/identity/models.ts';
import { tenantDatabaseName, verifiedTenantContext } from '../../../core/store/tenant-context.ts';
import { Browser, json } from '../../support/quorum-app.ts';
import {
  ANA,
  CHAT,
  MEI,
  MS_TENANT,
  PASSWORD,
  RAJ,
  executeActions,
  invoke,
  message,
  teamsOrg,
  textOf,
  type TeamsOrg,
} from './teams-org.ts';

let org: TeamsOrg;

beforeAll(async () => {
  org = await teamsOrg();
});
afterAll(async () => {
  if (process.env.SHOW_LOGS) console.log(org.app.logs().slice(-6000));
  await org?.stop();
});

/** Sends a message and returns the card Quorum posted back into the chat. */
async function ask(
  who: typeof ANA,
  text: string,
  mentions: (typeof ANA)[] = [],
  conversation = { id: CHAT },
) {
  const before = org.connector.sent.length;
  const res = await org.send(message(org, who, text, mentions, conversation));
  expect(res.status, await res.clone().text()).toBe(200);
  const sent = org.connector.sent.slice(before).filter((s) => s.method === 'POST');
  expect(sent.length).toBeGreaterThan(0);
  const first = sent[0]!;
  const attachments = first.body.attachments as Array<{
    contentType: string;
    content: Record<string, unknown>;
  }>;
  expect(attachments[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
  return { sent: first, card: attachments[0]!.content, all: sent };
}

/** Bookings' titles are stored sealed; tests open them as the booking service does. */
const bookingTitles = () => sealedTitles(org.app.quorum.services.envelope, BOOKING_TITLES);

describe('trust', () => {
  it('refuses an activity without a token, with a token from another key, or for another bot', async () => {
    const activity = message(org, ANA, 'help');
    expect((await org.send(activity, null)).status).toBe(401);
    expect((await org.send(activity, await org.connector.sign({ key: 'stranger' }))).status).toBe(
      401,
    );
    expect(
      (await org.send(activity, await org.connector.sign({ audience: 'another-bot' }))).status,
    ).toBe(401);
    // A token for another service URL than the activity's: replies must not go elsewhere.
    expect(
      (await org.send(activity, await org.connector.sign({ serviceUrl: 'https://127.0.0.1:9/' })))
        .status,
    ).toBe(401);
    expect(org.connector.sent).toHaveLength(0);
  });

  it('accepts an activity signed by the Bot Connector and answers at its serviceUrl with its own token', async () => {
    const { sent, card } = await ask(ANA, 'help');
    expect(sent.conversationId).toBe(CHAT);
    const shown = textOf(card);
    for (const word of [
      'find',
      'book',
      'poll',
      'follow-up',
      'agenda',
      'summary',
      'connect',
      'help',
    ]) {
      expect(shown).toContain(word);
    }
    expect(card.version).toBe('1.5');
    // The reply carried a token Quorum got by the client-credentials grant for the Bot Connector.
    expect(sent.authorization).toMatch(/^Bearer eyJ/);
    const grant = org.connector.tokenRequests.find((r) =>
      r.get('scope')?.includes('api.botframework.com'),
    );
    expect(grant?.get('grant_type')).toBe('client_credentials');
    expect(grant?.get('scope')).toBe('https://api.botframework.com/.default');
  });
});

describe('finding times and booking', () => {
  let slotCard: Record<string, unknown>;
  let slotMessageId: string;

  it('offers the best times as an Adaptive Card with Action.Execute, mentioned people resolved', async () => {
    const { card, sent } = await ask(ANA, 'find 30m with <at>Raj Patel</at> next week', [RAJ]);
    slotCard = card;
    slotMessageId = sent.id;
    const shown = textOf(card);
    expect(shown).toContain('Raj Patel');
    expect(shown).toContain('I understood');
    // Times render in each viewer's zone: Adaptive Cards' DATE/TIME functions.
    expect(shown).toMatch(/\{\{DATE\(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ, SHORT\)\}\}/);
    const buttons = executeActions(card);
    expect(buttons.length).toBeGreaterThan(0);
    for (const button of buttons) {
      expect(button.verb).toBe('quorum.book');
      expect(button.fallback).toMatchObject({
        type: 'Action.Submit',
        data: { verb: 'quorum.book' },
      });
      // Inside both working days: Berlin 09–17 and Kolkata 10–18 overlap from 09:00 Berlin.
      const start = new Date(Number(button.data.s));
      const hour = start.getUTCHours() + start.getUTCMinutes() / 60;
      expect(hour).toBeGreaterThanOrEqual(7);
      expect(hour).toBeLessThanOrEqual(12.5);
    }
  });

  it('books the chosen time on the organizer’s calendar and replaces the card in place, once however often clicked', async () => {
    const button = executeActions(slotCard)[0]!;
    const click = () => org.send(invoke(org, ANA, button, slotMessageId));
    const res = await click();
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.statusCode).toBe(200);
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    const confirmation = textOf(body.value);
    expect(confirmation).toContain('Booked');
    expect(executeActions(body.value).map((a) => a.verb)).toEqual([
      'quorum.reschedule',
      'quorum.cancel',
    ]);
    // The local calendar cannot make a Teams link; the card says how to get one.
    expect(confirmation).toContain('No Teams link');
    // Everyone in the chat sees the confirmation: the card's message was updated.
    const update = org.connector.sent.find(
      (s) => s.method === 'PUT' && s.activityId === slotMessageId,
    );
    expect(textOf(update?.body)).toContain('Booked');

    expect((await click()).status).toBe(200);
    const ctx = verifiedTenantContext(org.tenantId, 'system');
    const bookings = await (await org.app.quorum.store.tenantModel(ctx, Booking)).find({}).lean();
    expect(bookings).toHaveLength(1);
    expect(bookings[0]!.start.getTime()).toBe(Number(button.data.s));
    expect(bookings[0]!.attendees.map((a) => a.email)).toEqual(['raj@acme.example']);
    expect(bookings[0]!.origin).toEqual({ platform: 'teams', conversationId: CHAT });
  });

  it('tells someone else who clicks that only the asker can book these times', async () => {
    const button = executeActions(slotCard)[1]!;
    const res = await org.send(invoke(org, RAJ, button, slotMessageId));
    const body = await json(res);
    expect(body.type).toBe('application/vnd.microsoft.activity.message');
    expect(body.value).toContain('Only the person who asked');
  });

  it('cancels from the confirmation card', async () => {
    const ctx = verifiedTenantContext(org.tenantId, 'system');
    const booking = (await (
      await org.app.quorum.store.tenantModel(ctx, Booking)
    )
      .findOne({})
      .lean())!;
    const res = await org.send(
      invoke(org, ANA, { verb: 'quorum.cancel', data: { b: booking._id } }, slotMessageId),
    );
    const body = await json(res);
    expect(textOf(body.value)).toContain('Cancelled');
    const after = await (
      await org.app.quorum.store.tenantModel(ctx, Booking)
    )
      .findById(booking._id)
      .lean();
    expect(after?.status).toBe('cancelled');
  });

  it('says what it understood and gives an example when it cannot read the text', async () => {
    const { card } = await ask(ANA, 'find 30m with <at>Raj Patel</at> twenty-five minutes', [RAJ]);
    const shown = textOf(card);
    expect(shown).toContain("I couldn't read the duration");
    expect(shown).toContain('I understood: command: find; duration: 30 min; with: @Raj Patel');
    expect(shown).toContain('For example: `find 30m with @ana @raj next week afternoons`');
  });
});

describe('the next meeting', () => {
  it('answers "next" with the next meeting and its join link, for its organizer and its attendee, and lists it in help', async () => {
    const help = textOf((await ask(ANA, 'help')).card);
    expect(help).toContain('your next meeting, with its join link');
    // The meeting booked above was cancelled: nothing is next.
    expect(textOf((await ask(ANA, 'next')).card)).toContain('no upcoming meeting');

    const { card, sent } = await ask(ANA, 'find 45m with <at>Raj Patel</at> next week', [RAJ]);
    const button = executeActions(card)[0]!;
    const booked = await json(await org.send(invoke(org, ANA, button, sent.id)));
    expect(textOf(booked.value)).toContain('Booked');
    const ctx = verifiedTenantContext(org.tenantId, 'system');
    const Bookings = await org.app.quorum.store.tenantModel(ctx, Booking);
    // Its title is stored sealed: opened as the booking service reads it.
    const booking = await bookingTitles().open(
      ctx,
      (await Bookings.findOne({ status: 'confirmed' }).lean())!,
    );
    expect(booking.start.getTime()).toBe(Number(button.data.s));
    // The local calendar makes no online meetings; a provider would have set this link.
    const joinUrl = 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_next%40thread.v2/0';
    await Bookings.updateOne({ _id: booking._id }, { $set: { joinUrl } });

    for (const who of [ANA, RAJ]) {
      const next = (await ask(who, 'next')).card;
      const shown = textOf(next);
      expect(shown).toContain(booking.title);
      expect(shown).toContain(
        `{{DATE(${booking.start.toISOString().replace(/\.\d{3}Z$/, 'Z')}, SHORT)}}`,
      );
      expect(next.actions).toEqual([{ type: 'Action.OpenUrl', title: 'Join', url: joinUrl }]);
    }
  });
});

describe('Teams proposals from before the upgrade', () => {
  it('moves them into the one proposal store under their own ids, so a Book button posted before still books', async () => {
    const ctx = verifiedTenantContext(org.tenantId, 'system');
    const ana = (await org.app.quorum.store
      .controlModel(User)
      .findOne({ email: 'ana@acme.example' })
      .lean())!;
    const start = Date.parse('2031-06-02T09:00:00Z');
    const old = (id: string, expiresAt: Date) => ({
      _id: id,
      organizerId: ana._id,
      conversationId: CHAT,
      title: 'Roadmap sync',
      durationMinutes: 30,
      attendees: [{ email: 'raj@acme.example', name: 'Raj Patel', optional: false }],
      followUpOf: null,
      rescheduleOf: null,
      slots: [{ start: new Date(start), end: new Date(start + 30 * 60_000) }],
      createdAt: new Date(),
      expiresAt,
    });
    const db = org.app.quorum.store.connection.useDb(tenantDatabaseName(ctx), { useCache: true });
    await db
      .collection(TEAMS_PROPOSALS_COLLECTION)
      .insertMany([
        old('teams-live', new Date(Date.now() + 86_400_000)) as never,
        old('teams-gone', new Date(Date.now() - 1000)) as never,
      ]);
    expect(await teamsProposalsStep.runForTenant(org.app.quorum.store, ctx)).toBe(1);
    expect(await db.collection(TEAMS_PROPOSALS_COLLECTION).countDocuments()).toBe(0);
    const moved = await org.app.quorum.services.assistant.proposals.get(ctx, 'teams-live');
    expect(moved).toMatchObject({
      origin: { platform: 'teams', reference: CHAT, thread: null },
      rescheduleOf: null,
      title: 'Roadmap sync',
    });
    expect(
      await org.app.quorum.services.assistant.proposals.get(ctx, 'teams-gone'),
    ).toBeUndefined();

    const res = await org.send(
      invoke(org, ANA, { verb: 'quorum.book', data: { p: 'teams-live', s: start } }, 'm-old'),
    );
    expect(textOf((await json(res)).value)).toContain('Booked **Roadmap sync**');
    const stored = await (await org.app.quorum.store.tenantModel(ctx, Booking)).find({}).lean();
    const booking = (await bookingTitles().openAll(ctx, stored)).find(
      (b) => b.title === 'Roadmap sync',
    );
    expect(booking?.origin).toEqual({ platform: 'teams', conversationId: CHAT });
  });
});

describe('people Quorum does not know yet', () => {
  it('answers with a connect card, and after linking the Teams user schedules as their Quorum account', async () => {
    const { card } = await ask(MEI, 'find 30m next week');
    const shown = textOf(card);
    expect(shown).toContain('Connect Quorum');
    expect(shown).toContain('mei@partner.example');
    const url = (card.actions as Array<{ type: string; url: string }>).find(
      (a) => a.type === 'Action.OpenUrl',
    )!.url;
    expect(url).toMatch(/\/connect\/teams\?t=/);

    // Mei has a Quorum account under another address; she signs in and confirms the link.
    const added = await org.ana.request('/api/admin/people', {
      method: 'POST',
      json: { name: 'Mei Chen', email: 'mei@acme.example', password: PASSWORD },
    });
    expect(added.status).toBe(201);
    const mei = new Browser(org.app.url);
    const signin = await mei.request('/auth/signin', {
      method: 'POST',
      headers: { 'x-forwarded-for': '192.0.2.99' },
      json: { email: 'mei@acme.example', password: PASSWORD },
    });
    expect(signin.status).toBe(200);
    const page = await mei.request(new URL(url).pathname + new URL(url).search);
    expect(await page.text()).toContain('Link your Teams account');
    const confirm = await mei.request('/connect/teams', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: org.app.url },
      body: new URLSearchParams({ t: new URL(url).searchParams.get('t')! }).toString(),
    });
    expect(await confirm.text()).toContain('now schedules as');
    // The chat the link came from hears of it too.
    const told = org.connector.sent.filter(
      (s) =>
        s.method === 'POST' &&
        s.conversationId === CHAT &&
        textOf(s.body).includes('✅ Connected. Mei Chen schedules as **mei@acme.example**'),
    );
    expect(told).toHaveLength(1);

    const after = await ask(MEI, 'find 30m next week');
    expect(textOf(after.card)).toContain('Best times for 30 min');

    // The link is Mei's personal data: in her export.
    const exported = await json(mei.request('/api/me/export'));
    expect(exported.teams.links).toEqual([
      expect.objectContaining({
        msTenantId: MS_TENANT,
        aadObjectId: MEI.aadObjectId,
        via: 'confirmed',
      }),
    ]);
  });
});

describe('polls', () => {
  it('posts a poll card whose votes update for everyone, and books once everyone voted', async () => {
    // Mei linked her Teams account above.
    const { card, sent } = await ask(
      ANA,
      'poll 30m with <at>Raj Patel</at> <at>Mei Chen</at> next week "Offsite"',
      [RAJ, MEI],
    );
    expect(textOf(card)).toContain('Poll: Offsite');
    const votes = executeActions(card).filter((a) => a.verb === 'quorum.vote');
    expect(votes.length).toBeGreaterThan(0);
    const first = votes[0]!;

    const anaVote = await json(org.send(invoke(org, ANA, first, sent.id)));
    expect(anaVote.value).toContain('Only the people invited');

    const rajVote = await json(org.send(invoke(org, RAJ, first, sent.id)));
    expect(textOf(rajVote.value)).toContain('1 yes: Raj Patel');
    expect(textOf(rajVote.value)).toContain('Waiting for Mei Chen');
    const update = org.connector.sent
      .filter((s) => s.method === 'PUT' && s.activityId === sent.id)
      .at(-1);
    expect(textOf(update?.body)).toContain('1 yes: Raj Patel');

    const meiVote = await json(org.send(invoke(org, MEI, first, sent.id)));
    expect(textOf(meiVote.value)).toContain('the meeting is booked');
    const confirmation = org.connector.sent.filter(
      (s) =>
        s.method === 'POST' &&
        s.conversationId === CHAT &&
        textOf(s.body).includes('Booked **Offsite**'),
    );
    expect(confirmation).toHaveLength(1);
  });
});

describe('older clients and proactive messages', () => {
  it('takes the Action.Submit fallback as a message carrying the button’s data, and updates the card', async () => {
    const { card, sent } = await ask(ANA, 'find 45m with <at>Raj Patel</at> next week', [RAJ]);
    const fallback = executeActions(card)[0]!.fallback!;
    const submit = {
      ...message(org, ANA, ''),
      text: undefined,
      entities: [],
      replyToId: sent.id,
      value: fallback.data,
    };
    const res = await org.send(submit);
    expect(res.status).toBe(200);
    const update = org.connector.sent.find((s) => s.method === 'PUT' && s.activityId === sent.id);
    expect(textOf(update?.body)).toContain('Booked');
  });

  it('posts into a conversation it was installed in, at the serviceUrl it came from', async () => {
    const before = org.connector.sent.length;
    await org.app.quorum.services.teams!.sendCard(CHAT, {
      type: 'AdaptiveCard',
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      version: '1.5',
      body: [{ type: 'TextBlock', text: 'Reminder from Quorum' }],
    });
    const posted = org.connector.sent.slice(before);
    expect(posted).toHaveLength(1);
    expect(posted[0]!.conversationId).toBe(CHAT);
    expect(posted[0]!.authorization).toMatch(/^Bearer eyJ/);
    expect(textOf(posted[0]!.body)).toContain('Reminder from Quorum');
    await expect(
      org.app.quorum.services.teams!.sendCard('19:never-installed@thread.v2', {
        type: 'AdaptiveCard',
        $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
        version: '1.5',
        body: [],
      }),
    ).rejects.toThrow(/not installed/);
  });

  it('logs at start that every activity must carry a Bot Connector token', () => {
    expect(org.app.logs()).toContain('every activity must carry a valid Bot Connector token');
  });
});
