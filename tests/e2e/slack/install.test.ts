// Many workspaces: Bolt's OAuth install through Quorum's own pages, the bot token stored sealed
// in the database, the workspace linked to the installing administrator's organization, and
// commands from it answered with its own token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackWorkspace } from '../../../bots/slack/store/workspaces.ts';
import { SlackSender, startFakeSlack, type FakeSlack } from '../../support/fake-slack.ts';
import { Browser, json, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';
import {
  installSlack,
  SLACK_OAUTH_SIGNING_SECRET,
  slackOAuthEnv,
} from '../../support/slack-install.ts';
import { textOf } from './slack-org.ts';

const NEW_TOKEN = 'xoxb-3333-4444-newteamtoken';
let app: TestQuorum;
let fake: FakeSlack;
let ana: Browser;
let bea: Browser;
let anaTenant: string;
const PASSWORD = 'copper-meadow-signal-58';

async function signUp(
  organization: string,
  name: string,
  email: string,
  ip: string,
): Promise<Browser> {
  const browser = new Browser(app.url);
  const res = await browser.request('/auth/signup', {
    method: 'POST',
    headers: { 'x-forwarded-for': ip },
    json: { organization, name, email, password: PASSWORD },
  });
  expect(res.status).toBe(201);
  return browser;
}

/** The install as Ana or Bea's browser goes through it, into workspace `teamId`. */
function install(browser: Browser, code: string, teamId: string): Promise<Response> {
  return installSlack(browser, fake, {
    code,
    teamId,
    teamName: 'Newco',
    botToken: NEW_TOKEN,
    botUserId: 'U0NEWBOT',
    installerId: 'U0INSTALLER',
  });
}

beforeAll(async () => {
  fake = await startFakeSlack();
  app = await startTestQuorum({ ...slackOAuthEnv(fake), QUORUM_OPEN_SIGNUP: 'true' });
  ana = await signUp('Acme', 'Ana Lopez', 'ana@acme.example', '192.0.2.91');
  bea = await signUp('Beta', 'Bea Berg', 'bea@beta.example', '192.0.2.92');
  anaTenant = (await json(ana.request('/api/me'))).tenantId;
});
afterAll(async () => {
  await app?.stop();
  await fake?.close();
});

describe('installing into a workspace', () => {
  it('asks for an administrator’s sign-in before sending anyone to Slack', async () => {
    const res = await fetch(`${app.url}/slack/install`, { redirect: 'manual' });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('Sign in as an administrator first');
  });

  it('installs, links the workspace to the administrator’s organization, and seals the token', async () => {
    const done = await install(ana, 'code-acme-1', 'T0NEWCO');
    expect(done.status, await done.clone().text()).toBe(200);
    expect(await done.text()).toContain('Quorum is installed in <strong>Newco</strong>');
    expect(fake.callsOf('oauth.v2.access')[0]!.args.code).toBe('code-acme-1');
    const stored = await app.quorum.store.controlModel(SlackWorkspace).findById('T0NEWCO').lean();
    expect(stored).toMatchObject({
      tenantId: anaTenant,
      teamName: 'Newco',
      botUserId: 'U0NEWBOT',
      installedBy: 'U0INSTALLER',
    });
    expect(stored!.botToken).toBeTruthy();
    expect(JSON.stringify(stored)).not.toContain(NEW_TOKEN);
    expect(JSON.stringify(stored)).not.toContain('newteamtoken');
    // The organization's audit log names the install for what it is.
    const audit = await json(ana.request('/api/audit'));
    expect(audit.verification.intact).toBe(true);
    expect(audit.entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'integration.installed',
          target: 'slack-workspace:T0NEWCO',
          details: expect.objectContaining({ platform: 'slack' }),
        }),
      ]),
    );
  });

  it('answers commands from the workspace with its own token', async () => {
    fake.addUser({
      id: 'U0ANANEW',
      teamId: 'T0NEWCO',
      name: 'Ana Lopez',
      email: 'ana@acme.example',
    });
    const slack = new SlackSender(app.url, SLACK_OAUTH_SIGNING_SECRET, fake);
    const sent = await slack.command({ teamId: 'T0NEWCO', userId: 'U0ANANEW' }, 'connect');
    const answer = await fake.waitFor(() => fake.responsesTo(sent.responseUrl)[0]);
    expect(textOf(answer.body.blocks as Array<Record<string, unknown>>)).toContain(
      'connected to Quorum as *Ana Lopez*',
    );
    const lookup = fake.callsOf('users.info').find((c) => c.args.user === 'U0ANANEW');
    expect(lookup?.token).toBe(NEW_TOKEN);
  });

  it('tells someone in a workspace Quorum is not installed in where to add it', async () => {
    const slack = new SlackSender(app.url, SLACK_OAUTH_SIGNING_SECRET, fake);
    const sent = await slack.command({ teamId: 'T0UNKNOWN', userId: 'U0X' }, 'find 30m next week');
    expect(sent.res.status).toBe(200);
    const answer = await fake.waitFor(() => fake.responsesTo(sent.responseUrl)[0]);
    expect(textOf(answer.body.blocks as Array<Record<string, unknown>>)).toContain(
      `${app.url}/slack/install`,
    );
  });

  it('keeps a workspace with its organization when another organization’s admin installs it', async () => {
    const refused = await install(bea, 'code-beta-1', 'T0NEWCO');
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('already linked to another Quorum organization');
    const stored = await app.quorum.store.controlModel(SlackWorkspace).findById('T0NEWCO').lean();
    expect(stored!.tenantId).toBe(anaTenant);
  });

  it('refuses a callback whose state does not belong to this browser', async () => {
    const start = await ana.request('/slack/install');
    const state = new URL(start.headers.get('location')!).searchParams.get('state');
    fake.grants.set('code-stolen', {
      code: 'code-stolen',
      teamId: 'T0EVIL',
      teamName: 'Evil',
      botToken: 'xoxb-evil-0000-token',
      botUserId: 'U0E',
      installerId: 'U0E',
    });
    const res = await fetch(`${app.url}/slack/oauth_redirect?code=code-stolen&state=${state}`);
    expect(res.status).toBe(400);
    expect(
      await app.quorum.store.controlModel(SlackWorkspace).countDocuments({ _id: 'T0EVIL' }),
    ).toBe(0);
  });
});
