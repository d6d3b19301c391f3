// A local stand-in for the Bot Framework side of Teams, for the Teams SDK inside Quorum:
// - the Bot Connector's conversations API at the activities' serviceUrl (POST and PUT
//   /v3/conversations/{id}/activities[/{activityId}], GET …/members/{userId}) and the Teams
//   meeting details (GET /v1/meetings/{id}), recording what Quorum sent;
// - Entra's token endpoint for the bot's client-credentials grant
//   (POST /{tenant}/oauth2/v2.0/token), issuing tokens the fake checks on every call, and for
//   the delegated on-behalf-of and refresh grants (Teams SSO), with the tenant's OpenID
//   configuration (/{tenant}/v2.0/.well-known/openid-configuration) and signing keys;
// - the Bot Connector's OpenID metadata and signing keys (/v1/.well-known/…), with `sign()`
//   making the JWT the Bot Connector puts on each activity it sends (RS256, iss
//   https://api.botframework.com, aud the bot's app id, serviceurl claim).
// It serves HTTPS with a throwaway certificate added to this process's trusted CAs.
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { SignJWT, exportJWK, generateKeyPair, jwtVerify, type CryptoKey } from 'jose';
import { readBody, selfSignedCertificate } from './wire.ts';

export interface SentActivity {
  method: 'POST' | 'PUT';
  conversationId: string;
  /** The activity replaced (PUT) or replied to (POST …/activities/{id}). */
  activityId: string | null;
  /** The id the fake gave a new activity. */
  id: string;
  authorization: string | undefined;
  body: Record<string, unknown>;
}

export interface Member {
  id: string;
  aadObjectId: string;
  name: string;
  email: string;
  userPrincipalName?: string;
}

