// The Slack app manifest, made from Quorum's public URL and the scopes, command, shortcut and
// events the code uses (bots/slack/scopes.ts). Paste its JSON at https://api.slack.com/apps →
// Create New App → From a manifest.
//
//   node manifests/slack/manifest.ts https://quorum.example.com [--socket-mode]
import { fileURLToPath } from 'node:url';
import {
  BOT_EVENTS,
  BOT_SCOPES,
  MESSAGE_SHORTCUT,
  SLASH_COMMAND,
} from '../../bots/slack/scopes.ts';

export interface SlackManifestOptions {
  /** Events over Socket Mode (SLACK_APP_TOKEN) instead of HTTP request URLs. */
  socketMode?: boolean;
  /** Shown in Slack; default "Quorum". */
  name?: string;
}

export function slackManifest(baseUrl: string, options: SlackManifestOptions = {}) {
  const url = new URL(baseUrl);
  if (url.protocol !== 'https:' && url.hostname !== 'localhost' && url.hostname !== '127.0.0.1') {
    throw new Error(`Slack calls only https URLs; ${baseUrl} is not one.`);
  }
  const base = url.href.replace(/\/+$/, '');
  const events = `${base}/slack/events`;
  const http = !options.socketMode;
  const name = options.name ?? 'Quorum';
  return {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      name,
      description: 'Find meeting times across everyone’s calendars and book them from Slack.',
      background_color: '#1d3557',
    },
    features: {
      app_home: {
        home_tab_enabled: true,
        messages_tab_enabled: true,
        messages_tab_read_only_enabled: true,
      },
      bot_user: { display_name: name, always_online: true },
      slash_commands: [
        {
          command: SLASH_COMMAND.command,
          ...(http ? { url: events } : {}),
          description: SLASH_COMMAND.description,
          usage_hint: SLASH_COMMAND.usageHint,
          // Mentions arrive as <@U123|name>, which identify people; plain names would not.
          should_escape: true,
        },
      ],
      shortcuts: [
        {
          name: MESSAGE_SHORTCUT.name,
          type: 'message',
          callback_id: MESSAGE_SHORTCUT.callbackId,
          description: MESSAGE_SHORTCUT.description,
        },
      ],
    },
    oauth_config: {
      redirect_urls: [`${base}/slack/oauth_redirect`],
      scopes: { bot: [...BOT_SCOPES] },
    },
    settings: {
      event_subscriptions: {
        ...(http ? { request_url: events } : {}),
        bot_events: [...BOT_EVENTS],
      },
      interactivity: { is_enabled: true, ...(http ? { request_url: events } : {}) },
      org_deploy_enabled: false,
      socket_mode_enabled: !http,
      token_rotation_enabled: false,
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [baseUrl, ...flags] = process.argv.slice(2);
  if (!baseUrl) {
    process.stderr.write(
      'usage: node manifests/slack/manifest.ts <QUORUM_BASE_URL> [--socket-mode]\n',
    );
    process.exit(2);
  }
  const manifest = slackManifest(baseUrl, { socketMode: flags.includes('--socket-mode') });
  process.stdout.write(`${JSON.stringify(manifest, null, 2)}\n`);
}
