// The bot's own access tokens (Bot Connector and Graph), by the OAuth 2.0 client-credentials
// grant against the tenant's Entra token endpoint, through openid-client.
//
// The SDK would use MSAL, which first asks Microsoft's public instance-discovery service
// about any login host it does not know; that makes a sovereign or local login host (tests)
// unusable, so the SDK is given this provider instead (its documented `token` option).
import * as oauth from 'openid-client';

const EARLY_REFRESH_MS = 5 * 60_000;

export interface AppTokenProvider {
  (scope: string | string[], tenantId?: string): Promise<string>;
}

export function createAppTokenProvider(options: {
  loginUrl: string;
  clientId: string;
  clientSecret: string;
  tenantId: string;
}): AppTokenProvider {
  const configs = new Map<string, oauth.Configuration>();
  const cache = new Map<string, { token: string; expiresAt: number }>();
  const loopback = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(options.loginUrl);

  function configFor(tenantId: string): oauth.Configuration {
    let config = configs.get(tenantId);
    if (!config) {
      const base = `${options.loginUrl}/${encodeURIComponent(tenantId)}`;
      config = new oauth.Configuration(
        { issuer: `${base}/v2.0`, token_endpoint: `${base}/oauth2/v2.0/token` },
        options.clientId,
        options.clientSecret,
      );
      // Plain http only to a login server on this machine (development and tests).
      if (loopback) oauth.allowInsecureRequests(config);
      configs.set(tenantId, config);
    }
    return config;
  }

  return async (scope, tenantId) => {
    // A single-tenant bot gets every token from its own tenant.
    const tenant = options.tenantId || tenantId || 'botframework.com';
    const scopes = (Array.isArray(scope) ? scope : [scope]).join(' ');
    const key = `${tenant} ${scopes}`;
    const cached = cache.get(key);
    if (cached && cached.expiresAt - EARLY_REFRESH_MS > Date.now()) return cached.token;
    const response = await oauth.clientCredentialsGrant(configFor(tenant), { scope: scopes });
    const expiresIn = response.expires_in ?? 3600;
    cache.set(key, { token: response.access_token, expiresAt: Date.now() + expiresIn * 1000 });
    return response.access_token;
  };
}
