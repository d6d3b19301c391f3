// The Teams bot's settings. infra/server/config.ts composes this with the other parts of the
// configuration.
import { z } from 'zod';
import { httpUrl, type ConfigSection } from '../../core/config.ts';

const schema = z.object({
  TEAMS_CLIENT_ID: z.string().min(1).optional(),
  TEAMS_CLIENT_SECRET: z.string().min(1).optional(),
  TEAMS_TENANT_ID: z.string().min(1).optional(),
  TEAMS_ALLOW_UNAUTHENTICATED: z.enum(['true', 'false']).default('false'),
  TEAMS_LOGIN_URL: httpUrl.default('https://login.microsoftonline.com'),
  TEAMS_OPENID_METADATA_URL: httpUrl.default(
    'https://login.botframework.com/v1/.well-known/openidconfiguration',
  ),
  TEAMS_GRAPH_URL: httpUrl.default('https://graph.microsoft.com'),
});

type Values = z.infer<typeof schema>;

export interface TeamsSettings {
  /**
   * The bot's Entra app registration. Absent only in local development with
   * TEAMS_ALLOW_UNAUTHENTICATED=true, where activities are accepted without a token.
   */
  credentials: { clientId: string; clientSecret: string; tenantId: string } | undefined;
  /** Entra's login host: the bot's own tokens (Bot Connector, Graph) come from here. */
  loginUrl: string;
  /** The Bot Connector's OpenID metadata; its signing keys verify incoming activities. */
  openIdMetadataUrl: string;
  /** Microsoft Graph's root, for meeting transcripts. */
  graphUrl: string;
}

export const teamsConfig: ConfigSection<typeof schema.shape, { teams: TeamsSettings | undefined }> =
  {
    schema,
    secrets: ['TEAMS_CLIENT_SECRET'],
    settings(e) {
      const teams = teamsSettings(e);
      return typeof teams === 'string' ? teams : { teams };
    },
  };

/** The bot's Entra app registration: the settings that turn Teams on in a deployment. */
export const TEAMS_REQUIRED_SETTINGS = [
  'TEAMS_CLIENT_ID',
  'TEAMS_CLIENT_SECRET',
  'TEAMS_TENANT_ID',
] as const;

/**
 * Teams is on with its three credentials, or in local development with
 * TEAMS_ALLOW_UNAUTHENTICATED=true and none of them; never with both (a deployment with
 * credentials must not accept unsigned activities by a forgotten flag).
 */
function teamsSettings(e: Values): TeamsSettings | undefined | string {
  const credentials = TEAMS_REQUIRED_SETTINGS.map((name) => e[name]);
  const any = credentials.some((v) => v !== undefined);
  const unauthenticated = e.TEAMS_ALLOW_UNAUTHENTICATED === 'true';
  if (any && unauthenticated) {
    return 'TEAMS_ALLOW_UNAUTHENTICATED: is for local development without credentials; remove it when TEAMS_CLIENT_ID, TEAMS_CLIENT_SECRET and TEAMS_TENANT_ID are set';
  }
  if (any && credentials.some((v) => v === undefined)) {
    return 'TEAMS_CLIENT_ID: the Teams bot needs TEAMS_CLIENT_ID, TEAMS_CLIENT_SECRET and TEAMS_TENANT_ID together';
  }
  if (!any && !unauthenticated) return undefined;
  return {
    credentials: any
      ? {
          clientId: e.TEAMS_CLIENT_ID!,
          clientSecret: e.TEAMS_CLIENT_SECRET!,
          tenantId: e.TEAMS_TENANT_ID!,
        }
      : undefined,
    loginUrl: e.TEAMS_LOGIN_URL.replace(/\/+$/, ''),
    openIdMetadataUrl: e.TEAMS_OPENID_METADATA_URL,
    graphUrl: e.TEAMS_GRAPH_URL.replace(/\/+$/, ''),
  };
}
