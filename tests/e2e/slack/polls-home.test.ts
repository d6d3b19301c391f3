// Polls voted in Slack (and by a guest through their link) that book themselves, App Home with
// its settings modal, and the "Schedule with Quorum" message shortcut.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockKitProblems } from '../../support/fake-slack.ts';
import { json } from '../../support/quorum-app.ts';
import { startSmtpSink, type SmtpSink } from '../../support/smtp-sink.ts';
import {
  ANA,
  RAJ,
  TEAM,
  buttonsOf,
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
afterAll(async () => {
  await org?.stop();
});

describe('polls', () => {
  let pollUrl: string;
  let pollId: string;
  let guestLink: string;
  let voteButton: { action_id: string; value?: string };

  /** Raj clicks Vote, ticks `yes` in the ballot Quorum opened, and sends it. */
  async function rajVotes(yes: number[]) {
    const opened = org.fake.callsOf('views.open').length;
    await org.slack.click(RAJ, voteButton, {
      channelId: 'C0GENERAL',
      ts: '5.0',
      responseUrl: pollUrl,
    });
    const call = await org.fake.waitFor(() => org.fake.callsOf('views.open')[opened]);
    const ballot = call.args.view as Record<string, unknown>;
    expect(ballot.callback_id).toBe('quorum.poll.ballot');
    const updates = org.fake.responsesTo(pollUrl).length;
    const res = await org.slack.submit(RAJ, ballot, {
      yes: {
        type: 'checkboxes',
        selected_options: yes.map((i) => ({
          text: { type: 'mrkdwn', text: `option ${i}` },
          value: String(i),
        })),
      },
    });
    expect(res.status).toBe(200);
    await org.fake.waitFor(() => org.fake.responsesTo(pollUrl)[updates]);
    return ballot;
  }

  /** Sends `/meet poll …` as Ana; returns the poll message Quorum posted and the guests' links. */
  async function anaPolls(text: string, title: string) {
    const sent = await org.slack.command(ANA, text);
    expect(sent.res.status).toBe(200);
    const poll = await org.fake.waitFor(() =>
      org.fake.messages.find(
        (m) => m.channel === 'C0GENERAL' && textOf(m.blocks as Blocks).includes(`*${title}*`),
      ),
    );
    const links = await org.fake.waitFor(() => org.fake.responsesTo(sent.responseUrl)[0]);
    return { poll, links };
  }

  it('posts a poll in the channel, and sends the organizer the guests’ own links', async () => {
    const { poll, links } = await anaPolls(
      'poll 30m with <@U0RAJ|raj> bob@guest.example next week "Offsite"',
      'Offsite',
    );
    const blocks = poll.blocks as Blocks;
    expect(textOf(blocks)).toContain('Waiting for: <@U0RAJ>, bob@guest.example');
    expect(blockKitProblems(blocks, 'message')).toEqual([]);
    voteButton = buttonsOf(blocks).find((b) => b.action_id === 'quorum.poll.vote')!;
    pollId = voteButton.value!;
    // Raj votes in Slack, so only Bob gets a link.
    expect(links.body.response_type).toBe('ephemeral');
    const shown = textOf(links.body.blocks as Blocks);
    expect(shown).toContain('bob@guest.example');
    expect(shown).not.toContain('raj@acme.example');
    guestLink = /<(http[^|>]+)\|vote link>/.exec(shown)![1]!;
    pollUrl = org.fake.responseUrl();
  });

  it('refuses a vote from someone not invited', async () => {
    const click = await org.slack.click({ teamId: TEAM, userId: 'U0MEI' }, voteButton, {
      channelId: 'C0GENERAL',
      ts: '5.0',
    });
    const refused = await org.fake.waitFor(() => org.fake.responsesTo(click.responseUrl)[0]);
    expect(textOf(refused.body.blocks as Blocks)).toContain('Only the people invited');
  });

  it('books itself once everyone has voted: the guest by link, Raj in Slack', async () => {
    const link = new URL(guestLink);
    const guest = await fetch(
      `${org.app.url}/api/public/polls/${pollId}/votes?t=${link.searchParams.get('t')}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ yes: [0, 1] }),
      },
    );
    expect(guest.status).toBe(200);
    expect((await json(guest)).status).toBe('open');
    await rajVotes([1]);
    const booked = await org.fake.waitFor(() =>
      org.fake.responsesTo(pollUrl).find((r) => r.body.response_type === 'in_channel'),
    );
    expect(textOf(booked.body.blocks as Blocks)).toContain('*Offsite* is booked');
    const updated = org.fake.responsesTo(pollUrl).find((r) => r.body.replace_original)!;
    const shown = textOf(updated.body.blocks as Blocks);
    expect(shown).toContain('Everyone has voted');
    expect(shown).toContain('2 · <@U0RAJ>, bob@guest.example');
    expect(buttonsOf(updated.body.blocks as Blocks)).toEqual([]);
    const stored = await titled(org);
    const [booking] = await stored.bookingsTitled('Offsite');
    expect(booking).toMatchObject({ status: 'confirmed', organizerEmail: 'ana@acme.example' });
    // The one time both chose: the second option.
    const poll = await json(org.ana.request(`/api/polls/${pollId}`));
    expect(booking!.start.toISOString()).toBe(new Date(poll.poll.options[1].start).toISOString());
    expect(await stored.eventsTitled('Offsite')).toHaveLength(1);
  });

  it('says a poll is closed when someone votes after it was booked', async () => {
    const click = await org.slack.click(RAJ, voteButton, { channelId: 'C0GENERAL', ts: '5.0' });
    const refused = await org.fake.waitFor(() => org.fake.responsesTo(click.responseUrl)[0]);
    expect(textOf(refused.body.blocks as Blocks)).toContain('This poll is closed');
  });

  it('updates the Slack poll when a guest votes last on the web, and posts the booking', async () => {
    const { poll, links } = await anaPolls(
      'poll 30m with <@U0RAJ|raj> bob@guest.example next week "Retro"',
      'Retro',
    );
    voteButton = buttonsOf(poll.blocks as Blocks).find((b) => b.action_id === 'quorum.poll.vote')!;
    pollUrl = org.fake.responseUrl();
    await rajVotes([0]);
    const link = new URL(
      /<(http[^|>]+)\|vote link>/.exec(textOf(links.body.blocks as Blocks))![1]!,
    );
    const updatesBefore = org.fake.callsOf('chat.update').length;
    const guest = await fetch(
      `${org.app.url}/api/public/polls/${voteButton.value}/votes?t=${link.searchParams.get('t')}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ yes: [0] }),
      },
    );
    expect(guest.status).toBe(200);
    // The message Quorum posted now shows the outcome, with no buttons left to click.
    await org.fake.waitFor(() => org.fake.callsOf('chat.update')[updatesBefore]);
    const shown = textOf(poll.blocks as Blocks);
    expect(shown).toContain('Everyone has voted');
    expect(shown).toContain('2 · <@U0RAJ>, bob@guest.example');
    expect(buttonsOf(poll.blocks as Blocks)).toEqual([]);
    const confirmation = await org.fake.waitFor(() =>
      org.fake.messages.find(
        (m) =>
          m.channel === 'C0GENERAL' && textOf(m.blocks as Blocks).includes('*Retro* is booked'),
      ),
    );
    expect(blockKitProblems(confirmation.blocks as Blocks, 'message')).toEqual([]);
    const retro = await (await titled(org)).bookingsTitled('Retro');
    expect(retro.filter((b) => b.status === 'confirmed')).toHaveLength(1);
  });
});

