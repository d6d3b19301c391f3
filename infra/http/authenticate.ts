// Who is asking: a session cookie (people) or an API key (programs). The tenant comes from
// that verified credential only, never from the URL or body.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { parse as parseCookie } from 'cookie';
import type { ApiKeyService } from '../../core/identity/api-keys.ts';
import type { UserDoc } from '../../core/identity/models.ts';
import type { SessionService } from '../../core/identity/sessions.ts';
import type { TenantContext } from '../../core/store/tenant-context.ts';
import { HttpError } from './http-error.ts';

export const SESSION_COOKIE = 'quorum_session';

export type Auth =
  | { kind: 'session'; ctx: TenantContext; user: UserDoc; sessionId: string }
  | { kind: 'api-key'; ctx: TenantContext; permissions: string[]; keyId: string };

export function authOf(res: Response): Auth | undefined {
  return res.locals.auth as Auth | undefined;
}

export interface CredentialVerifiers {
  sessions: SessionService;
  apiKeys: ApiKeyService;
}

/**
 * The caller an `Authorization: Bearer qrm_…` header or the session cookie names; undefined for
 * neither. Throws a 401 HttpError for an API key that is not valid. Used by the HTTP API and by
 * WebSocket upgrades, so both accept the same credentials.
 */
export async function verifyCredentials(
  deps: CredentialVerifiers,
  headers: { authorization?: string | undefined; cookie?: string | undefined },
): Promise<Auth | undefined> {
  const header = headers.authorization;
  if (header?.startsWith('Bearer qrm_')) {
    const verified = await deps.apiKeys.verify(header.slice('Bearer '.length).trim());
    if (!verified)
      throw new HttpError(401, 'invalid_api_key', 'The API key is not valid or was revoked.');
    return { kind: 'api-key', ...verified } satisfies Auth;
  }
  // Embedded panes (Outlook's task pane) get no cookies from a third-party frame: they
  // send the session token they were handed at sign-in as a bearer token instead. Other
  // bearer tokens (a platform calling its own webhook route) are not ours: left alone.
  if (header?.startsWith('Bearer ')) {
    const session = await deps.sessions.verify(header.slice('Bearer '.length).trim());
    if (session) {
      return {
        kind: 'session',
        ctx: session.ctx,
        user: session.user,
        sessionId: session.sessionId,
      } satisfies Auth;
    }
  }
  const token = parseCookie(headers.cookie ?? '')[SESSION_COOKIE];
  if (token) {
    const session = await deps.sessions.verify(token);
    if (session) {
      return {
        kind: 'session',
        ctx: session.ctx,
        user: session.user,
        sessionId: session.sessionId,
      } satisfies Auth;
    }
  }
  return undefined;
}

export function authenticate(deps: CredentialVerifiers): RequestHandler {
  return async (req, res, next) => {
    try {
      const auth = await verifyCredentials(deps, {
        authorization: req.get('authorization'),
        cookie: req.get('cookie'),
      });
      if (auth) res.locals.auth = auth;
      next();
    } catch (error) {
      next(error);
    }
  };
}

/**
 * Changes made with a session cookie, and every change to sign-in state (`/auth/…`: signing in,
 * signing up, signing out), must come from Quorum's own pages — a CSRF defence in depth, and
 * for sign-in the defence against login CSRF, where another site signs a visitor in to an
 * account of its choosing. A request naming another origin is refused; so is one that names no
 * origin while the browser says it came from another site (`Sec-Fetch-Site: cross-site`).
 */
export function sameOriginForCookies(allowedOrigins: string[]): RequestHandler {
  return (req, res, next) => {
    if (['GET', 'HEAD', 'OPTIONS'].includes(req.method)) return next();
    const changesSignIn = req.path.startsWith('/auth/');
    if (authOf(res)?.kind !== 'session' && !changesSignIn) return next();
    const origin = req.get('origin');
    const crossSite = origin
      ? !allowedOrigins.includes(origin)
      : req.get('sec-fetch-site') === 'cross-site';
    if (crossSite) {
      return next(
        new HttpError(403, 'cross_origin', 'Requests from other sites are not accepted.'),
      );
    }
    next();
  };
}

export function requireUser(req: Request, res: Response): Extract<Auth, { kind: 'session' }> {
  const auth = authOf(res);
  if (auth?.kind !== 'session') {
    throw new HttpError(401, 'sign_in_required', `Sign in to use ${req.path}.`);
  }
  return auth;
}

export function requireAdmin(req: Request, res: Response): Extract<Auth, { kind: 'session' }> {
  const auth = requireUser(req, res);
  if (auth.user.role !== 'admin') {
    throw new HttpError(
      403,
      'admin_only',
      'Only an administrator of your organization can do this.',
    );
  }
  return auth;
}

/** A signed-in user, or an API key holding `permission`. */
export function requireAccess(req: Request, res: Response, permission: string): Auth {
  const auth = authOf(res);
  if (auth?.kind === 'session') return auth;
  if (auth?.kind === 'api-key') {
    if (auth.permissions.includes(permission)) return auth;
    throw new HttpError(
      403,
      'missing_permission',
      `This API key lacks the "${permission}" permission.`,
    );
  }
  throw new HttpError(401, 'sign_in_required', `Sign in or send an API key to use ${req.path}.`);
}

export type AsyncHandler = (req: Request, res: Response, next: NextFunction) => Promise<void>;
