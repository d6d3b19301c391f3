// The Slack manifest asks for exactly the scopes of the Web API methods the code calls: the
// code under bots/slack is read for its `client.<family>.<method>(` calls, and each call must be
// in the method table the manifest is made from, and each table entry must be called.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { METHOD_SCOPES } from '../../../bots/slack/scopes.ts';
import { slackManifest } from '../../../manifests/slack/manifest.ts';

const ROOT = path.resolve(import.meta.dirname, '../../../bots/slack');
// Called by @slack/oauth during the install, not by Quorum's own code.
const CALLED_BY_THE_INSTALLER = ['auth.test', 'oauth.v2.access'];
const WEB_API_CALL =
  /\.\s*(admin|apps|auth|bookmarks|calls|chat|conversations|dnd|files|oauth|pins|reactions|reminders|search|team|usergroups|users|views)\s*\.\s*(?:(v2)\s*\.\s*)?([a-zA-Z]+)\s*\(/g;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

function methodsCalled(): Set<string> {
  const called = new Set<string>();
  for (const file of sources(ROOT)) {
    for (const match of readFileSync(file, 'utf8').matchAll(WEB_API_CALL)) {
      called.add([match[1], match[2], match[3]].filter(Boolean).join('.'));
    }
  }
  return called;
}

describe('the Slack manifest', () => {
  it('lists every Web API method the code calls in its scope table, and no other', () => {
    const called = methodsCalled();
    expect(called.size).toBeGreaterThan(5);
    expect([...called, ...CALLED_BY_THE_INSTALLER].sort()).toEqual(
      Object.keys(METHOD_SCOPES).sort(),
    );
  });

  it('asks for exactly the scopes those methods need, plus commands', () => {
    const needed = new Set([...methodsCalled()].flatMap((m) => METHOD_SCOPES[m] ?? []));
    const manifest = slackManifest('https://quorum.example.com');
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed, 'commands'].sort());
  });

  it('points Slack at Quorum’s base URL', () => {
    const manifest = slackManifest('https://quorum.example.com/');
    const events = 'https://quorum.example.com/slack/events';
    expect(manifest.settings.event_subscriptions).toEqual({
      request_url: events,
      bot_events: ['app_home_opened'],
    });
    expect(manifest.settings.interactivity).toEqual({ is_enabled: true, request_url: events });
    expect(manifest.features.slash_commands).toEqual([
      expect.objectContaining({ command: '/meet', url: events, should_escape: true }),
    ]);
    expect(manifest.features.shortcuts[0]).toMatchObject({
      type: 'message',
      callback_id: 'quorum_schedule_thread',
    });
    expect(manifest.oauth_config.redirect_urls).toEqual([
      'https://quorum.example.com/slack/oauth_redirect',
    ]);
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });

  it('leaves request URLs out in Socket Mode', () => {
    const manifest = slackManifest('https://quorum.example.com', { socketMode: true });
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(JSON.stringify(manifest)).not.toContain('/slack/events');
  });

  it('refuses a base URL Slack cannot call', () => {
    expect(() => slackManifest('http://quorum.example.com')).toThrow(/only https/);
  });
});
