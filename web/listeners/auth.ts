// Sign-in, sign-up of the first administrator, sign-out, and SSO with Google and Microsoft.
import { Router, type Request, type Response } from 'express';
import { parse as parseCookie, serialize } from 'cookie';
import { SignJWT, jwtVerify } from 'jose';
import { z } from 'zod';
import {
  AccountError,
  authenticateLocal,
  createTenantWithAdmin,
  isFreshInstall,
} from '../../core/identity/accounts.ts';
import type { AuditRecorder } from '../../core/identity/audit-port.ts';
import type { UserDoc } from '../../core/identity/models.ts';
import type { OidcClient, PendingSignIn, SsoProviderId } from '../../core/identity/oidc.ts';
import type { SessionService } from '../../core/identity/sessions.ts';
import type { SignInLimiter } from '../../core/identity/sign-in-limiter.ts';
import { resolveSsoUser } from '../../core/identity/sso-accounts.ts';
import type { Logger } from '../../core/logger.ts';
import type { Store } from '../../core/store/store.ts';
import { verifiedTenantContext } from '../../core/store/tenant-context.ts';
import { SESSION_COOKIE, authOf, requireUser } from '../../infra/http/authenticate.ts';
import { HttpError } from '../../infra/http/http-error.ts';
import { newPassword } from '../../infra/http/password-input.ts';
import type { RouteSchema } from '../../infra/http/route-schema.ts';
import { parseInput } from '../../infra/http/validate.ts';

export interface AuthRouteDeps {
  store: Store;
  sessions: SessionService;
  limiter: SignInLimiter;
  audit: AuditRecorder;
  logger: Logger;
  sso: Partial<Record<SsoProviderId, OidcClient>>;
  baseUrl: string;
  /** Secret for the short-lived cookie that carries PKCE state between start and callback. */
  stateSecret: Uint8Array;
  openSignup: boolean;
}

const OIDC_COOKIE = 'quorum_oidc';
const email = z.email().max(254);

const signUpBody = z.object({
  organization: z.string().trim().min(1).max(120),
  name: z.string().trim().min(1).max(120),
  email,
  password: newPassword,
});
const signInBody = z.object({ email, password: z.string().min(1).max(256) });

export const authRouteSchemas: RouteSchema[] = [
  { method: 'POST', path: '/auth/signup', schema: signUpBody, auth: 'public' },
  { method: 'POST', path: '/auth/signin', schema: signInBody, auth: 'public' },
];

function clientMeta(req: Request) {
  return { ip: req.ip ?? null, userAgent: req.get('user-agent') ?? null };
}

