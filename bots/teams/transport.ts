// The Teams bot's transport, on the Teams SDK (@microsoft/teams.apps): served by Quorum's one
// HTTP server at POST /api/messages through the SDK's HTTP adapter seam, with the SDK validating
// the Bot Connector's token on every activity (or, in local development with
// TEAMS_ALLOW_UNAUTHENTICATED=true and no credentials, accepting activities unsigned).
// Replies go to the activity's own service URL, which the SDK checks against the token's claim.
// Also here: the bot's own access tokens and the verification of Teams SSO tokens.
import express, { Router } from 'express';
import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTVerifyGetKey } from 'jose';
import * as oauth from 'openid-client';
import {
  App,
  type HttpMethod,
  type HttpRouteHandler,
  type IHttpServerAdapter,
} from '@microsoft/teams.apps';
import { PUBLIC, withOverrides, type Client as ApiClient } from '@microsoft/teams.api';
import type { ILogger, LogLevel } from '@microsoft/teams.common';
import type { TeamsSettings } from './config.ts';
import type { Logger } from '../../core/logger.ts';
import { sdkLog } from '../../infra/http/sdk-logger.ts';

// The Teams SDK inside Quorum's one HTTP server: instead of its own listener, the SDK hands its
// messaging handler to this adapter (its IHttpServerAdapter seam), and Quorum's router calls
// it for POST /api/messages. The SDK keeps doing what it owns — validating the Bot Connector
// token, routing the activity, building the invoke response.
export const MESSAGES_PATH = '/api/messages';

export class QuorumTeamsAdapter implements IHttpServerAdapter {
  readonly router = Router();
  #handler: HttpRouteHandler | undefined;

  constructor() {
    this.router.post(MESSAGES_PATH, express.json({ limit: '512kb' }), async (req, res, next) => {
      if (!this.#handler) {
        res.status(503).json({ error: 'unavailable', message: 'The Teams bot is starting.' });
        return;
      }
      try {
        const body: unknown = req.body;
        if (typeof body !== 'object' || body === null || Array.isArray(body)) {
          res.status(400).json({ error: 'bad_request', message: 'Send one activity as JSON.' });
          return;
        }
        const response = await this.#handler({
          body,
          headers: req.headers as Record<string, string | string[]>,
        });
        if (response.body === undefined) res.status(response.status).end();
        else res.status(response.status).json(response.body);
      } catch (error) {
        next(error);
      }
    });
  }

  registerRoute(method: HttpMethod, path: string, handler: HttpRouteHandler): void {
    // Only the messaging endpoint is served; the SDK's other routes (remote functions, tabs)
    // are not used by Quorum.
    if (method === 'POST' && path === MESSAGES_PATH) this.#handler = handler;
  }
}

/** The bot's app: its SDK instance behind the adapter, and a client for any service URL. */
export interface TeamsTransport {
  /** 'verified' checks every activity's Bot Connector token; 'unauthenticated' is local development. */
  mode: 'verified' | 'unauthenticated';
  app: App;
  adapter: QuorumTeamsAdapter;
  /** The bot's own access tokens; absent without credentials. */
  token: AppTokenProvider | undefined;
  apiFor(serviceUrl: string): ApiClient;
}

export function createTeamsTransport(settings: TeamsSettings, logger: Logger): TeamsTransport {
  const credentials = settings.credentials;
  const mode = credentials ? 'verified' : 'unauthenticated';
  const cloud = withOverrides(PUBLIC, {
    loginEndpoint: settings.loginUrl,
    openIdMetadataUrl: settings.openIdMetadataUrl,
  });
  const token = credentials
    ? createAppTokenProvider({ loginUrl: settings.loginUrl, ...credentials })
    : undefined;
  const adapter = new QuorumTeamsAdapter();
  const app = new App({
    // Explicit values throughout, so the SDK's own environment fallbacks (CLIENT_ID, SERVICE_URL,
    // DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS, CLOUD …) never change what Quorum configured.
    clientId: credentials?.clientId ?? '',
    clientSecret: '',
    tenantId: credentials?.tenantId ?? '',
    ...(token
      ? { token: (scope: string | string[], tenantId?: string) => token(scope, tenantId) }
      : {}),
    dangerouslyAllowUnauthenticatedRequests: !credentials,
    httpServerAdapter: adapter,
    messagingEndpoint: MESSAGES_PATH,
    cloud,
    serviceUrl: 'https://smba.trafficmanager.net/teams',
    logger: sdkLogger(logger),
    state: false,
    telemetry: { agent365: false },
  });
  return {
    mode,
    app,
    adapter,
    token,
    apiFor: (serviceUrl) => app.api.clone({ serviceUrl }),
  };
}

