// Connecting a Google or Microsoft calendar: the browser goes to the provider's consent screen
// and comes back with a code. A signed, short-lived cookie carries the PKCE verifier and state
// from start to callback, tied to the signed-in person who started it.
import { Router, type Request, type Response } from 'express';
import { parse as parseCookie, serialize } from 'cookie';
import { SignJWT, jwtVerify } from 'jose';
import { z } from 'zod';
import { CalendarConnectionError } from '../../core/calendars/connections/connection-error.ts';
import type { OAuthProvider } from '../../core/calendars/connections/connection-model.ts';
import type {
  CalendarConnections,
  PendingConnect,
} from '../../core/calendars/connections/connections.ts';
import type { AuditRecorder } from '../../core/identity/audit-port.ts';
import type { Logger } from '../../core/logger.ts';
import { requireUser } from '../../infra/http/authenticate.ts';
import { HttpError } from '../../infra/http/http-error.ts';

export interface ConnectRouteDeps {
  connections: CalendarConnections;
  audit: AuditRecorder;
  logger: Logger;
  baseUrl: string;
  /** Secret for the cookie that carries the connect state between start and callback. */
  stateSecret: Uint8Array;
}

const CONNECT_COOKIE = 'quorum_connect';
const COOKIE_PATH = '/connect';

const pendingCookie = z.object({
  provider: z.enum(['google', 'microsoft']),
  state: z.string().min(1),
  codeVerifier: z.string().min(43),
  userId: z.string().min(1),
  returnTo: z.string(),
});

/** Only same-site relative paths may be a destination after connecting. */
function safeReturnTo(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[\w\-./?=&%#]*$/.test(value) ? value : '/';
}

const expired = () =>
  new HttpError(
    400,
    'connect_expired',
    'Connecting the calendar took too long or was started elsewhere. Start again.',
  );

export function connectRoutes(deps: ConnectRouteDeps): Router {
  const router = Router();
  const secure = deps.baseUrl.startsWith('https://');
  const redirectUri = (provider: OAuthProvider) => `${deps.baseUrl}/connect/${provider}/callback`;

  const providerOf = (req: Request): OAuthProvider => {
    const provider = req.params.provider as OAuthProvider;
    if (!deps.connections.oauthProviders.includes(provider)) {
      throw new HttpError(
        404,
        'unknown_provider',
        `Connecting a "${String(req.params.provider)}" calendar is not set up here.`,
      );
    }
    return provider;
  };

  const setCookie = (res: Response, value: string, maxAge: number) => {
    res.append(
      'Set-Cookie',
      serialize(CONNECT_COOKIE, value, {
        httpOnly: true,
        secure,
        sameSite: 'lax',
        path: COOKIE_PATH,
        maxAge,
      }),
    );
  };

  router.get('/connect/:provider/start', async (req, res) => {
    const { user } = requireUser(req, res);
    const provider = providerOf(req);
    const { url, pending } = await deps.connections.startOAuth(
      user,
      provider,
      redirectUri(provider),
    );
    const sealed = await new SignJWT({ ...pending, returnTo: safeReturnTo(req.query.returnTo) })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('10m')
      .sign(deps.stateSecret);
    setCookie(res, sealed, 600);
    res.redirect(302, url.href);
  });

  router.get('/connect/:provider/callback', async (req, res) => {
    const { ctx, user } = requireUser(req, res);
    const provider = providerOf(req);
    const sealed = parseCookie(req.get('cookie') ?? '')[CONNECT_COOKIE];
    if (!sealed) throw expired();
    let pending: PendingConnect & { returnTo: string };
    try {
      const { payload } = await jwtVerify(sealed, deps.stateSecret, { algorithms: ['HS256'] });
      pending = pendingCookie.parse(payload);
    } catch {
      throw expired();
    }
    setCookie(res, '', 0);
    if (pending.provider !== provider || pending.userId !== user._id) {
      throw new HttpError(
        400,
        'connect_mismatch',
        'This calendar connection was started for another provider or person. Start again.',
      );
    }
    let connection;
    try {
      connection = await deps.connections.finishOAuth(
        ctx,
        user,
        pending,
        new URL(req.originalUrl, deps.baseUrl),
        redirectUri(provider),
      );
    } catch (error) {
      if (!(error instanceof CalendarConnectionError)) throw error;
      deps.logger.warn({ provider, problem: error.problem }, 'calendar connection refused');
      throw new HttpError(400, error.problem, error.message);
    }
    await deps.audit(ctx, {
      action: 'calendar.connected',
      actor: `user:${user._id}`,
      target: `calendar:${connection.id}`,
      ip: req.ip ?? null,
      userAgent: req.get('user-agent') ?? null,
      details: { provider, scopes: connection.scopes },
    });
    res.redirect(302, safeReturnTo(pending.returnTo));
  });

  return router;
}
