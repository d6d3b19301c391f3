// /meet through the real server, sent exactly as Slack sends it and answered to a local Slack:
// help, finding times, the booking modal, booking once however often it is submitted,
// rescheduling, cancelling, follow-ups, people Quorum does not know, text it cannot read, and
// thirty attendees within Block Kit's limits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockKitProblems } from '../../support/fake-slack.ts';
import { json } from '../../support/quorum-app.ts';
import { localCalendarProvider } from '../../../core/calendars/local/local-calendar.ts';
import { verifiedTenantContext } from '../../../core/store/tenant-context.ts';
import {
  ANA,
  RAJ,
  TEAM,
  buttonsOf,
  formValues,
  meet as meetIn,
  openModal as openModalIn,
  settled,
  slackOrg,
  titled,
  textOf,
  type SlackOrg,
} from './slack-org.ts';

let org: SlackOrg;
type Blocks = Array<Record<string, unknown>>;

beforeAll(async () => {
  org = await slackOrg();
});
const meet = (who: typeof ANA, text: string) => meetIn(org, who, text);
const openModal = (text: string) => openModalIn(org, text);
afterAll(async () => {
  await org?.stop();
});

describe('help', () => {
  it('answers /meet help at once with every subcommand and an example of each', async () => {
    for (const text of ['help', '']) {
      const { res, responseUrl } = await org.slack.command(ANA, text);
      expect(res.status).toBe(200);
      const body = await json(res);
      expect(body.response_type).toBe('ephemeral');
      const shown = textOf(body.blocks);
      for (const sub of [
        'find',
        'book',
        'poll',
        'followup',
        'reschedule',
        'cancel',
        'agenda',
        'summary',
        'next',
        'connect',
        'help',
      ]) {
        expect(shown).toContain(`/meet ${sub}`);
      }
      expect(shown).toContain('/meet find 30m with @ana @raj next week afternoons');
      expect(blockKitProblems(body.blocks, 'message')).toEqual([]);
      expect(org.fake.responsesTo(responseUrl)).toEqual([]);
    }
  });

  it('answers the url_verification challenge', async () => {
    const body = JSON.stringify({
      token: 'x',
      challenge: 'chal-3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P',
      type: 'url_verification',
    });
    const res = await org.slack.send(body, 'application/json');
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({
      challenge: 'chal-3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P',
    });
  });
});