// The bot's own access tokens (Bot Connector and Graph), by the OAuth 2.0 client-credentials
// grant against the tenant's Entra token endpoint, through openid-client.
//
// The SDK would use MSAL, which first asks Microsoft's public instance-discovery service
// about any login host it does not know; that makes a sovereign or local login host (tests)
// unusable, so the SDK is given this provider instead (its documented `token` option).
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

// Teams single sign-on tokens: what Teams gives Quorum for the signed-in person — the meeting
// panel through teams-js (authentication.getAuthToken), the bot through the silent token
// exchange of an OAuth card. Either way it is an Entra v2 token for this app (audience
// `api://<host>/botid-<app id>` or the app id), issued by the person's Microsoft tenant and
// verified against that tenant's published keys (jose); a single-tenant app accepts its own
// tenant only.
export interface TeamsSsoIdentity {
  /** The Microsoft tenant (tid). */
  msTenantId: string;
  /** The Entra object id (oid): the same id Teams puts in activities as `aadObjectId`. */
  objectId: string | null;
  /** preferred_username, lower-cased, when it is an address. */
  email: string | null;
  name: string | null;
}

export interface TeamsSsoSettings {
  loginUrl: string;
  clientId: string;
  /** The app's own Microsoft tenant (single-tenant registration), when it is one. */
  appTenantId: string | undefined;
  /** Quorum's public host, for the `api://<host>/botid-<app id>` audience. */
  host: string;
}

/** The Application ID URI Teams asks Entra for: also the manifest's webApplicationInfo resource. */
export function ssoResource(host: string, clientId: string): string {
  return `api://${host}/botid-${clientId}`;
}

/** Verifies a Teams SSO token; null when it is not one this app accepts (never a reason why). */
export type TeamsSsoVerifier = (token: string) => Promise<TeamsSsoIdentity | null>;

export function createTeamsSsoVerifier(settings: TeamsSsoSettings): TeamsSsoVerifier {
  const keySets = new Map<string, JWTVerifyGetKey>();
  return async (token) => {
    let tid: unknown;
    try {
      tid = decodeJwt(token).tid;
    } catch {
      return null;
    }
    if (typeof tid !== 'string' || !/^[0-9a-f-]{36}$/i.test(tid)) return null;
    if (settings.appTenantId && tid.toLowerCase() !== settings.appTenantId.toLowerCase()) {
      return null;
    }
    // One key set per tenant: the tenant named in the token decides where its keys are read,
    // and the issuer check below holds the token to that same tenant.
    let keys = keySets.get(tid);
    if (!keys) {
      keys = createRemoteJWKSet(new URL(`${settings.loginUrl}/${tid}/discovery/v2.0/keys`));
      keySets.set(tid, keys);
    }
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: `${settings.loginUrl}/${tid}/v2.0`,
        audience: [ssoResource(settings.host, settings.clientId), settings.clientId],
        algorithms: ['RS256'],
      });
      const str = (v: unknown) => (typeof v === 'string' && v ? v : null);
      const username = str(payload.preferred_username)?.toLowerCase() ?? null;
      return {
        msTenantId: tid,
        objectId: str(payload.oid),
        email: username?.includes('@') ? username : null,
        name: str(payload.name),
      };
    } catch {
      return null;
    }
  };
}

// The Teams SDK logs through Quorum's logger (infra/http/sdk-logger.ts), with secrets masked
// like every other line.
export function sdkLogger(logger: Logger, name = 'teams'): ILogger {
  const log = sdkLog(logger, name);
  return {
    ...log,
    log: (level: LogLevel, ...parts: unknown[]) => {
      if (level === 'error' || level === 'warn' || level === 'trace') log[level](...parts);
      else log.debug(...parts);
    },
    child: (child: string) => sdkLogger(logger, `${name}/${child}`),
  };
}