describe('message shortcut', () => {
  it('proposes times for the people who wrote in the thread', async () => {
    org.fake.threads.set('C0GENERAL:1700000001.000100', [
      { user: 'U0ANA', ts: '1700000001.000100', text: 'Shall we meet about the launch?' },
      { user: 'U0RAJ', ts: '1700000002.000100', text: 'Yes please' },
      { bot_id: 'B0OTHER', ts: '1700000003.000100', text: 'A bot' },
    ]);
    const responseUrl = org.fake.responseUrl();
    const res = await org.slack.interaction({
      type: 'message_action',
      callback_id: 'quorum_schedule_thread',
      trigger_id: `${Date.now()}.shortcut`,
      message_ts: '1700000002.000100',
      response_url: responseUrl,
      action_ts: `${Date.now() / 1000}`,
      token: 'deprecated-verification-token',
      team: { id: TEAM, domain: 'acme' },
      user: { id: 'U0ANA', name: 'ana', team_id: TEAM },
      channel: { id: 'C0GENERAL', name: 'general' },
      message: {
        type: 'message',
        user: 'U0RAJ',
        ts: '1700000002.000100',
        thread_ts: '1700000001.000100',
        text: 'Yes please',
      },
    });
    expect(res.status).toBe(200);
    const answer = await org.fake.waitFor(() => org.fake.responsesTo(responseUrl)[0]);
    const blocks = answer.body.blocks as Blocks;
    expect(textOf(blocks)).toContain('Raj Patel');
    expect(buttonsOf(blocks).some((b) => b.action_id === 'quorum.slot.pick')).toBe(true);
    const replies = org.fake.callsOf('conversations.replies').at(-1)!;
    expect(replies.args).toMatchObject({ channel: 'C0GENERAL', ts: '1700000001.000100' });
    await settled(org);
  });
});