describe('finding times and booking', () => {
  let bookingId: string;
  let confirmation: { channel: string; ts: string; blocks: Blocks };

  it('offers the best times as buttons, in each viewer’s zone, naming whose calendar it cannot see', async () => {
    const { blocks } = await meet(ANA, 'find 30m with <@U0RAJ|raj> <@U0MEI|mei> next week');
    const shown = textOf(blocks);
    expect(shown).toContain('<!date^');
    expect(shown).toContain('Raj Patel');
    // Mei is in Slack but not in Quorum: a guest whose calendar Quorum cannot see.
    expect(shown).toMatch(/cannot see the calendars of Mei Chen/);
    const picks = buttonsOf(blocks).filter((b) => b.action_id === 'quorum.slot.pick');
    expect(picks.length).toBeGreaterThan(0);
    for (const pick of picks) {
      const start = Number(pick.value!.split('|')[1]);
      // Inside both working days: Berlin 09–17 and Kolkata 10–18 overlap from 09:00 Berlin.
      const hour = new Date(start).getUTCHours() + new Date(start).getUTCMinutes() / 60;
      expect(hour).toBeGreaterThanOrEqual(7);
      expect(hour).toBeLessThanOrEqual(12.5);
    }
  });

  it('checks one named time with /meet book, and offers the nearest free ones when it is taken', async () => {
    const free = await meet(ANA, 'book next monday 10am with <@U0RAJ|raj>');
    const offered = buttonsOf(free.blocks).filter((b) => b.action_id === 'quorum.slot.pick');
    expect(offered).toHaveLength(1);
    const start = new Date(Number(offered[0]!.value!.split('|')[1]));
    expect(start.getUTCDay()).toBe(1);
    expect(start.toISOString()).toMatch(/T09:00:00\.000Z$/);

    // Raj gets a meeting at 11:00 Berlin that Monday in his own calendar.
    const ctx = verifiedTenantContext(org.tenantId, 'system');
    await localCalendarProvider({
      store: org.app.quorum.store,
      envelope: org.app.quorum.services.envelope,
      tenant: ctx,
      ownerEmail: 'raj@acme.example',
    }).createEvent({
      title: 'Raj is busy',
      start: new Date(start.getTime() + 3_600_000),
      end: new Date(start.getTime() + 2 * 3_600_000),
      timeZone: 'UTC',
      attendees: [],
      onlineMeeting: 'none',
      requestId: 'seed-raj-busy',
    });
    const taken = await meet(ANA, 'book next monday 11am with <@U0RAJ|raj>');
    expect(textOf(taken.blocks)).toContain('That time is not free for everyone');
    const others = buttonsOf(taken.blocks).filter((b) => b.action_id === 'quorum.slot.pick');
    expect(others.length).toBeGreaterThan(0);
    for (const other of others)
      expect(Number(other.value!.split('|')[1])).not.toBe(start.getTime() + 3_600_000);
  });

  it('opens the booking modal on a click, and books on the organizer’s calendar when submitted', async () => {
    const { view, listUrl } = await openModal('find 30m with <@U0RAJ|raj> next week');
    expect(view.callback_id).toBe('quorum.book');
    expect(textOf(view.blocks as Blocks)).toContain('raj@acme.example');
    const res = await org.slack.submit(
      ANA,
      view,
      formValues('Design review', 'raj@acme.example\nmei@partner.example (optional)'),
    );
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    const posted = await org.fake.waitFor(() =>
      org.fake.messages.find((m) => textOf(m.blocks).includes('Design review')),
    );
    expect(posted.channel).toBe('C0GENERAL');
    const buttons = buttonsOf(posted.blocks);
    expect(buttons.map((b) => b.action_id)).toEqual([
      'quorum.booking.reschedule',
      'quorum.booking.cancel',
    ]);
    bookingId = buttons[0]!.value!;
    confirmation = posted;

    const stored = await titled(org);
    const booking = await stored.booking(bookingId);
    expect(booking).toMatchObject({
      status: 'confirmed',
      title: 'Design review',
      organizerEmail: 'ana@acme.example',
    });
    expect(booking!.origin).toEqual({ platform: 'slack', conversationId: `${TEAM}:C0GENERAL` });
    expect(booking!.attendees).toEqual([
      expect.objectContaining({ email: 'raj@acme.example', optional: false }),
      expect.objectContaining({ email: 'mei@partner.example', optional: true }),
    ]);
    const [event] = await stored.eventsTitled('Design review');
    expect(event).toBeDefined();
    expect(event!.start.getTime()).toBe(booking!.start.getTime());
    // The list of times becomes "booked", so it is not clicked again.
    const replaced = await org.fake.waitFor(() =>
      org.fake.responsesTo(listUrl).find((r) => r.body.replace_original),
    );
    expect(textOf(replaced.body.blocks as Blocks)).toContain('Booked');
  });

  it('books once when the same form is submitted twice at the same moment', async () => {
    const { view } = await openModal('find 45m with <@U0RAJ|raj> next week');
    const values = formValues('Budget sync', 'raj@acme.example', '45');
    const [a, b] = await Promise.all([
      org.slack.submit(ANA, view, values),
      org.slack.submit(ANA, view, values),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await org.fake.waitFor(() =>
      org.fake.messages.find((m) => textOf(m.blocks).includes('Budget sync')),
    );
    await settled(org);
    const stored = await titled(org);
    expect(await stored.bookingsTitled('Budget sync')).toHaveLength(1);
    expect(await stored.eventsTitled('Budget sync')).toHaveLength(1);
    expect(org.fake.messages.filter((m) => textOf(m.blocks).includes('Budget sync'))).toHaveLength(
      1,
    );
  });

  it('refuses a form with a wrong email, under the field, without booking', async () => {
    const { view } = await openModal('find 30m with <@U0RAJ|raj> next week');
    const res = await org.slack.submit(
      ANA,
      view,
      formValues('Broken', 'raj@acme.example, not-an-email'),
    );
    expect(await json(res)).toEqual({
      response_action: 'errors',
      errors: { attendees: 'Not an email: not-an-email.' },
    });
    expect(await (await titled(org)).bookingsTitled('Broken')).toHaveLength(0);
  });

  it('reschedules from the confirmation’s button, updating the confirmation', async () => {
    const click = await org.slack.click(
      ANA,
      { action_id: 'quorum.booking.reschedule', value: bookingId },
      { channelId: confirmation.channel, ts: confirmation.ts },
    );
    const list = await org.fake.waitFor(() => org.fake.responsesTo(click.responseUrl)[0]);
    const move = buttonsOf(list.body.blocks as Blocks).find(
      (b) => b.action_id === 'quorum.reschedule.pick',
    );
    expect(move, textOf(list.body.blocks as Blocks)).toBeDefined();
    const newStart = Number(move!.value!.split('|')[1]);
    const updates = org.fake.callsOf('chat.update').length;
    await org.slack.click(ANA, move!, {
      channelId: confirmation.channel,
      ts: '2.0',
      ephemeral: true,
    });
    const update = await org.fake.waitFor(() => org.fake.callsOf('chat.update')[updates]);
    expect(update.args).toMatchObject({ channel: confirmation.channel, ts: confirmation.ts });
    const stored = await titled(org);
    expect((await stored.booking(bookingId))!.start.getTime()).toBe(newStart);
    expect((await stored.eventsTitled('Design review'))[0]!.start.getTime()).toBe(newStart);
  });

  it('lets only the organizer cancel, and cancelling removes the meeting from the calendar', async () => {
    const byRaj = await org.slack.click(
      RAJ,
      { action_id: 'quorum.booking.cancel', value: bookingId },
      { channelId: confirmation.channel, ts: confirmation.ts },
    );
    const refused = await org.fake.waitFor(() => org.fake.responsesTo(byRaj.responseUrl)[0]);
    expect(refused.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(textOf(refused.body.blocks as Blocks)).toContain('Only the organizer can cancel');

    const byAna = await org.slack.click(
      ANA,
      { action_id: 'quorum.booking.cancel', value: bookingId },
      { channelId: confirmation.channel, ts: confirmation.ts },
    );
    const done = await org.fake.waitFor(() => org.fake.responsesTo(byAna.responseUrl)[0]);
    expect(done.body.replace_original).toBe(true);
    expect(textOf(done.body.blocks as Blocks)).toContain('was cancelled by <@U0ANA>');
    const stored = await titled(org);
    expect((await stored.booking(bookingId))!.status).toBe('cancelled');
    expect(await stored.eventsTitled('Design review')).toHaveLength(0);
  });

  it('proposes a follow-up with the same people after the latest meeting booked from the channel', async () => {
    const { blocks } = await meet(ANA, 'followup');
    expect(textOf(blocks)).toContain('A follow-up of “Budget sync”');
    expect(buttonsOf(blocks).some((b) => b.action_id === 'quorum.slot.pick')).toBe(true);
  });
});

describe('when Quorum cannot help', () => {
  it('asks someone it does not know to connect, with a button to Quorum’s link page', async () => {
    org.fake.addUser({
      id: 'U0LEE',
      teamId: TEAM,
      name: 'Lee Wong',
      email: 'lee@elsewhere.example',
    });
    const { blocks } = await meet(
      { teamId: TEAM, userId: 'U0LEE' },
      'find 30m with <@U0ANA|ana> next week',
    );
    expect(textOf(blocks)).toContain('lee@elsewhere.example');
    const connect = buttonsOf(blocks).find((b) => b.url);
    expect(connect?.url).toMatch(new RegExp(`^${org.app.url}/connect/slack\\?t=`));
    expect(
      org.fake.callsOf('views.open').filter((c) => JSON.stringify(c.args).includes('U0LEE')),
    ).toEqual([]);
  });

  it('links a Slack user whose email differs, after they confirm while signed in', async () => {
    org.fake.addUser({
      id: 'U0RAJ2',
      teamId: TEAM,
      name: 'Raj (personal)',
      email: 'raj.personal@mail.example',
    });
    const first = await meet({ teamId: TEAM, userId: 'U0RAJ2' }, 'connect');
    const url = buttonsOf(first.blocks).find((b) => b.url)!.url!;
    // Signed out, the page asks to sign in; it links nothing.
    const anonymous = await fetch(url);
    expect(await anonymous.text()).toContain('Sign in to Quorum');
    // Signed in as Raj: a confirmation page, then the POST from it links.
    const page = await org.raj.request(url);
    expect(await page.text()).toContain('raj@acme.example');
    const token = new URL(url).searchParams.get('t')!;
    const linked = await org.raj.request('/connect/slack', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: org.app.url },
      body: new URLSearchParams({ t: token }).toString(),
    });
    expect(linked.status).toBe(200);
    expect(await linked.text()).toContain('now schedules as');
    const after = await meet({ teamId: TEAM, userId: 'U0RAJ2' }, 'connect');
    expect(textOf(after.blocks)).toContain('connected to Quorum as *Raj Patel*');
    const audit = await json(org.ana.request('/api/audit'));
    expect(audit.entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'account.linked',
          details: expect.objectContaining({ platform: 'slack', slackUserId: 'U0RAJ2' }),
        }),
      ]),
    );
  });

  it('refuses a link token that was tampered with', async () => {
    const res = await org.raj.request('/connect/slack', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: org.app.url },
      body: new URLSearchParams({
        t: 'eyJhbGciOiJIUzI1NiJ9.eyJ0ZWFtIjoiVDBBQ01FIn0.bm90LXNpZ25lZA',
      }).toString(),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('expired');
  });

  it('says what it understood and gives an example when it cannot read the text', async () => {
    const { blocks, answer } = await meet(ANA, 'find 30m with <@U0RAJ|raj> twenty-five minutes');
    expect(answer.response_type).toBe('ephemeral');
    const shown = textOf(blocks);
    expect(shown).toContain("I couldn't read the duration");
    expect(shown).toContain('I understood: command: find; duration: 30 min; with: <@U0RAJ>');
    expect(shown).toContain('For example: `/meet find 30m with @ana @raj next week afternoons`');
  });

  it('stays within Slack’s limits with thirty attendees, in the message and in the modal', async () => {
    const mentions: string[] = [];
    for (let i = 0; i < 30; i++) {
      const id = `U0G${String(i).padStart(3, '0')}`;
      org.fake.addUser({
        id,
        teamId: TEAM,
        name: `Guest Number ${i} With A Rather Long Name`,
        email: `guest.number.${i}.with.a.long.address@partner-company.example`,
      });
      mentions.push(`<@${id}|g${i}>`);
    }
    const { blocks } = await meet(
      ANA,
      `find 30m with <@U0RAJ|raj> ${mentions.join(' ')} next week`,
    );
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(blockKitProblems(blocks, 'message')).toEqual([]);
    expect(textOf(blocks)).toContain('more');
    const pick = buttonsOf(blocks).find((b) => b.action_id === 'quorum.slot.pick')!;
    const opened = org.fake.callsOf('views.open').length;
    await org.slack.click(ANA, pick, { channelId: 'C0GENERAL', ts: '3.0', ephemeral: true });
    const call = await org.fake.waitFor(() => org.fake.callsOf('views.open')[opened]);
    expect(blockKitProblems((call.args.view as { blocks: Blocks }).blocks, 'modal')).toEqual([]);
    expect(textOf((call.args.view as { blocks: Blocks }).blocks)).toContain('guest.number.29.');
  });
});

