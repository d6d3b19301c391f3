// The Slack app's settings: one workspace (a bot token) or many (OAuth installs), over HTTP
// (signing secret) or Socket Mode (app token). infra/server/config.ts composes this with the
// other parts of the configuration.
import { z } from 'zod';
import { httpUrl, type ConfigSection } from '../../core/config.ts';

const schema = z.object({
  SLACK_SIGNING_SECRET: z
    .string()
    .min(16, 'must be the signing secret from Basic Information')
    .optional(),
  SLACK_BOT_TOKEN: z.string().startsWith('xoxb-', 'must be a bot token (xoxb-…)').optional(),
  SLACK_CLIENT_ID: z.string().min(1).optional(),
  SLACK_CLIENT_SECRET: z.string().min(1).optional(),
  SLACK_STATE_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  SLACK_APP_TOKEN: z.string().startsWith('xapp-', 'must be an app-level token (xapp-…)').optional(),
  SLACK_API_URL: httpUrl.optional(),
});

type Values = z.infer<typeof schema>;

export interface SlackSettings {
  /** Verifies requests over HTTP; not needed in Socket Mode. */
  signingSecret: string | undefined;
  /** One workspace (a bot token from the settings) or many (OAuth installs). */
  workspaces:
    | { kind: 'one'; botToken: string }
    | { kind: 'many'; clientId: string; clientSecret: string; stateSecret: string };
  /** Set: events arrive over Socket Mode instead of HTTP. */
  appToken: string | undefined;
  /** The Web API base URL (tests and proxies); Slack's own when unset. */
  apiUrl: string | undefined;
}

/** Slack is on when its settings are complete, off when none are set, refused when half set. */
export const slackConfig: ConfigSection<typeof schema.shape, { slack: SlackSettings | undefined }> =
  {
    schema,
    secrets: [
      'SLACK_SIGNING_SECRET',
      'SLACK_BOT_TOKEN',
      'SLACK_CLIENT_SECRET',
      'SLACK_STATE_SECRET',
      'SLACK_APP_TOKEN',
    ],
    settings(e) {
      const slack = slackSettings(e);
      return typeof slack === 'string' ? slack : { slack };
    },
  };

function slackSettings(e: Values): SlackSettings | undefined | string {
  const oauth = [e.SLACK_CLIENT_ID, e.SLACK_CLIENT_SECRET, e.SLACK_STATE_SECRET];
  const anyOauth = oauth.some((v) => v !== undefined);
  const any = anyOauth || e.SLACK_SIGNING_SECRET || e.SLACK_BOT_TOKEN || e.SLACK_APP_TOKEN;
  if (!any) return undefined;
  if (anyOauth && oauth.some((v) => v === undefined)) {
    return 'SLACK_CLIENT_ID: many workspaces need SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET together';
  }
  if (anyOauth && e.SLACK_BOT_TOKEN) {
    return 'SLACK_BOT_TOKEN: set either SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET (many workspaces), not both';
  }
  if (!anyOauth && !e.SLACK_BOT_TOKEN) {
    return 'SLACK_BOT_TOKEN: Slack needs SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET (many workspaces)';
  }
  if (!e.SLACK_APP_TOKEN && !e.SLACK_SIGNING_SECRET) {
    return 'SLACK_SIGNING_SECRET: Slack over HTTP needs its signing secret (or set SLACK_APP_TOKEN for Socket Mode)';
  }
  return {
    signingSecret: e.SLACK_SIGNING_SECRET,
    workspaces: e.SLACK_BOT_TOKEN
      ? { kind: 'one', botToken: e.SLACK_BOT_TOKEN }
      : {
          kind: 'many',
          clientId: e.SLACK_CLIENT_ID!,
          clientSecret: e.SLACK_CLIENT_SECRET!,
          stateSecret: e.SLACK_STATE_SECRET!,
        },
    appToken: e.SLACK_APP_TOKEN,
    apiUrl: e.SLACK_API_URL?.replace(/\/*$/, '/'),
  };
}