export interface FakeBotConnector {
  /** The root: the serviceUrl to put in activities, the login URL and the metadata host. */
  url: string;
  /** Its certificate (PEM), for a Quorum child process to trust (NODE_EXTRA_CA_CERTS). */
  cert: string;
  serviceUrl: string;
  openIdMetadataUrl: string;
  appId: string;
  appSecret: string;
  sent: SentActivity[];
  tokenRequests: URLSearchParams[];
  /** Members per conversation id. */
  members: Map<string, Member[]>;
  /** Meeting details (GET /v1/meetings/{id}) by Teams meeting id. */
  meetings: Map<string, unknown>;
  /**
   * Conversations the bot was removed from: posting or updating there is refused with 403
   * BotNotInConversationRoster, as the Bot Connector does, and nothing is recorded.
   */
  removedFrom: Set<string>;
  /** Users (by Bot Connector id) Teams will not let the bot start a 1:1 chat with (403). */
  noPersonalChat: Set<string>;
  /** The 1:1 conversations the bot created (POST /v3/conversations), by user id. */
  personalChats: Map<string, string>;
  /** Every request the fake received, as method and path. */
  requests: Array<{ method: string; path: string; authorization: string | undefined }>;
  /** The Bot Connector's token for an activity sent to the bot. */
  sign(options?: {
    audience?: string;
    serviceUrl?: string;
    key?: 'trusted' | 'stranger';
    expiresIn?: string;
  }): Promise<string>;
  /**
   * A Teams SSO token (what teams-js authentication.getAuthToken gives a tab): an Entra v2 ID
   * token for the app, issued by the tenant, naming the user by oid and preferred_username.
   */
  signSso(claims: {
    tenantId: string;
    audience: string;
    oid: string;
    email: string;
  }): Promise<string>;
  /**
   * Whether the on-behalf-of grant may hand out the calendar scopes (the person or their
   * administrator consented); false answers as Entra does without consent (AADSTS65001).
   */
  consented: boolean;
  /** Refresh tokens issued by the on-behalf-of and refresh grants, still valid, by token. */
  refreshTokens: Map<string, { oid: string; scope: string }>;
  /** Called with every access token issued and the scope asked for (to hand Graph's on). */
  onTokenIssued(listener: (token: string, scope: string) => void): void;
  /** Cards of what was sent to a conversation, in order. */
  cardsIn(conversationId: string): Array<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function startFakeBotConnector(
  options: {
    appId?: string;
    appSecret?: string;
    /** false: accept calls without the bot's token, as the Bot Framework Emulator does. */
    requireToken?: boolean;
  } = {},
): Promise<FakeBotConnector> {
  const { key, cert } = selfSignedCertificate();
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), cert]);
  const signing = await generateKeyPair('RS256');
  const stranger = await generateKeyPair('RS256');
  const kid = `kid-${randomBytes(6).toString('hex')}`;
  const jwk = {
    ...(await exportJWK(signing.publicKey)),
    kid,
    use: 'sig',
    alg: 'RS256',
    endorsements: ['msteams'],
  };
  const issued = new Set<string>();
  const listeners: Array<(token: string, scope: string) => void> = [];
  const appId = options.appId ?? randomUUID();
  const appSecret = options.appSecret ?? `secret-${randomBytes(12).toString('hex')}`;
  let origin = '';

  const fake: Omit<
    FakeBotConnector,
    | 'url'
    | 'cert'
    | 'serviceUrl'
    | 'openIdMetadataUrl'
    | 'sign'
    | 'signSso'
    | 'cardsIn'
    | 'onTokenIssued'
    | 'close'
  > = {
    appId,
    appSecret,
    sent: [],
    tokenRequests: [],
    consented: true,
    noPersonalChat: new Set(),
    personalChats: new Map(),
    refreshTokens: new Map(),
    members: new Map(),
    meetings: new Map(),
    removedFrom: new Set(),
    requests: [],
  };

  /**
   * Delegated tokens: the on-behalf-of grant (an SSO token of this app traded for Graph scopes
   * in the same person's name) and the refresh grant, both rotating refresh tokens as Entra does.
   */
  async function delegatedGrant(
    res: ServerResponse,
    tenant: string,
    grant: string,
    form: URLSearchParams,
  ) {
    let oid: string;
    let scope: string;
    if (grant === 'refresh_token') {
      const held = fake.refreshTokens.get(form.get('refresh_token') ?? '');
      if (!held) {
        return json(res, 400, {
          error: 'invalid_grant',
          error_description: 'AADSTS70000: The provided refresh token is invalid or expired.',
        });
      }
      fake.refreshTokens.delete(form.get('refresh_token') ?? '');
      ({ oid, scope } = held);
    } else {
      if (form.get('requested_token_use') !== 'on_behalf_of') {
        return json(res, 400, { error: 'invalid_request', error_description: 'AADSTS50027' });
      }
      try {
        const { payload } = await jwtVerify(form.get('assertion') ?? '', signing.publicKey, {
          issuer: `${origin}/${tenant}/v2.0`,
        });
        const aud = String(payload.aud);
        if (aud !== appId && !aud.endsWith(`/botid-${appId}`)) throw new Error('audience');
        oid = String(payload.oid);
      } catch {
        return json(res, 400, {
          error: 'invalid_grant',
          error_description: 'AADSTS50013: Assertion failed signature validation.',
        });
      }
      if (!fake.consented) {
        return json(res, 400, {
          error: 'invalid_grant',
          error_description:
            'AADSTS65001: The user or administrator has not consented to use the application. Send an interactive authorization request for this user and resource.',
          suberror: 'consent_required',
        });
      }
      scope = (form.get('scope') ?? '')
        .split(' ')
        .filter((s) => s !== 'offline_access')
        .join(' ');
    }
    const accessToken = await new SignJWT({ tid: tenant, oid, scp: scope, appid: appId })
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
      .setIssuer(`https://sts.windows.net/${tenant}/`)
      .setAudience('https://graph.microsoft.com')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(signing.privateKey);
    const refreshToken = `rt-${randomBytes(24).toString('hex')}`;
    fake.refreshTokens.set(refreshToken, { oid, scope });
    issued.add(accessToken);
    for (const listener of listeners) listener(accessToken, scope);
    return json(res, 200, {
      token_type: 'Bearer',
      scope,
      expires_in: 3599,
      ext_expires_in: 3599,
      access_token: accessToken,
      refresh_token: refreshToken,
    });
  }

  const server = createServer({ key, cert }, (req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent)
        json(res, 500, { error: { code: 'ServiceError', message: String(error) } });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', origin);
    const raw = await readBody(req);
    const path = url.pathname;
    const method = req.method ?? '';
    fake.requests.push({ method, path, authorization: req.headers.authorization });

    if (method === 'GET' && path === '/v1/.well-known/openidconfiguration') {
      return json(res, 200, {
        issuer: 'https://api.botframework.com',
        authorization_endpoint: 'https://invalid.botframework.com',
        jwks_uri: `${origin}/v1/.well-known/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
      });
    }
    if (method === 'GET' && path === '/v1/.well-known/keys') return json(res, 200, { keys: [jwk] });
    // Entra's OpenID configuration for a tenant (what OAuth clients discover).
    const discovery = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(path);
    if (method === 'GET' && discovery) {
      const tenant = discovery[1]!;
      return json(res, 200, {
        issuer: `${origin}/${tenant}/v2.0`,
        authorization_endpoint: `${origin}/${tenant}/oauth2/v2.0/authorize`,
        token_endpoint: `${origin}/${tenant}/oauth2/v2.0/token`,
        jwks_uri: `${origin}/${tenant}/discovery/v2.0/keys`,
        response_types_supported: ['code', 'id_token', 'code id_token'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      });
    }
    // Entra's signing keys for a tenant (Teams SSO tokens are verified with these).
    if (method === 'GET' && /^\/[^/]+\/discovery\/v2\.0\/keys$/.test(path)) {
      return json(res, 200, { keys: [jwk] });
    }

    const tokenPath = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path);
    if (method === 'POST' && tokenPath) {
      // RFC 6749 §4.4 with client_secret_post or client_secret_basic, as Entra accepts.
      const form = new URLSearchParams(raw);
      fake.tokenRequests.push(form);
      const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const [basicId, basicSecret] = basic
        ? Buffer.from(basic, 'base64').toString('utf8').split(':').map(decodeURIComponent)
        : [];
      const clientId = form.get('client_id') ?? basicId;
      const clientSecret = form.get('client_secret') ?? basicSecret;
      const grant = form.get('grant_type');
      if (
        grant !== 'client_credentials' &&
        grant !== 'urn:ietf:params:oauth:grant-type:jwt-bearer' &&
        grant !== 'refresh_token'
      ) {
        return json(res, 400, {
          error: 'unsupported_grant_type',
          error_description: 'AADSTS70003',
        });
      }
      if (clientId !== appId || clientSecret !== appSecret) {
        return json(res, 401, {
          error: 'invalid_client',
          error_description: 'AADSTS7000215: Invalid client secret provided.',
        });
      }
      if (grant !== 'client_credentials') {
        return delegatedGrant(res, tokenPath[1]!, grant!, form);
      }
      // Entra's access tokens are JWTs, and the SDK reads them as such.
      const scope = form.get('scope') ?? '';
      const token = await new SignJWT({
        appid: appId,
        tid: tokenPath[1],
        scp: undefined,
        jti: randomUUID(),
      })
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        .setIssuer(`https://sts.windows.net/${tokenPath[1]}/`)
        .setAudience(scope.replace(/\/\.default$/, ''))
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(signing.privateKey);
      issued.add(token);
      for (const listener of listeners) listener(token, form.get('scope') ?? '');
      return json(res, 200, {
        token_type: 'Bearer',
        expires_in: 3599,
        ext_expires_in: 3599,
        access_token: token,
      });
    }

    // Everything else is the Bot Connector: it wants the bot's token.
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (options.requireToken !== false && (!bearer || !issued.has(bearer))) {
      return json(res, 401, { message: 'Authorization has been denied for this request.' });
    }
    // Create conversation: Teams answers a 1:1 with the same conversation id every time, and
    // refuses when the app is not installed for the user (403).
    if (method === 'POST' && path === '/v3/conversations') {
      const body = JSON.parse(raw) as {
        isGroup?: boolean;
        members?: Array<{ id?: string }>;
        tenantId?: string;
      };
      const member = body.members?.[0]?.id;
      if (body.isGroup || body.members?.length !== 1 || !member || !body.tenantId) {
        return json(res, 400, {
          error: {
            code: 'BadArgument',
            message: 'A 1:1 conversation needs one member and the tenant.',
          },
        });
      }
      if (fake.noPersonalChat.has(member)) {
        return json(res, 403, {
          error: { code: 'Forbidden', message: 'The bot is not installed for this user.' },
        });
      }
      const id = fake.personalChats.get(member) ?? `a:1${randomBytes(10).toString('hex')}`;
      fake.personalChats.set(member, id);
      return json(res, 201, { id });
    }
    const activities = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(path);
    if (activities && (method === 'POST' || method === 'PUT')) {
      const conversationId = decodeURIComponent(activities[1]!);
      const activityId = activities[2] ? decodeURIComponent(activities[2]) : null;
      if (method === 'PUT' && !activityId) return json(res, 405, { message: 'Method not allowed' });
      if (fake.removedFrom.has(conversationId)) {
        return json(res, 403, {
          error: {
            code: 'BotNotInConversationRoster',
            message: 'The bot is not part of the conversation roster.',
          },
        });
      }
      const body = JSON.parse(raw) as Record<string, unknown>;
      const id = method === 'PUT' ? activityId! : `1:${randomBytes(8).toString('hex')}`;
      fake.sent.push({
        method,
        conversationId,
        activityId,
        id,
        authorization: req.headers.authorization,
        body,
      });
      return json(res, method === 'POST' ? 201 : 200, { id });
    }
    const all = /^\/v3\/conversations\/([^/]+)\/members$/.exec(path);
    if (method === 'GET' && all) {
      const list = fake.members.get(decodeURIComponent(all[1]!)) ?? [];
      return json(
        res,
        200,
        list.map((m) => ({
          id: m.id,
          name: m.name,
          aadObjectId: m.aadObjectId,
          email: m.email,
          userPrincipalName: m.userPrincipalName ?? m.email,
        })),
      );
    }
    const member = /^\/v3\/conversations\/([^/]+)\/members\/([^/]+)$/.exec(path);
    if (method === 'GET' && member) {
      const found = fake.members
        .get(decodeURIComponent(member[1]!))
        ?.find(
          (m) =>
            m.id === decodeURIComponent(member[2]!) ||
            m.aadObjectId === decodeURIComponent(member[2]!),
        );
      if (!found) {
        return json(res, 404, {
          error: {
            code: 'MemberNotFoundInConversation',
            message: 'The member was not found in the conversation.',
          },
        });
      }
      return json(res, 200, {
        id: found.id,
        name: found.name,
        aadObjectId: found.aadObjectId,
        email: found.email,
        userPrincipalName: found.userPrincipalName ?? found.email,
        tenantId: 'from-fake',
        userRole: 'user',
      });
    }
    const meeting = /^\/v1\/meetings\/([^/]+)$/.exec(path);
    if (method === 'GET' && meeting) {
      const found = fake.meetings.get(decodeURIComponent(meeting[1]!));
      if (!found)
        return json(res, 404, { error: { code: 'NotFound', message: 'Meeting not found.' } });
      return json(res, 200, found);
    }
    return json(res, 404, {
      error: { code: 'NotFound', message: `No route for ${method} ${path}` },
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  origin = `https://127.0.0.1:${port}`;

  return {
    ...fake,
    url: origin,
    cert,
    serviceUrl: `${origin}/`,
    openIdMetadataUrl: `${origin}/v1/.well-known/openidconfiguration`,
    async sign(signOptions = {}) {
      const keyToUse: CryptoKey =
        signOptions.key === 'stranger' ? stranger.privateKey : signing.privateKey;
      return new SignJWT({ serviceurl: signOptions.serviceUrl ?? `${origin}/` })
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        .setIssuer('https://api.botframework.com')
        .setAudience(signOptions.audience ?? appId)
        .setIssuedAt()
        .setNotBefore('0s')
        .setExpirationTime(signOptions.expiresIn ?? '1h')
        .sign(keyToUse);
    },
    signSso(claims) {
      return new SignJWT({
        tid: claims.tenantId,
        oid: claims.oid,
        preferred_username: claims.email,
        name: claims.email,
        ver: '2.0',
      })
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        .setIssuer(`${origin}/${claims.tenantId}/v2.0`)
        .setAudience(claims.audience)
        .setSubject(claims.oid)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(signing.privateKey);
    },
    // The test flips consent on the fake itself, which the grant reads.
    get consented() {
      return fake.consented;
    },
    set consented(value: boolean) {
      fake.consented = value;
    },
    onTokenIssued(listener) {
      listeners.push(listener);
    },
    cardsIn(conversationId) {
      return fake.sent
        .filter((s) => s.conversationId === conversationId)
        .flatMap((s) =>
          (
            (s.body.attachments as Array<{ content: Record<string, unknown> }> | undefined) ?? []
          ).map((a) => a.content),
        );
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function json(res: ServerResponse, status: number, payload: unknown) {
  res
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
    .end(JSON.stringify(payload));
}
