// The Teams meeting side panel in real Chromium: Quorum's /teams/panel framed by a stand-in Teams
// host (tests/support/teams-host-stand-in.ts) at Teams' origin, which answers teams-js over
// postMessage — the side panel frame context, the meeting context, and a Teams SSO token signed
// by the fake Entra. Two Teams meetings of Ana and Raj went through Quorum (start, transcript,
// summary); the panel in the second shows its agenda (with last meeting's open item) and its
// open action items, and "Schedule follow-up" posts times into the meeting chat.
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Frame } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEAMS_VTT, waitForStatus } from '../../integration/meetings/people.ts';
import { launchChromium } from '../../support/chromium.ts';
import { json } from '../../support/quorum-app.ts';
import {
  openInTeams,
  type TeamsHost,
  type TeamsHostConfig,
} from '../../support/teams-host-stand-in.ts';
import {
  ANA,
  MS_TENANT,
  meetingEvent,
  setUpTeamsMeeting,
  teamsMeetingIn,
  teamsOrg,
  textOf,
  type TeamsOrg,
  type TestTeamsMeeting,
} from './teams-org.ts';

// This week's meeting: two commitments, one of which Ana marks done before opening the panel.
const SECOND_VTT = `WEBVTT

5e6f7a8b-0001
00:00:01.000 --> 00:00:05.000
<v Ana Lopez>Thanks for joining the follow-up on the platform hiring.</v>

5e6f7a8b-0002
00:00:06.000 --> 00:00:10.000
<v Ana Lopez>I'll book the interview rooms for the candidates by Thursday.</v>

5e6f7a8b-0003
00:00:11.000 --> 00:00:15.000
<v Raj Patel>I will draft the onboarding checklist for the new engineers.</v>
`;

let org: TeamsOrg;
let browser: Browser;
let audience: string;
const last = teamsMeetingIn(31);
const current = teamsMeetingIn(32);
let openTask: string;
let doneTask: string;

/** Start, transcript, end: the meeting summarized, as Teams and Graph make it happen. */
async function holdMeeting(m: TestTeamsMeeting, vtt: string) {
  setUpTeamsMeeting(org, m);
  expect((await org.send(meetingEvent(org, m, 'Start'))).status).toBe(200);
  org.graph.transcripts.set(`${ANA.aadObjectId}/${m.onlineMeetingId}`, [
    { id: `transcript-${m.onlineMeetingId}`, createdDateTime: new Date().toISOString(), vtt },
  ]);
  expect((await org.send(meetingEvent(org, m, 'End'))).status).toBe(200);
  const list = await json(org.ana.request('/api/meetings'));
  const meeting = list.meetings.find((x: { title: string }) => x.title === m.title);
  expect(meeting).toBeDefined();
  const ready = await waitForStatus(org.ana, meeting.id, ['ready', 'failed'], 60_000);
  expect(ready.status).toBe('ready');
  return ready as { id: string; actionItems: Array<{ index: number; task: string }> };
}

beforeAll(async () => {
  org = await teamsOrg();
  browser = await launchChromium();
  audience = `api://${new URL(org.app.url).host}/botid-${org.connector.appId}`;
  await holdMeeting(last, TEAMS_VTT);
  const meeting = await holdMeeting(current, SECOND_VTT);
  expect(meeting.actionItems.length).toBeGreaterThanOrEqual(2);
  const [first, second] = meeting.actionItems;
  doneTask = first!.task;
  openTask = second!.task;
  const marked = await org.ana.request(`/api/meetings/${meeting.id}/action-items/${first!.index}`, {
    method: 'PATCH',
    json: { done: true },
  });
  expect(marked.status).toBe(200);
}, 180_000);

afterAll(async () => {
  if (process.env.SHOW_LOGS) console.log(org.app.logs().slice(-8000));
  await browser?.close();
  await org?.stop();
});

