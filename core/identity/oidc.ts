// Single sign-on with Google and Microsoft through OpenID Connect (openid-client, a certified
// relying-party library): authorization code with PKCE, state and nonce checked, ID token
// validated against the issuer's published keys.
import * as client from 'openid-client';

export type SsoProviderId = 'google' | 'microsoft';

export interface OidcSettings {
  id: SsoProviderId;
  issuer: URL;
  clientId: string;
  clientSecret: string;
  /** Only for tests against a local issuer over http. */
  allowInsecureRequests?: boolean;
}

export interface PendingSignIn {
  provider: SsoProviderId;
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
}

export interface SsoIdentity {
  issuer: string;
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
  /** Google's hosted domain (`hd`) or Microsoft's tenant id (`tid`), when present. */
  organization: string | null;
}

export interface OidcClient {
  readonly id: SsoProviderId;
  start(redirectUri: string, returnTo: string): Promise<{ url: URL; pending: PendingSignIn }>;
  finish(callbackUrl: URL, pending: PendingSignIn, redirectUri: string): Promise<SsoIdentity>;
}

export function createOidcClient(settings: OidcSettings): OidcClient {
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
      .catch((error: unknown) => {
        discovered = undefined; // try discovery again next time
        throw error;
      });
    return discovered;
  };

  return {
    id: settings.id,
    async start(redirectUri, returnTo) {
      const config = await configuration();
      const codeVerifier = client.randomPKCECodeVerifier();
      const pending: PendingSignIn = {
        provider: settings.id,
        state: client.randomState(),
        nonce: client.randomNonce(),
        codeVerifier,
        returnTo,
      };
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: 'openid email profile',
        response_type: 'code',
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state: pending.state,
        nonce: pending.nonce,
      });
      return { url, pending };
    },

    async finish(callbackUrl, pending, redirectUri) {
      const config = await configuration();
      const tokens = await client.authorizationCodeGrant(
        config,
        callbackUrl,
        {
          pkceCodeVerifier: pending.codeVerifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        },
        { redirect_uri: redirectUri },
      );
      const claims = tokens.claims();
      if (!claims) throw new Error('the identity provider returned no ID token');
      const str = (v: unknown) => (typeof v === 'string' && v ? v : null);
      return {
        issuer: claims.iss,
        subject: claims.sub,
        email: str(claims.email)?.toLowerCase() ?? null,
        // Microsoft omits email_verified; its work accounts' emails are managed by the tenant.
        emailVerified: claims.email_verified === true || settings.id === 'microsoft',
        name: str(claims.name),
        organization: str(claims.hd) ?? str(claims.tid),
      };
    },
  };
}
