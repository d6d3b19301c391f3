// A small OAuth 2.0 authorization server on loopback, speaking the wire format of RFC 6749
// (authorization code and refresh token grants, §4.1 and §6, errors as in §5.2), RFC 7636
// (PKCE, S256 only), RFC 7009 (token revocation) and OpenID discovery metadata, shaped like
// Google's or Microsoft's token service:
// - google: publishes a revocation endpoint; a refresh keeps the refresh token it was given.
// - microsoft: no revocation endpoint; every refresh hands out a new refresh token.
// The consent screen completes at once with whatever `nextConsent` says, as if the person
// clicked through. Everything it receives is recorded for the tests to look at.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { freePort } from '../../infra/local/embedded-db.ts';

export type Consent = { kind: 'allow'; grantScopes?: string[] } | { kind: 'deny' };

interface Grant {
  scopes: string[];
  active: boolean;
  refreshTokens: Set<string>;
  accessTokens: Set<string>;
}

export interface FakeOAuthServer {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Query parameters of each authorization request, in order. */
  authorizations: URLSearchParams[];
  /** Form parameters of each token request, in order. */
  tokenRequests: URLSearchParams[];
  /** Form parameters of each revocation request, in order. */
  revocations: URLSearchParams[];
  /** Every access and refresh token ever issued. */
  issued: string[];
  /** Access tokens that work right now; give this set to a fake calendar API. */
  validAccessTokens: Set<string>;
  accessTokenLifetimeSeconds: number;
  /** How the next consent screen ends (then back to allowing everything asked for). */
  nextConsent: Consent;
  /** Access tokens stop working early (a password change, a server-side policy). */
  invalidateAccessTokens(): void;
  /** The person removed the app in their account settings: every grant dies. */
  revokeAllGrants(): void;
  refreshRequests(): number;
  stop(): Promise<void>;
}

const token = (prefix: string) => `${prefix}${randomBytes(24).toString('base64url')}`;