const sso = (who: { oid: string; email: string }, tenantId = MS_TENANT) =>
  org.connector.signSso({ tenantId, audience, oid: who.oid, email: who.email });

function hostConfig(
  m: TestTeamsMeeting,
  who: { oid: string; email: string },
  authToken: TeamsHostConfig['authToken'],
): TeamsHostConfig {
  return {
    appUrl: `${org.app.url}/teams/panel`,
    frameContext: 'sidePanel',
    context: {
      tid: MS_TENANT,
      userObjectId: who.oid,
      loginHint: who.email,
      meetingId: m.teamsMeetingId,
      chatId: m.chat,
    },
    authToken,
  };
}

/** The panel opened in the stand-in Teams, with what went wrong in the page collected. */
async function openPanel(config: TeamsHostConfig) {
  const context = await browser.newContext();
  const host = await openInTeams(context, config);
  const errors: string[] = [];
  host.page.on('pageerror', (e) => errors.push(e.message));
  return { host, context, errors };
}

/**
 * No serious or critical accessibility problem in the panel (the framed page), and headings in
 * order (a side panel is read by its headings).
 */
async function expectAccessible(host: TeamsHost, name: string) {
  const { violations } = await new AxeBuilder({ page: host.page }).include('#app').analyze();
  const serious = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical' || v.id === 'heading-order')
    .map(
      (v) =>
        `${name}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.map((n) => n.target).join(', ')}`,
    );
  expect(serious).toEqual([]);
}

const ANA_ID = { oid: ANA.aadObjectId, email: ANA.email };

