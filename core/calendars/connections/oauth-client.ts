// The OAuth side of a calendar connection, through openid-client: the authorization request
// (code + PKCE + state, calendar-only scopes), the code exchange, refresh and revocation.
//
// This grant is separate from signing in: it asks for calendar access and nothing else (no
// `openid`, no profile), so a person can sign in with Google and keep their calendar elsewhere,
// and disconnecting the calendar leaves their sign-in alone.
import * as client from 'openid-client';
import type { OAuthProvider } from './connection-model.ts';

/** Exactly what Quorum asks each provider for. */
export const CALENDAR_SCOPES: Record<OAuthProvider, readonly string[]> = {
  google: [
    'https://www.googleapis.com/auth/calendar.events',
    'https://www.googleapis.com/auth/calendar.freebusy',
  ],
  microsoft: [
    'https://graph.microsoft.com/Calendars.ReadWrite',
    'https://graph.microsoft.com/OnlineMeetings.ReadWrite',
    'offline_access',
  ],
};

/** Where a person removes Quorum's access themselves. */
export const CONSENT_PAGES: Record<OAuthProvider, string> = {
  google: 'https://myaccount.google.com/connections',
  microsoft:
    'https://myapps.microsoft.com (work or school accounts) or ' +
    'https://account.live.com/consent/Manage (personal accounts)',
};

export interface OAuthClientSettings {
  provider: OAuthProvider;
  issuer: URL;
  clientId: string;
  clientSecret: string;
  /** Only for a local issuer over http (development and tests). */
  allowInsecureRequests?: boolean;
  /** Per-request timeout in seconds for the token and revocation endpoints (default 15). */
  timeoutSeconds?: number;
}

export interface AuthorizationRequest {
  redirectUri: string;
  state: string;
  codeVerifier: string;
  /** The signed-in person's email, so the provider offers that account first. */
  loginHint: string;
}

export interface IssuedTokens {
  accessToken: string;
  /** Absent when the provider keeps the refresh token it gave before (Google). */
  refreshToken: string | undefined;
  expiresAt: Date | null;
  /** What was granted; RFC 6749 §5.1: when the provider omits it, what was asked for. */
  scopes: string[];
}

export interface CalendarOAuthClient {
  readonly provider: OAuthProvider;
  authorizationUrl(request: AuthorizationRequest): Promise<URL>;
  /** Exchanges the code in `callbackUrl`, checking state and PKCE. Throws openid-client errors. */
  exchange(
    callbackUrl: URL,
    expected: { state: string; codeVerifier: string },
    redirectUri: string,
  ): Promise<IssuedTokens>;
  /** Throws openid-client's ResponseBodyError with `error: 'invalid_grant'` for a dead grant. */
  refresh(refreshToken: string): Promise<IssuedTokens>;
  /**
   * Microsoft's on-behalf-of grant: trades a token another client got for this app (Teams SSO)
   * for calendar access in the same person's name, without asking them again. Throws
   * openid-client's ResponseBodyError (`invalid_grant`, `interaction_required`) when the person
   * or their administrator has not consented to the calendar scopes.
   */
  onBehalfOf(assertion: string): Promise<IssuedTokens>;
  /** True when the provider publishes an RFC 7009 revocation endpoint (Google does, Microsoft not). */
  canRevoke(): Promise<boolean>;
  revoke(token: string, hint: 'refresh_token' | 'access_token'): Promise<void>;
}

/** Fresh `state` and PKCE code verifier for one authorization request. */
export function newAuthorizationSecrets(): { state: string; codeVerifier: string } {
  return { state: client.randomState(), codeVerifier: client.randomPKCECodeVerifier() };
}

export function createCalendarOAuthClient(
  settings: OAuthClientSettings,
  now: () => Date = () => new Date(),
): CalendarOAuthClient {
  const scope = CALENDAR_SCOPES[settings.provider].join(' ');
  let discovered: Promise<client.Configuration> | undefined;
  const configuration = () => {
    discovered ??= client
      .discovery(
        settings.issuer,
        settings.clientId,
        settings.clientSecret,
        undefined,
        settings.allowInsecureRequests ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .then((config) => {
        config.timeout = settings.timeoutSeconds ?? 15;
        return config;
      })
      .catch((error: unknown) => {
        discovered = undefined; // try discovery again next time
        throw error;
      });
    return discovered;
  };

  const issued = (response: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers) => {
    const expiresIn = response.expiresIn();
    return {
      accessToken: response.access_token,
      refreshToken: response.refresh_token,
      expiresAt: expiresIn === undefined ? null : new Date(now().getTime() + expiresIn * 1000),
      scopes: response.scope
        ? response.scope.split(' ').filter(Boolean)
        : [...CALENDAR_SCOPES[settings.provider]],
    };
  };

  return {
    provider: settings.provider,

    async authorizationUrl(request) {
      const config = await configuration();
      const parameters: Record<string, string> = {
        redirect_uri: request.redirectUri,
        response_type: 'code',
        scope,
        state: request.state,
        code_challenge: await client.calculatePKCECodeChallenge(request.codeVerifier),
        code_challenge_method: 'S256',
        login_hint: request.loginHint,
      };
      if (settings.provider === 'google') {
        // Google returns a refresh token only for offline access, and only on a consent screen
        // the person actually saw; without `prompt=consent` a second connect would get none.
        parameters.access_type = 'offline';
        parameters.prompt = 'consent';
      }
      return client.buildAuthorizationUrl(config, parameters);
    },

    async exchange(callbackUrl, expected, redirectUri) {
      const config = await configuration();
      const response = await client.authorizationCodeGrant(
        config,
        callbackUrl,
        { pkceCodeVerifier: expected.codeVerifier, expectedState: expected.state },
        { redirect_uri: redirectUri },
      );
      return issued(response);
    },

    async refresh(refreshToken) {
      return issued(await client.refreshTokenGrant(await configuration(), refreshToken));
    },

    async onBehalfOf(assertion) {
      const response = await client.genericGrantRequest(
        await configuration(),
        'urn:ietf:params:oauth:grant-type:jwt-bearer',
        { assertion, requested_token_use: 'on_behalf_of', scope },
      );
      return issued(response);
    },

    async canRevoke() {
      return Boolean((await configuration()).serverMetadata().revocation_endpoint);
    },

    async revoke(token, hint) {
      await client.tokenRevocation(await configuration(), token, { token_type_hint: hint });
    },
  };
}

/**
 * Scopes are compared without case, and Microsoft's resource prefix is optional: Graph answers
 * `Calendars.ReadWrite` for a request of `https://graph.microsoft.com/Calendars.ReadWrite`.
 */
function scopeKey(scope: string): string {
  return scope.toLowerCase().replace(/^https:\/\/graph\.microsoft\.com\//, '');
}

/**
 * The calendar scopes the provider did not grant. `offline_access` is judged by the refresh
 * token it yields, not by the scope list (Microsoft does not always echo it).
 */
export function missingScopes(provider: OAuthProvider, granted: readonly string[]): string[] {
  const have = new Set(granted.map(scopeKey));
  return CALENDAR_SCOPES[provider].filter(
    (wanted) => wanted !== 'offline_access' && !have.has(scopeKey(wanted)),
  );
}