/** Only same-site relative paths may be a destination after sign-in. */
function safeReturnTo(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[\w\-./?=&%#]*$/.test(value) ? value : '/';
}

export function authRoutes(deps: AuthRouteDeps): Router {
  const router = Router();
  const secure = deps.baseUrl.startsWith('https://');

  const setSessionCookie = (res: Response, token: string, expiresAt: Date) => {
    res.append(
      'Set-Cookie',
      serialize(SESSION_COOKIE, token, {
        httpOnly: true,
        secure,
        sameSite: 'lax',
        path: '/',
        expires: expiresAt,
      }),
    );
  };
  const clearCookie = (res: Response, name: string) => {
    res.append(
      'Set-Cookie',
      serialize(name, '', { httpOnly: true, secure, sameSite: 'lax', path: '/', maxAge: 0 }),
    );
  };

  const startSession = async (req: Request, res: Response, user: UserDoc, method: string) => {
    const { token, expiresAt } = await deps.sessions.issue(user, clientMeta(req));
    setSessionCookie(res, token, expiresAt);
    await deps.audit(verifiedTenantContext(user.tenantId, 'session', user._id), {
      action: 'sign-in.succeeded',
      actor: `user:${user._id}`,
      target: `user:${user._id}`,
      ...clientMeta(req),
      details: { method },
    });
  };

  const limited = async (req: Request) => {
    const verdict = await deps.limiter.attempt(req.ip ?? 'unknown');
    if (!verdict.allowed) {
      throw new HttpError(
        429,
        'too_many_attempts',
        `Too many sign-in attempts from your address. Try again in ${verdict.retryAfterSeconds} seconds.`,
        { 'Retry-After': String(verdict.retryAfterSeconds) },
      );
    }
  };

  router.get('/auth/state', async (_req, res) => {
    const auth = authOf(res);
    res.json({
      freshInstall: await isFreshInstall(deps.store),
      sso: Object.keys(deps.sso),
      user:
        auth?.kind === 'session'
          ? {
              id: auth.user._id,
              name: auth.user.name,
              email: auth.user.email,
              role: auth.user.role,
            }
          : null,
    });
  });

  router.post('/auth/signup', async (req, res) => {
    await limited(req);
    const body = parseInput(signUpBody, req.body);
    // Refused before the password is looked at: its strength check holds the event loop, and
    // a closed install must not do that work for anyone who asks.
    if (!deps.openSignup && !(await isFreshInstall(deps.store))) {
      throw new HttpError(
        403,
        'signup-closed',
        'This Quorum already has an administrator. Ask them to add you, or sign in.',
      );
    }
    try {
      const { user } = await createTenantWithAdmin(deps.store, body, {
        openSignup: deps.openSignup,
      });
      await startSession(req, res, user, 'password');
      res
        .status(201)
        .json({ user: { id: user._id, name: user.name, email: user.email, role: user.role } });
    } catch (error) {
      if (error instanceof AccountError) {
        const status =
          error.code === 'signup-closed' ? 403 : error.code === 'email-taken' ? 409 : 400;
        throw new HttpError(status, error.code, error.message);
      }
      throw error;
    }
  });

  router.post('/auth/signin', async (req, res) => {
    await limited(req);
    const body = parseInput(signInBody, req.body);
    const account = await deps.limiter.checkAccount(body.email);
    if (!account.allowed) {
      throw new HttpError(
        429,
        'too_many_attempts',
        `Too many sign-in attempts for this account. Try again in ${account.retryAfterSeconds} seconds.`,
        { 'Retry-After': String(account.retryAfterSeconds) },
      );
    }
    const result = await authenticateLocal(deps.store, body.email, body.password);
    if (!result.ok) {
      await deps.limiter.failedAccount(body.email);
      if (result.user) {
        await deps.audit(verifiedTenantContext(result.user.tenantId, 'system'), {
          action: 'sign-in.failed',
          actor: `user:${result.user._id}`,
          target: `user:${result.user._id}`,
          ...clientMeta(req),
          details: { method: 'password', reason: result.reason },
        });
      } else {
        // No tenant to audit into: the attempt is logged (never the password).
        deps.logger.warn(
          { ip: req.ip, reason: result.reason },
          'sign-in failed for an unknown email',
        );
      }
      const message =
        result.reason === 'no-password'
          ? 'This account signs in with Google or Microsoft.'
          : 'The email or password is not right.';
      throw new HttpError(401, 'sign_in_failed', message);
    }
    await startSession(req, res, result.user, 'password');
    res.json({
      user: {
        id: result.user._id,
        name: result.user.name,
        email: result.user.email,
        role: result.user.role,
      },
    });
  });

  router.post('/auth/signout', async (req, res) => {
    const auth = requireUser(req, res);
    await deps.sessions.revoke(auth.sessionId);
    clearCookie(res, SESSION_COOKIE);
    await deps.audit(auth.ctx, {
      action: 'sign-out',
      actor: `user:${auth.user._id}`,
      ...clientMeta(req),
    });
    res.json({ signedOut: true });
  });

  router.post('/auth/signout-everywhere', async (req, res) => {
    const auth = requireUser(req, res);
    const ended = await deps.sessions.revokeAll(auth.user._id);
    clearCookie(res, SESSION_COOKIE);
    await deps.audit(auth.ctx, {
      action: 'sign-out',
      actor: `user:${auth.user._id}`,
      ...clientMeta(req),
      details: { everywhere: true, sessions: ended },
    });
    res.json({ signedOut: true, sessions: ended });
  });

  const ssoClient = (req: Request): OidcClient => {
    const client = deps.sso[req.params.provider as SsoProviderId];
    if (!client)
      throw new HttpError(
        404,
        'unknown_provider',
        `Sign-in with "${String(req.params.provider)}" is not set up here.`,
      );
    return client;
  };
  const redirectUri = (provider: string) => `${deps.baseUrl}/auth/sso/${provider}/callback`;

  router.get('/auth/sso/:provider/start', async (req, res) => {
    const client = ssoClient(req);
    const { url, pending } = await client.start(
      redirectUri(client.id),
      safeReturnTo(req.query.returnTo),
    );
    const sealed = await new SignJWT({ ...pending })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('10m')
      .sign(deps.stateSecret);
    res.append(
      'Set-Cookie',
      serialize(OIDC_COOKIE, sealed, {
        httpOnly: true,
        secure,
        sameSite: 'lax',
        path: '/auth/sso',
        maxAge: 600,
      }),
    );
    res.redirect(302, url.href);
  });

  router.get('/auth/sso/:provider/callback', async (req, res) => {
    await limited(req);
    const client = ssoClient(req);
    const sealed = parseCookie(req.get('cookie') ?? '')[OIDC_COOKIE];
    if (!sealed)
      throw new HttpError(
        400,
        'sign_in_expired',
        'The sign-in took too long or was started elsewhere. Start again.',
      );
    let pending: PendingSignIn;
    try {
      pending = (await jwtVerify(sealed, deps.stateSecret, { algorithms: ['HS256'] }))
        .payload as unknown as PendingSignIn;
    } catch {
      throw new HttpError(
        400,
        'sign_in_expired',
        'The sign-in took too long or was started elsewhere. Start again.',
      );
    }
    if (pending.provider !== client.id)
      throw new HttpError(
        400,
        'sign_in_mismatch',
        'The sign-in was started with another provider. Start again.',
      );
    clearCookie(res, OIDC_COOKIE);
    const callbackUrl = new URL(req.originalUrl, deps.baseUrl);
    let identity;
    try {
      identity = await client.finish(callbackUrl, pending, redirectUri(client.id));
    } catch (error) {
      deps.logger.warn(
        { provider: client.id, reason: (error as Error).message },
        'SSO sign-in rejected',
      );
      throw new HttpError(
        401,
        'sign_in_failed',
        `Sign-in with ${client.id} could not be verified. Start again.`,
      );
    }
    const resolved = await resolveSsoUser(deps.store, identity, { openSignup: deps.openSignup });
    if (!resolved.ok) {
      const messages = {
        'no-email': 'Your account did not share a verified email address.',
        'unknown-organization':
          'Your organization does not use this Quorum yet. Ask its administrator to add your email domain.',
        'account-deleted': 'This account was deleted.',
      } as const;
      throw new HttpError(403, resolved.reason, messages[resolved.reason]);
    }
    await startSession(req, res, resolved.user, `sso:${client.id}`);
    res.redirect(302, safeReturnTo(pending.returnTo));
  });

  return router;
}