describe('App Home', () => {
  it('shows calendars, upcoming meetings and settings', async () => {
    const before = org.fake.callsOf('views.publish').length;
    await org.slack.event(TEAM, {
      type: 'app_home_opened',
      user: 'U0ANA',
      channel: 'D0ANA',
      tab: 'home',
      event_ts: '1.0',
    });
    const call = await org.fake.waitFor(() => org.fake.callsOf('views.publish')[before]);
    expect(call.args.user_id).toBe('U0ANA');
    const view = call.args.view as { type: string; blocks: Blocks };
    expect(view.type).toBe('home');
    const shown = textOf(view.blocks);
    expect(shown).toContain('Calendars');
    expect(shown).toContain('Offsite');
    expect(shown).toContain('Time zone: Europe/Berlin');
    expect(shown).toContain('No meetings are recorded yet');
  });

  it('shows someone Quorum does not know how to connect', async () => {
    org.fake.addUser({ id: 'U0ZED', teamId: TEAM, name: 'Zed', email: 'zed@nowhere.example' });
    const before = org.fake.callsOf('views.publish').length;
    await org.slack.event(TEAM, {
      type: 'app_home_opened',
      user: 'U0ZED',
      channel: 'D0ZED',
      tab: 'home',
      event_ts: '1.0',
    });
    const call = await org.fake.waitFor(() => org.fake.callsOf('views.publish')[before]);
    const connect = buttonsOf((call.args.view as { blocks: Blocks }).blocks).find((b) => b.url);
    expect(connect?.url).toContain('/connect/slack?t=');
  });

  it('edits settings in a modal, refusing a time zone that does not exist', async () => {
    const opened = org.fake.callsOf('views.open').length;
    await org.slack.click(
      ANA,
      { action_id: 'quorum.settings.edit' },
      { channelId: 'D0ANA', ts: '1.0' },
    );
    const call = await org.fake.waitFor(() => org.fake.callsOf('views.open')[opened]);
    const view = call.args.view as Record<string, unknown>;
    expect(view.callback_id).toBe('quorum.settings');
    const values = (timeZone: string) => ({
      tz: { type: 'plain_text_input', value: timeZone },
      days: {
        type: 'checkboxes',
        selected_options: ['mon', 'tue', 'wed'].map((d) => ({
          text: { type: 'plain_text', text: d },
          value: d,
        })),
      },
      start: { type: 'timepicker', selected_time: '08:30' },
      end: { type: 'timepicker', selected_time: '16:00' },
      link: {
        type: 'static_select',
        selected_option: { text: { type: 'plain_text', text: 'Zoom' }, value: 'zoom' },
      },
    });
    const wrong = await org.slack.submit(ANA, view, values('Mars/Olympus'));
    const errors = await json(wrong);
    expect(errors.response_action).toBe('errors');
    expect(errors.errors.tz).toMatch(/not a known IANA time zone/);

    const published = org.fake.callsOf('views.publish').length;
    const right = await org.slack.submit(ANA, view, values('America/New_York'));
    expect(right.status).toBe(200);
    await org.fake.waitFor(() => org.fake.callsOf('views.publish')[published]);
    expect(await json(org.ana.request('/api/me/settings'))).toEqual({
      timeZone: 'America/New_York',
      workingHours: [{ days: ['mon', 'tue', 'wed'], start: '08:30', end: '16:00' }],
      defaultLinkType: 'zoom',
    });
  });
  it('sets the hours Quorum must never use, shows them, and clears them with "No limit"', async () => {
    const openModal = async () => {
      const opened = org.fake.callsOf('views.open').length;
      await org.slack.click(
        ANA,
        { action_id: 'quorum.settings.edit' },
        { channelId: 'D0ANA', ts: '1.0' },
      );
      const call = await org.fake.waitFor(() => org.fake.callsOf('views.open')[opened]);
      return call.args.view as { blocks: Array<Record<string, unknown>> };
    };
    const chosen = (value: string) => ({
      type: 'static_select',
      selected_option: { text: { type: 'plain_text', text: value }, value },
    });
    const values = (before: string, after: string) => ({
      tz: { type: 'plain_text_input', value: 'America/New_York' },
      days: {
        type: 'checkboxes',
        selected_options: [{ text: { type: 'plain_text', text: 'mon' }, value: 'mon' }],
      },
      start: { type: 'timepicker', selected_time: '09:00' },
      end: { type: 'timepicker', selected_time: '17:00' },
      never_before: chosen(before),
      never_after: chosen(after),
      link: chosen('none'),
    });
    const saved = async (before: string, after: string) => {
      const published = org.fake.callsOf('views.publish').length;
      const res = await org.slack.submit(ANA, await openModal(), values(before, after));
      expect(res.status).toBe(200);
      const call = await org.fake.waitFor(() => org.fake.callsOf('views.publish')[published]);
      return textOf((call.args.view as { blocks: Blocks }).blocks);
    };

    const home = await saved('07:00', 'any');
    expect(home).toContain('Never schedule: before 07:00');
    expect((await json(org.ana.request('/api/me/settings'))).acceptableHours).toEqual({
      start: '07:00',
      end: '24:00',
    });
    // Reopened, the modal starts from what was saved.
    const modal = await openModal();
    const before = modal.blocks.find((b) => b.block_id === 'never_before') as {
      element: { initial_option: { value: string } };
    };
    expect(before.element.initial_option.value).toBe('07:00');

    // The same time twice leaves no hour: refused at the field, nothing saved.
    const same = await json(await org.slack.submit(ANA, modal, values('07:00', '07:00')));
    expect(same.response_action).toBe('errors');
    expect(same.errors.never_after).toMatch(/different time/);

    expect(await saved('any', 'any')).toContain('Never schedule: no limit');
    expect((await json(org.ana.request('/api/me/settings'))).acceptableHours).toBeUndefined();
  });
});

