// The OAuth clients the configuration sets up: sign-in (OIDC) for Google and Microsoft, the same
// apps' calendar grants, and the Teams app's on-behalf-of grant for calendars connected through
// Teams SSO.
import type { CalendarOAuthClient } from '../../core/calendars/connections/oauth-client.ts';
import { createCalendarOAuthClient } from '../../core/calendars/connections/oauth-client.ts';
import { createOidcClient, type OidcClient, type SsoProviderId } from '../../core/identity/oidc.ts';
import type { Config } from './config.ts';

export interface OAuthClients {
  sso: Partial<Record<SsoProviderId, OidcClient>>;
  /** The calendar grant uses the same OAuth clients as sign-in, as a separate request. */
  calendarOAuth: Partial<Record<SsoProviderId, CalendarOAuthClient>>;
  /** Microsoft clients other than the sign-in one that may hold calendar grants, by name. */
  delegated: Record<string, CalendarOAuthClient>;
}

export function createOAuthClients(config: Config): OAuthClients {
  const clients: OAuthClients = { sso: {}, calendarOAuth: {}, delegated: {} };
  for (const id of ['google', 'microsoft'] as const) {
    const settings = config.sso[id];
    if (!settings) continue;
    // Plain http is accepted only from an issuer on this machine (development and tests).
    const allowInsecureRequests =
      settings.issuer.startsWith('http://') && isLoopback(settings.issuer);
    const client = () => ({
      issuer: new URL(settings.issuer),
      clientId: settings.clientId,
      clientSecret: settings.clientSecret,
      allowInsecureRequests,
    });
    clients.calendarOAuth[id] = createCalendarOAuthClient({ provider: id, ...client() });
    clients.sso[id] = createOidcClient({ id, ...client() });
  }
  // Calendars connected through Teams SSO are granted to the Teams app (on-behalf-of), so their
  // refreshes go to it, at the bot's own tenant.
  const teamsCredentials = config.teams?.credentials;
  if (config.teams && teamsCredentials) {
    clients.delegated.teams = createCalendarOAuthClient({
      provider: 'microsoft',
      issuer: new URL(`${config.teams.loginUrl}/${teamsCredentials.tenantId}/v2.0`),
      clientId: teamsCredentials.clientId,
      clientSecret: teamsCredentials.clientSecret,
    });
  }
  return clients;
}

function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
}
