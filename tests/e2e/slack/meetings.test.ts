// Meetings booked from Slack: the agenda typed in the booking form comes back with
// `/meet agenda`; once the meeting's captions are summarized, the summary, decisions and action
// items (owners mentioned) are posted to the channel it was booked from, once, and
// `/meet summary` shows them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockKitProblems } from '../../support/fake-slack.ts';
import { json, summaryPublished } from '../../support/quorum-app.ts';
import { TEAMS_VTT, waitForStatus } from '../../integration/meetings/people.ts';
import {
  ANA,
  RAJ,
  buttonsOf,
  formValues,
  meet,
  openModal,
  settled,
  slackOrg,
  textOf,
  type SlackOrg,
} from './slack-org.ts';

let org: SlackOrg;
let meetingId: string;

beforeAll(async () => {
  org = await slackOrg();
  const { view } = await openModal(org, 'find 30m with <@U0RAJ|raj> next week');
  await org.slack.submit(
    ANA,
    view,
    formValues('Budget review', 'raj@acme.example', '30', '- Marketing budget\n- Hiring plan'),
  );
  await org.fake.waitFor(() =>
    org.fake.messages.find((m) => textOf(m.blocks).includes('Budget review')),
  );
  await settled(org);
});
afterAll(async () => {
  await org?.stop();
});

describe('agendas', () => {
  it('answers /meet agenda with the topics of the next meeting’s booking form', async () => {
    const { blocks } = await meet(org, RAJ, 'agenda');
    const shown = textOf(blocks);
    expect(shown).toContain('Agenda: Budget review');
    expect(shown).toContain('Marketing budget');
    expect(shown).toContain('Hiring plan');
  });
});

describe('the next meeting', () => {
  it('answers /meet next with the next meeting booked, for its organizer and its attendee', async () => {
    for (const who of [ANA, RAJ]) {
      const { blocks } = await meet(org, who, 'next');
      const shown = textOf(blocks);
      expect(shown).toContain('Budget review');
      expect(blockKitProblems(blocks, 'message')).toEqual([]);
    }
  });
});

describe('summaries', () => {
  it('answers /meet summary with no summary until one exists', async () => {
    const { blocks } = await meet(org, ANA, 'summary');
    expect(textOf(blocks)).toContain('None of your meetings has a summary yet');
  });

  it('posts the summary to the channel the meeting was booked from, once, with owners mentioned', async () => {
    const list = await json(org.ana.request('/api/meetings'));
    const meeting = list.meetings.find((m: { title: string }) => m.title === 'Budget review');
    expect(meeting?.bookingId).toBeTruthy();
    meetingId = meeting.id;
    const sent = await org.ana.request(`/api/meetings/${meetingId}/captions`, {
      method: 'POST',
      headers: { 'content-type': 'text/vtt' },
      body: TEAMS_VTT,
    });
    expect(sent.status, await sent.clone().text()).toBe(202);
    const ready = await waitForStatus(org.ana, meetingId, ['ready', 'failed']);
    expect(ready.status).toBe('ready');
    await summaryPublished(org.app, meetingId);

    await org.app.quorum.services.slack!.deliverSummaries();
    const posted = await org.fake.waitFor(() =>
      org.fake.messages.find((m) => textOf(m.blocks).includes('Summary: Budget review')),
    );
    expect(posted.channel).toBe('C0GENERAL');
    expect(blockKitProblems(posted.blocks, 'message')).toEqual([]);
    const shown = textOf(posted.blocks);
    expect(shown).toContain('Decisions');
    expect(shown).toContain('hire two engineers');
    expect(shown).toMatch(/<@U0RAJ>: [^"]*revised spreadsheet/);

    // Delivered again (another node, a restart): nothing is posted twice.
    await org.app.quorum.services.slack!.deliverSummaries();
    await settled(org);
    expect(
      org.fake.messages.filter((m) => textOf(m.blocks).includes('Summary: Budget review')),
    ).toHaveLength(1);
  });

  it('shares a summary to Slack on request (the Zoom panel’s Share to Slack)', async () => {
    expect(await json(org.ana.request('/api/share-targets'))).toEqual({ targets: ['slack'] });
    const before = org.fake.messages.filter((m) =>
      textOf(m.blocks).includes('Summary: Budget review'),
    ).length;
    const res = await org.ana.request(`/api/meetings/${meetingId}/share`, {
      method: 'POST',
      json: { to: 'slack' },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const posted = org.fake.messages.filter((m) =>
      textOf(m.blocks).includes('Summary: Budget review'),
    );
    expect(posted).toHaveLength(before + 1);
    expect(posted.at(-1)!.channel).toBe('C0GENERAL');
    const refused = await org.ana.request(`/api/meetings/${meetingId}/share`, {
      method: 'POST',
      json: { to: 'teams' },
    });
    expect(refused.status).toBe(409);
    expect((await json(refused)).error).toBe('not_connected');
  });

  it('shows the latest summary on /meet summary, and on App Home', async () => {
    const { blocks } = await meet(org, RAJ, 'summary');
    expect(textOf(blocks)).toContain('Summary: Budget review');
    expect(buttonsOf(blocks)).toEqual([]);
    const before = org.fake.callsOf('views.publish').length;
    await org.slack.event('T0ACME', {
      type: 'app_home_opened',
      user: 'U0RAJ',
      channel: 'D0RAJ',
      tab: 'home',
      event_ts: '1.0',
    });
    const call = await org.fake.waitFor(() => org.fake.callsOf('views.publish')[before]);
    const home = textOf((call.args.view as { blocks: Array<Record<string, unknown>> }).blocks);
    expect(home).toContain('Recent summaries');
    expect(home).toContain('Budget review');
    expect(home).toContain('marketing budget');
  });
});