describe('the meeting side panel in Teams', () => {
  it('signs in with Teams SSO and shows the agenda and the open action items', async () => {
    const token = await sso(ANA_ID);
    const { host, context, errors } = await openPanel(hostConfig(current, ANA_ID, { token }));
    try {
      const panel: Frame = host.app();
      await panel.getByRole('heading', { name: current.title }).waitFor();
      // The agenda: last meeting's item still open, as a follow-up.
      const agenda = panel.getByRole('region', { name: 'Agenda' });
      expect(await agenda.innerText()).toMatch(/Follow up: .*spreadsheet/);
      // This meeting's action items: the open one, not the one Ana marked done.
      const items = panel.getByRole('list', { name: 'Action items' });
      const shown = await items.innerText();
      expect(shown).toContain(openTask);
      expect(shown).not.toContain(doneTask);
      // teams-js asked the host exactly what the panel needs, and had each answered.
      const asked = await host.received();
      expect(asked.map((m) => m.func).slice(0, 4)).toEqual([
        'initialize',
        'getContext',
        'registerHandler',
        'authentication.getAuthToken',
      ]);
      expect(asked[2]!.args).toEqual(['themeChange']);
      // initialize says the app's teams-js version and the runtime API version it speaks.
      expect(asked[0]!.args.slice(0, 2)).toEqual([expect.stringMatching(/^2\.\d+\.\d+$/), 4]);
      expect(asked.filter((m) => !m.answered)).toEqual([]);
      await expectAccessible(host, 'panel');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('follows the Teams theme: dark when Teams is dark, light again when the person switches', async () => {
    const config = hostConfig(current, ANA_ID, { token: await sso(ANA_ID) });
    const { host, context, errors } = await openPanel({
      ...config,
      context: { ...config.context, theme: 'dark' },
    });
    try {
      const panel: Frame = host.app();
      await panel.getByRole('heading', { name: current.title }).waitFor();
      const background = () =>
        panel
          .locator('.fui-FluentProvider')
          .first()
          .evaluate((root) => {
            // Runs in the page; the server tsconfig has no DOM library.
            const view = (root as { ownerDocument: { defaultView: unknown } }).ownerDocument
              .defaultView as { getComputedStyle(e: unknown): { backgroundColor: string } };
            return view.getComputedStyle(root).backgroundColor;
          });
      // Fluent's Teams dark theme paints the page #292929, its light theme white.
      expect(await background()).toBe('rgb(41, 41, 41)');
      await host.themeChange('default');
      await expect.poll(background).toBe('rgb(255, 255, 255)');
      await expectAccessible(host, 'light after dark');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('"Schedule follow-up" posts follow-up times into the meeting chat', async () => {
    const { host, context, errors } = await openPanel(
      hostConfig(current, ANA_ID, { token: await sso(ANA_ID) }),
    );
    try {
      const panel = host.app();
      await panel.getByRole('heading', { name: current.title }).waitFor();
      const before = org.connector.cardsIn(current.chat).length;
      await panel.getByRole('button', { name: 'Schedule follow-up' }).click();
      await panel.getByText('Follow-up times are in the meeting chat.').waitFor();
      // The panel asked Teams for a token again rather than reuse the one it opened with (the
      // panel stays open longer than a token lives).
      const tokenAsks = (await host.received()).filter(
        (m) => m.func === 'authentication.getAuthToken',
      );
      expect(tokenAsks).toHaveLength(2);
      // Only follow-up cards count: the delivery job may post the meeting's summary card into
      // the same chat at any moment.
      const cards = org.connector
        .cardsIn(current.chat)
        .slice(before)
        .filter((card) => textOf(card).includes('A follow-up of'));
      expect(cards).toHaveLength(1);
      expect(textOf(cards[0])).toContain(`A follow-up of “${current.title}”`);
      expect(textOf(cards[0])).toContain('quorum.book');
      await expectAccessible(host, 'follow-up posted');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('tells a Teams user Quorum does not know to connect, instead of failing', async () => {
    const stranger = { oid: 'f6f6f6f6-0000-4000-8000-00000000f0f6', email: 'zoe@acme.example' };
    const { host, context, errors } = await openPanel(
      hostConfig(current, stranger, { token: await sso(stranger) }),
    );
    try {
      const panel = host.app();
      const notice = panel.getByRole('status');
      await notice.getByText('Quorum does not know you yet').waitFor();
      expect(await notice.innerText()).toContain('send "connect" to Quorum in Teams');
      expect(await panel.locator('body').innerText()).not.toMatch(/at \w+ \(|Error:/);
      expect(await panel.getByRole('button', { name: 'Schedule follow-up' }).count()).toBe(0);
      await expectAccessible(host, 'not linked');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('says how to sign in when Teams gives no token', async () => {
    const { host, context, errors } = await openPanel(
      hostConfig(current, ANA_ID, { error: 'resourceRequiresConsent' }),
    );
    try {
      const panel = host.app();
      await panel.getByText('Teams could not sign you in to Quorum').waitFor();
      expect(await panel.locator('body').innerText()).not.toContain('resourceRequiresConsent');
      await expectAccessible(host, 'no token');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('in the tab’s configuration step, saves the panel’s page for the meeting', async () => {
    const config = { ...hostConfig(current, ANA_ID, { token: await sso(ANA_ID) }) };
    config.frameContext = 'settings';
    const { host, context, errors } = await openPanel(config);
    try {
      const panel = host.app();
      await panel.getByText('Quorum adds its panel to this meeting').waitFor();
      await expect
        .poll(async () => (await host.received()).map((m) => m.func))
        .toContain('settings.setValidityState');
      await host.save();
      await expect
        .poll(async () => (await host.received()).map((m) => m.func))
        .toContain('settings.save.success');
      const setSettings = (await host.received()).find((m) => m.func === 'settings.setSettings');
      expect(setSettings?.args[0]).toMatchObject({
        contentUrl: `${org.app.url}/teams/panel`,
        entityId: 'quorum-meeting-panel',
      });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('opened outside Teams, says to open it in a Teams meeting', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${org.app.url}/teams/panel`);
      await page.getByText('Open this panel in a Teams meeting.').waitFor();
    } finally {
      await page.close();
    }
  });
});
