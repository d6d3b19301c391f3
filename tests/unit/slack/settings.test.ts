// Slack's settings: off without them, one workspace or many, Socket Mode chosen by the app
// token, and half-set settings refused naming what is missing (never echoing a secret).
import { describe, expect, it } from 'vitest';
import { slackTransport } from '../../../bots/slack/index.ts';
import { loadConfig } from '../../../infra/server/config.ts';

const SECRET = 'e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6';

function slack(env: Record<string, string>) {
  const result = loadConfig(env);
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return result.config.slack;
}

function problems(env: Record<string, string>): string[] {
  const result = loadConfig(env);
  return result.ok ? [] : result.problems;
}

describe('Slack settings', () => {
  it('leaves Slack off when none are set', () => {
    expect(slack({})).toBeUndefined();
  });

  it('serves one workspace with a signing secret and a bot token, over HTTP', () => {
    const settings = slack({ SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: 'xoxb-1-2-abc' })!;
    expect(settings.workspaces).toEqual({ kind: 'one', botToken: 'xoxb-1-2-abc' });
    expect(slackTransport(settings)).toBe('http');
  });

  it('serves many workspaces with the OAuth client settings', () => {
    const settings = slack({
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_CLIENT_ID: '1.2',
      SLACK_CLIENT_SECRET: 'client-secret',
      SLACK_STATE_SECRET: 'state-secret-sixteen',
      SLACK_API_URL: 'http://127.0.0.1:9/api',
    })!;
    expect(settings.workspaces).toEqual({
      kind: 'many',
      clientId: '1.2',
      clientSecret: 'client-secret',
      stateSecret: 'state-secret-sixteen',
    });
    expect(settings.apiUrl).toBe('http://127.0.0.1:9/api/');
  });

  it('chooses Socket Mode when an app-level token is set', () => {
    const settings = slack({ SLACK_APP_TOKEN: 'xapp-1-A1-abc', SLACK_BOT_TOKEN: 'xoxb-1-2-abc' })!;
    expect(slackTransport(settings)).toBe('socket');
  });

  it('refuses half-set settings, naming what is missing', () => {
    expect(problems({ SLACK_SIGNING_SECRET: SECRET })).toEqual([
      expect.stringMatching(/^SLACK_BOT_TOKEN: Slack needs SLACK_BOT_TOKEN/),
    ]);
    expect(problems({ SLACK_BOT_TOKEN: 'xoxb-1-2-abc' })).toEqual([
      expect.stringMatching(/^SLACK_SIGNING_SECRET: Slack over HTTP needs/),
    ]);
    expect(problems({ SLACK_SIGNING_SECRET: SECRET, SLACK_CLIENT_ID: '1.2' })).toEqual([
      expect.stringMatching(/SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET together/),
    ]);
    expect(
      problems({
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
        SLACK_CLIENT_ID: '1.2',
        SLACK_CLIENT_SECRET: 'client-secret',
        SLACK_STATE_SECRET: 'state-secret-sixteen',
      }),
    ).toEqual([expect.stringMatching(/not both/)]);
  });

  it('says a token is malformed without printing it', () => {
    const found = problems({
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: 'xoxp-user-token-123',
    });
    expect(found).toEqual(['SLACK_BOT_TOKEN: is not valid']);
  });
});
