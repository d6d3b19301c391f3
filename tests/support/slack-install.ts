// Installing Quorum's Slack app into a workspace the way an administrator does it (many
// workspaces: Bolt's OAuth install through Quorum's own pages), against the fake Slack: Quorum's
// start page redirects to Slack's consent, Slack hands out a code, the browser comes back to
// Quorum's redirect URL, and Quorum exchanges the code (oauth.v2.access) and stores the install.
import { expect } from 'vitest';
import { BOT_SCOPES } from '../../bots/slack/scopes.ts';
import type { FakeSlack, OAuthGrant } from './fake-slack.ts';
import type { Browser } from './quorum-app.ts';

export const SLACK_OAUTH_SIGNING_SECRET = '9c2b7e41d05a4f3c8e6a1b0d2f4e6a8c';

/** Settings for Quorum with the Slack app installable by OAuth, pointed at the fake Slack. */
export function slackOAuthEnv(fake: FakeSlack): Record<string, string> {
  return {
    SLACK_SIGNING_SECRET: SLACK_OAUTH_SIGNING_SECRET,
    SLACK_CLIENT_ID: '1234567890.0987654321',
    SLACK_CLIENT_SECRET: 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6',
    SLACK_STATE_SECRET: 'install-state-secret-for-tests',
    SLACK_API_URL: fake.apiUrl,
  };
}

/**
 * The browser's way through the install: Quorum's start page, Slack's consent (the fake grants
 * `grant`), the redirect back. Returns Quorum's answer to the redirect.
 */
export async function installSlack(
  browser: Browser,
  fake: FakeSlack,
  grant: OAuthGrant,
): Promise<Response> {
  const start = await browser.request('/slack/install');
  expect(start.status).toBe(302);
  const authorize = new URL(start.headers.get('location')!);
  expect(authorize.origin + authorize.pathname).toBe('https://slack.com/oauth/v2/authorize');
  expect(authorize.searchParams.get('scope')!.split(',').sort()).toEqual([...BOT_SCOPES].sort());
  expect(authorize.searchParams.get('redirect_uri')).toBe(`${browser.base}/slack/oauth_redirect`);
  fake.grants.set(grant.code, grant);
  return browser.request(
    `/slack/oauth_redirect?code=${grant.code}&state=${authorize.searchParams.get('state')}`,
  );
}
