// What every way of signing in shares: the session and PKCE cookies, starting a session (with
// its audit record), and the per-address attempt limit.
import type { Request, Response } from 'express';
import { serialize } from 'cookie';
import type { UserDoc } from '../../core/identity/models.ts';
import { verifiedTenantContext } from '../../core/store/tenant-context.ts';
import { SESSION_COOKIE } from '../../infra/http/authenticate.ts';
import { HttpError } from '../../infra/http/http-error.ts';
import type { AuthRouteDeps } from './auth.ts';

export function clientMeta(req: Request) {
  return { ip: req.ip ?? null, userAgent: req.get('user-agent') ?? null };
}

/** Only same-site relative paths may be a destination after sign-in. */
export function safeReturnTo(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[\w\-./?=&%#]*$/.test(value) ? value : '/';
}

export class SignInSessions {
  protected readonly deps: AuthRouteDeps;
  protected readonly secure: boolean;
  constructor(deps: AuthRouteDeps) {
    this.deps = deps;
    this.secure = deps.baseUrl.startsWith('https://');
  }

  setSessionCookie(res: Response, token: string, expiresAt: Date) {
    res.append(
      'Set-Cookie',
      serialize(SESSION_COOKIE, token, {
        httpOnly: true,
        secure: this.secure,
        sameSite: 'lax',
        path: '/',
        expires: expiresAt,
      }),
    );
  }

  clearCookie(res: Response, name: string) {
    res.append(
      'Set-Cookie',
      serialize(name, '', {
        httpOnly: true,
        secure: this.secure,
        sameSite: 'lax',
        path: '/',
        maxAge: 0,
      }),
    );
  }

  async startSession(req: Request, res: Response, user: UserDoc, method: string) {
    const { token, expiresAt } = await this.deps.sessions.issue(user, clientMeta(req));
    this.setSessionCookie(res, token, expiresAt);
    await this.deps.audit(verifiedTenantContext(user.tenantId, 'session', user._id), {
      action: 'sign-in.succeeded',
      actor: `user:${user._id}`,
      target: `user:${user._id}`,
      ...clientMeta(req),
      details: { method },
    });
  }

  async limited(req: Request) {
    const verdict = await this.deps.limiter.attempt(req.ip ?? 'unknown');
    if (!verdict.allowed) {
      throw new HttpError(
        429,
        'too_many_attempts',
        `Too many sign-in attempts from your address. Try again in ${verdict.retryAfterSeconds} seconds.`,
        { 'Retry-After': String(verdict.retryAfterSeconds) },
      );
    }
  }
}