describe('retries', () => {
  it('does nothing twice when Slack retries a delivery it already handled', async () => {
    const event = {
      type: 'app_home_opened',
      user: 'U0ANA',
      channel: 'D0ANA',
      tab: 'home',
      event_ts: `${Date.now() / 1000}`,
    };
    const before = org.fake.callsOf('views.publish').length;
    const first = await org.slack.event(TEAM, event);
    expect(first.res.status).toBe(200);
    await org.fake.waitFor(() => org.fake.callsOf('views.publish').length > before);
    const retry = await org.slack.event(TEAM, event, {
      eventId: first.eventId,
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
    });
    expect(retry.res.status).toBe(200);
    await settled(org);
    expect(org.fake.callsOf('views.publish').length).toBe(before + 1);

    const command = await org.slack.command(ANA, 'find 30m with <@U0RAJ|raj> next week');
    await org.fake.waitFor(() => org.fake.responsesTo(command.responseUrl)[0]);
    const again = await org.slack.command(ANA, 'find 30m with <@U0RAJ|raj> next week', {
      triggerId: command.triggerId,
      headers: { 'x-slack-retry-num': '1' },
    });
    expect(again.res.status).toBe(200);
    await settled(org);
    expect(org.fake.responsesTo(again.responseUrl)).toEqual([]);
  });
});
