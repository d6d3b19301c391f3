// The Slack app manifest as a ManifestModule: the HTTP manifest (request URLs on Quorum's base
// URL) and the Socket Mode variant, each checked against the fields and limits of Slack's
// documented app manifest (version 1). The schema is strict: a field Slack does not know, a name
// too long for Slack, or an HTTP manifest without its request URLs is a problem, not a surprise
// at "Create New App".
import { z } from 'zod';
import type { ManifestFile, ManifestModule } from '../types.ts';
import { slackManifest } from './manifest.ts';

const url = z.string().regex(/^https?:\/\//, 'must be an http(s) URL');
const requestUrl = url.max(3500);
const hexColor = z.string().regex(/^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$/, 'must be #rgb or #rrggbb');
const shortText = (max: number) => z.string().min(1).max(max);
const scopes = z.array(z.string().max(50)).max(255);

/** Slack's app manifest, version 1: the parts Quorum can produce, each with Slack's limits. */
export const slackManifestSchema = z
  .strictObject({
    _metadata: z
      .strictObject({ major_version: z.literal(1), minor_version: z.number().int().min(0) })
      .optional(),
    display_information: z.strictObject({
      name: shortText(35),
      description: shortText(140).optional(),
      long_description: z.string().min(175).max(4000).optional(),
      background_color: hexColor.optional(),
    }),
    features: z
      .strictObject({
        app_home: z
          .strictObject({
            home_tab_enabled: z.boolean().optional(),
            messages_tab_enabled: z.boolean().optional(),
            messages_tab_read_only_enabled: z.boolean().optional(),
          })
          .optional(),
        bot_user: z
          .strictObject({ display_name: shortText(80), always_online: z.boolean().optional() })
          .optional(),
        slash_commands: z
          .array(
            z.strictObject({
              command: z
                .string()
                .min(2)
                .max(32)
                .regex(/^\/[a-z0-9_-]+$/, 'must be / followed by lower-case letters'),
              url: url.max(3000).optional(),
              description: shortText(2000),
              usage_hint: shortText(1000).optional(),
              should_escape: z.boolean().optional(),
            }),
          )
          .min(1)
          .max(50)
          .optional(),
        shortcuts: z
          .array(
            z.strictObject({
              name: shortText(24),
              type: z.enum(['message', 'global']),
              callback_id: shortText(255),
              description: shortText(150),
            }),
          )
          .min(1)
          .max(10)
          .optional(),
        unfurl_domains: z.array(z.string().max(255)).min(1).max(5).optional(),
      })
      .optional(),
    oauth_config: z
      .strictObject({
        redirect_urls: z.array(z.string().max(2500)).max(1000).optional(),
        scopes: z
          .strictObject({
            bot: scopes.optional(),
            user: scopes.optional(),
            bot_optional: scopes.optional(),
            user_optional: scopes.optional(),
          })
          .optional(),
        token_management_enabled: z.boolean().optional(),
        pkce_enabled: z.boolean().optional(),
      })
      .optional(),
    settings: z
      .strictObject({
        event_subscriptions: z
          .strictObject({
            request_url: requestUrl.optional(),
            bot_events: z.array(z.string().max(50)).max(100).optional(),
            user_events: z.array(z.string().max(50)).max(100).optional(),
          })
          .optional(),
        interactivity: z
          .strictObject({
            is_enabled: z.boolean(),
            request_url: requestUrl.optional(),
            message_menu_options_url: requestUrl.optional(),
          })
          .optional(),
        org_deploy_enabled: z.boolean().optional(),
        socket_mode_enabled: z.boolean().optional(),
        token_rotation_enabled: z.boolean().optional(),
        allowed_ip_address_ranges: z.array(z.string()).min(1).max(50).optional(),
      })
      .optional(),
  })
  .superRefine((m, ctx) => {
    // Over HTTP, Slack needs somewhere to send what the manifest subscribes to.
    if (m.settings?.socket_mode_enabled) return;
    const need = (ok: boolean, path: string[], message: string) => {
      if (!ok) ctx.addIssue({ code: 'custom', path, message });
    };
    const events = m.settings?.event_subscriptions;
    need(
      !events?.bot_events?.length || Boolean(events.request_url),
      ['settings', 'event_subscriptions', 'request_url'],
      'bot events over HTTP need a request URL (or socket_mode_enabled)',
    );
    need(
      !m.settings?.interactivity?.is_enabled || Boolean(m.settings.interactivity.request_url),
      ['settings', 'interactivity', 'request_url'],
      'interactivity over HTTP needs a request URL (or socket_mode_enabled)',
    );
    for (const [i, command] of (m.features?.slash_commands ?? []).entries()) {
      need(
        Boolean(command.url),
        ['features', 'slash_commands', String(i), 'url'],
        `${command.command} over HTTP needs a url (or socket_mode_enabled)`,
      );
    }
  });

const FILES = {
  http: 'slack/manifest.json',
  socketMode: 'slack/manifest-socket-mode.json',
} as const;

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export const slackManifestModule: ManifestModule = {
  platform: 'slack',

  async generate(baseUrl: string): Promise<ManifestFile[]> {
    return [
      { path: FILES.http, content: json(slackManifest(baseUrl)) },
      { path: FILES.socketMode, content: json(slackManifest(baseUrl, { socketMode: true })) },
    ];
  },

  async validate(files: ManifestFile[]): Promise<string[]> {
    const problems: string[] = [];
    for (const expected of Object.values(FILES)) {
      if (!files.some((f) => f.path === expected)) problems.push(`${expected}: missing`);
    }
    for (const file of files) {
      const text =
        typeof file.content === 'string' ? file.content : new TextDecoder().decode(file.content);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        problems.push(`${file.path}: not JSON (${(error as Error).message})`);
        continue;
      }
      const result = slackManifestSchema.safeParse(parsed);
      if (!result.success) {
        for (const issue of result.error.issues) {
          problems.push(`${file.path}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
        }
      }
    }
    return problems;
  },
};