describe('a poll with email on', () => {
  let sink: SmtpSink;
  let mailing: SlackOrg;
  beforeAll(async () => {
    sink = await startSmtpSink();
    mailing = await slackOrg({ SMTP_URL: sink.url, QUORUM_MAIL_FROM: 'quorum@acme.example' });
  });
  afterAll(async () => {
    await mailing?.stop();
    await sink?.close();
  });

  it('emails the guest their link and says so; Raj votes in Slack', async () => {
    const sent = await mailing.slack.command(
      ANA,
      'poll 30m with <@U0RAJ|raj> bob@guest.example next week "Roadmap"',
    );
    expect(sent.res.status).toBe(200);
    const said = await mailing.fake.waitFor(() => mailing.fake.responsesTo(sent.responseUrl)[0]);
    const blocks = said.body.blocks as Blocks;
    expect(blockKitProblems(blocks, 'message')).toEqual([]);
    expect(said.body.response_type).toBe('ephemeral');
    expect(textOf(blocks)).toContain('Emailed each their own voting link: bob@guest.example');
    expect(textOf(blocks)).not.toContain('vote link');
    const mails = await sink.waitFor((ms) =>
      ms.some((m) => m.parsed.subject === 'Which times work for you? Roadmap'),
    );
    expect(mails.map((m) => m.rcpt).flat()).toEqual(['bob@guest.example']);
    // All that was queued for the poll: Bob's link, nothing for Raj.
    const posted = mailing.fake.messages.find((m) =>
      textOf(m.blocks as Blocks).includes('*Roadmap*'),
    )!;
    const pollId = buttonsOf(posted.blocks as Blocks).find(
      (b) => b.action_id === 'quorum.poll.vote',
    )!.value!;
    const listed = await json(mailing.ana.request(`/api/polls/${pollId}/emails`));
    expect(listed.sent.map((m: { to: string }) => m.to)).toEqual(['bob@guest.example']);
  });
});
