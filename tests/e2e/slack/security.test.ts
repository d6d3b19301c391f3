// Requests that are not Slack's, or not fresh, are refused with 401 and change nothing: a bad
// signature, a timestamp older than five minutes, and the same signed request sent twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ANA,
  BOT_TOKEN,
  SIGNING_SECRET,
  TEAM,
  settled,
  slackOrg,
  type SlackOrg,
} from './slack-org.ts';
import { SlackSender } from '../../support/fake-slack.ts';
import { json } from '../../support/quorum-app.ts';

let org: SlackOrg;

beforeAll(async () => {
  org = await slackOrg();
});
afterAll(async () => {
  await org?.stop();
});

function homeOpened() {
  return JSON.stringify({
    token: 'deprecated-verification-token',
    team_id: TEAM,
    api_app_id: 'A0QUORUM',
    event: {
      type: 'app_home_opened',
      user: 'U0ANA',
      channel: 'D0ANA',
      tab: 'home',
      event_ts: '1.0',
    },
    type: 'event_callback',
    event_id: `Ev${Date.now()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: TEAM,
        user_id: 'U0QUORUMBOT',
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
  });
}

async function nothingHappened(): Promise<void> {
  await settled(org);
  await new Promise((r) => setTimeout(r, 100));
  expect(org.fake.calls).toEqual([]);
  expect(org.fake.responses).toEqual([]);
}

describe('request verification', () => {
  it('refuses a request signed with another secret', async () => {
    const forger = new SlackSender(org.app.url, 'not-the-signing-secret-of-this-app', org.fake);
    const { res } = await forger.command(ANA, 'find 30m next week');
    expect(res.status).toBe(401);
    expect((await json(res)).message).toMatch(/signature mismatch/);
    const event = await forger.send(homeOpened(), 'application/json');
    expect(event.status).toBe(401);
    await nothingHappened();
  });

  it('refuses a body changed after signing', async () => {
    const body = homeOpened();
    const headers = org.slack.sign(body);
    const res = await fetch(`${org.app.url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: body.replace('U0ANA', 'U0RAJ'),
    });
    expect(res.status).toBe(401);
    await nothingHappened();
  });

  it('refuses a timestamp older than five minutes, even correctly signed', async () => {
    const stale = Math.floor(Date.now() / 1000) - 5 * 60 - 5;
    const res = await org.slack.send(homeOpened(), 'application/json', { timestamp: stale });
    expect(res.status).toBe(401);
    expect((await json(res)).message).toMatch(/5-minute window/);
    await nothingHappened();
  });

  it('refuses a request without a signature', async () => {
    const res = await fetch(`${org.app.url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: homeOpened(),
    });
    expect(res.status).toBe(401);
    await nothingHappened();
  });

  it('refuses the same signed request a second time, and does what it asked once', async () => {
    const body = homeOpened();
    const headers = { 'content-type': 'application/json', ...org.slack.sign(body) };
    const first = await fetch(`${org.app.url}/slack/events`, { method: 'POST', headers, body });
    expect(first.status).toBe(200);
    await org.fake.waitFor(() => org.fake.callsOf('views.publish').length === 1);
    const replay = await fetch(`${org.app.url}/slack/events`, { method: 'POST', headers, body });
    expect(replay.status).toBe(401);
    expect((await json(replay)).message).toMatch(/already received/);
    await settled(org);
    expect(org.fake.callsOf('views.publish')).toHaveLength(1);
  });

  it('never writes the bot token or the signing secret to the logs', () => {
    const logs = org.app.logs();
    expect(logs).not.toContain(BOT_TOKEN);
    expect(logs).not.toContain(SIGNING_SECRET);
    expect(logs).toContain('Slack request refused');
  });
});