export async function startFakeOAuthServer(options: {
  flavour: 'google' | 'microsoft';
  redirectUris: string[];
}): Promise<FakeOAuthServer> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = `${options.flavour}-calendar-client`;
  const clientSecret = `${options.flavour}-calendar-secret-for-tests-only`;
  const codes = new Map<
    string,
    { redirectUri: string; challenge: string; scopes: string[]; used: boolean }
  >();
  const grants: Grant[] = [];

  const fake: FakeOAuthServer = {
    issuer,
    clientId,
    clientSecret,
    authorizations: [],
    tokenRequests: [],
    revocations: [],
    issued: [],
    validAccessTokens: new Set(),
    accessTokenLifetimeSeconds: 3600,
    nextConsent: { kind: 'allow' },
    invalidateAccessTokens() {
      fake.validAccessTokens.clear();
    },
    revokeAllGrants() {
      for (const grant of grants) end(grant);
    },
    refreshRequests: () =>
      fake.tokenRequests.filter((p) => p.get('grant_type') === 'refresh_token').length,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  function end(grant: Grant) {
    grant.active = false;
    for (const access of grant.accessTokens) fake.validAccessTokens.delete(access);
  }

  function issue(grant: Grant, withRefreshToken: boolean) {
    const access = token('at_');
    grant.accessTokens.add(access);
    fake.validAccessTokens.add(access);
    fake.issued.push(access);
    const body: Record<string, unknown> = {
      access_token: access,
      token_type: 'Bearer',
      expires_in: fake.accessTokenLifetimeSeconds,
      scope: grant.scopes.join(' '),
    };
    if (withRefreshToken) {
      const refresh = token('rt_');
      grant.refreshTokens.add(refresh);
      fake.issued.push(refresh);
      body.refresh_token = refresh;
    }
    return body;
  }

  const metadata = {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    ...(options.flavour === 'google' ? { revocation_endpoint: `${issuer}/revoke` } : {}),
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
  };

  function send(res: ServerResponse, status: number, body: unknown) {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  }
  const oauthError = (res: ServerResponse, status: number, error: string, description: string) =>
    send(res, status, { error, error_description: description });

  async function form(req: IncomingMessage): Promise<URLSearchParams> {
    let raw = '';
    for await (const chunk of req) raw += String(chunk);
    if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) {
      throw new Error('the body must be application/x-www-form-urlencoded');
    }
    return new URLSearchParams(raw);
  }

  /** client_secret_basic or client_secret_post, as RFC 6749 §2.3.1 allows. */
  function clientAuthenticated(req: IncomingMessage, params: URLSearchParams): boolean {
    const header = req.headers.authorization;
    if (header?.startsWith('Basic ')) {
      const [id, secret] = Buffer.from(header.slice(6), 'base64').toString().split(':');
      return (
        decodeURIComponent(id ?? '') === clientId &&
        decodeURIComponent(secret ?? '') === clientSecret
      );
    }
    return params.get('client_id') === clientId && params.get('client_secret') === clientSecret;
  }

  function authorize(url: URL, res: ServerResponse) {
    const q = url.searchParams;
    fake.authorizations.push(q);
    const redirectUri = q.get('redirect_uri') ?? '';
    if (q.get('client_id') !== clientId || !options.redirectUris.includes(redirectUri)) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('unknown client or redirect_uri');
      return;
    }
    const back = new URL(redirectUri);
    const state = q.get('state');
    if (state) back.searchParams.set('state', state);
    const consent = fake.nextConsent;
    fake.nextConsent = { kind: 'allow' };
    const challenge = q.get('code_challenge');
    if (
      q.get('response_type') !== 'code' ||
      q.get('code_challenge_method') !== 'S256' ||
      !challenge
    ) {
      back.searchParams.set('error', 'invalid_request');
      back.searchParams.set('error_description', 'code flow with S256 PKCE is required');
    } else if (consent.kind === 'deny') {
      back.searchParams.set('error', 'access_denied');
    } else {
      const asked = (q.get('scope') ?? '').split(' ').filter(Boolean);
      const code = token('code_');
      codes.set(code, {
        redirectUri,
        challenge,
        scopes: consent.grantScopes ?? asked,
        used: false,
      });
      back.searchParams.set('code', code);
    }
    res.writeHead(302, { location: back.href }).end();
  }

  async function tokenEndpoint(req: IncomingMessage, res: ServerResponse) {
    const params = await form(req);
    fake.tokenRequests.push(params);
    if (!clientAuthenticated(req, params)) {
      return oauthError(res, 401, 'invalid_client', 'client authentication failed');
    }
    const grantType = params.get('grant_type');
    if (grantType === 'authorization_code') {
      const code = codes.get(params.get('code') ?? '');
      if (!code || code.used) return oauthError(res, 400, 'invalid_grant', 'unknown or used code');
      code.used = true;
      if (params.get('redirect_uri') !== code.redirectUri) {
        return oauthError(res, 400, 'invalid_grant', 'redirect_uri does not match');
      }
      const verifier = params.get('code_verifier') ?? '';
      if (createHash('sha256').update(verifier).digest('base64url') !== code.challenge) {
        return oauthError(res, 400, 'invalid_grant', 'PKCE verification failed');
      }
      const grant: Grant = {
        scopes: code.scopes,
        active: true,
        refreshTokens: new Set(),
        accessTokens: new Set(),
      };
      grants.push(grant);
      return send(res, 200, issue(grant, true));
    }
    if (grantType === 'refresh_token') {
      const presented = params.get('refresh_token') ?? '';
      const grant = grants.find((g) => g.refreshTokens.has(presented));
      if (!grant || !grant.active) {
        return oauthError(res, 400, 'invalid_grant', 'Token has been expired or revoked.');
      }
      return send(res, 200, issue(grant, options.flavour === 'microsoft'));
    }
    return oauthError(
      res,
      400,
      'unsupported_grant_type',
      `grant_type ${grantType} is not supported`,
    );
  }

  async function revoke(req: IncomingMessage, res: ServerResponse) {
    const params = await form(req);
    fake.revocations.push(params);
    const presented = params.get('token') ?? '';
    const grant = grants.find(
      (g) => g.refreshTokens.has(presented) || g.accessTokens.has(presented),
    );
    // RFC 7009 §2.2: an unknown or already invalid token is answered with 200 too.
    if (grant) end(grant);
    res.writeHead(200).end();
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    const route = `${req.method} ${url.pathname}`;
    const handle = async () => {
      if (route === 'GET /.well-known/openid-configuration') return send(res, 200, metadata);
      if (route === 'GET /authorize') return authorize(url, res);
      if (route === 'POST /token') return tokenEndpoint(req, res);
      if (route === 'POST /revoke' && options.flavour === 'google') return revoke(req, res);
      send(res, 404, { error: 'not_found' });
    };
    handle().catch((error: unknown) =>
      oauthError(
        res,
        400,
        'invalid_request',
        error instanceof Error ? error.message : String(error),
      ),
    );
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return fake;
}
