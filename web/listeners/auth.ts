// Sign-in, sign-up of the first administrator, sign-out, and SSO with Google and Microsoft.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import {
  AccountError,
  authenticateLocal,
  createTenantWithAdmin,
  isFreshInstall,
} from '../../core/identity/accounts.ts';
import type { AuditRecorder } from '../../core/identity/audit-port.ts';
import type { OidcClient, SsoProviderId } from '../../core/identity/oidc.ts';
import type { SessionService } from '../../core/identity/sessions.ts';
import type { SignInLimiter } from '../../core/identity/sign-in-limiter.ts';
import type { Logger } from '../../core/logger.ts';
import type { Store } from '../../core/store/store.ts';
import { verifiedTenantContext } from '../../core/store/tenant-context.ts';
import { SESSION_COOKIE, authOf, requireUser } from '../../infra/http/authenticate.ts';
import { HttpError } from '../../infra/http/http-error.ts';
import { newPassword } from '../../infra/http/password-input.ts';
import type { RouteSchema } from '../../infra/http/route-schema.ts';
import { parseInput } from '../../infra/http/validate.ts';
import { clientMeta, SignInSessions } from './auth-session.ts';
import { SsoSignIn } from './sso.ts';

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

export class PasswordSignIn extends SignInSessions {
  async state(_req: Request, res: Response) {
    const auth = authOf(res);
    const freshInstall = await isFreshInstall(this.deps.store);
    res.json({
      freshInstall,
      // The same rule signUp applies, so the sign-in page offers an account only when one can
      // be made (a race to the first account on a fresh install is still refused there).
      signupOpen: this.deps.openSignup || freshInstall,
      sso: Object.keys(this.deps.sso),
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
  }

  async signUp(req: Request, res: Response) {
    await this.limited(req);
    const body = parseInput(signUpBody, req.body);
    // Refused before the password is looked at: its strength check holds the event loop, and
    // a closed install must not do that work for anyone who asks.
    if (!this.deps.openSignup && !(await isFreshInstall(this.deps.store))) {
      throw new HttpError(
        403,
        'signup-closed',
        'This Quorum already has an administrator. Ask them to add you, or sign in.',
      );
    }
    try {
      const { user } = await createTenantWithAdmin(this.deps.store, body, {
        openSignup: this.deps.openSignup,
      });
      await this.startSession(req, res, user, 'password');
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
  }

  async signIn(req: Request, res: Response) {
    await this.limited(req);
    const body = parseInput(signInBody, req.body);
    const account = await this.deps.limiter.checkAccount(body.email);
    if (!account.allowed) {
      throw new HttpError(
        429,
        'too_many_attempts',
        `Too many sign-in attempts for this account. Try again in ${account.retryAfterSeconds} seconds.`,
        { 'Retry-After': String(account.retryAfterSeconds) },
      );
    }
    const result = await authenticateLocal(this.deps.store, body.email, body.password);
    if (!result.ok) {
      await this.deps.limiter.failedAccount(body.email);
      if (result.user) {
        await this.deps.audit(verifiedTenantContext(result.user.tenantId, 'system'), {
          action: 'sign-in.failed',
          actor: `user:${result.user._id}`,
          target: `user:${result.user._id}`,
          ...clientMeta(req),
          details: { method: 'password', reason: result.reason },
        });
      } else {
        // No tenant to audit into: the attempt is logged (never the password).
        this.deps.logger.warn(
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
    await this.startSession(req, res, result.user, 'password');
    res.json({
      user: {
        id: result.user._id,
        name: result.user.name,
        email: result.user.email,
        role: result.user.role,
      },
    });
  }

  async signOut(req: Request, res: Response) {
    const auth = requireUser(req, res);
    await this.deps.sessions.revoke(auth.sessionId);
    this.clearCookie(res, SESSION_COOKIE);
    await this.deps.audit(auth.ctx, {
      action: 'sign-out',
      actor: `user:${auth.user._id}`,
      ...clientMeta(req),
    });
    res.json({ signedOut: true });
  }

  async signOutEverywhere(req: Request, res: Response) {
    const auth = requireUser(req, res);
    const ended = await this.deps.sessions.revokeAll(auth.user._id);
    this.clearCookie(res, SESSION_COOKIE);
    await this.deps.audit(auth.ctx, {
      action: 'sign-out',
      actor: `user:${auth.user._id}`,
      ...clientMeta(req),
      details: { everywhere: true, sessions: ended },
    });
    res.json({ signedOut: true, sessions: ended });
  }
}

export function authRoutes(deps: AuthRouteDeps): Router {
  const router = Router();
  const password = new PasswordSignIn(deps);
  const sso = new SsoSignIn(deps);
  router.get('/auth/state', (req, res) => password.state(req, res));
  router.post('/auth/signup', (req, res) => password.signUp(req, res));
  router.post('/auth/signin', (req, res) => password.signIn(req, res));
  router.post('/auth/signout', (req, res) => password.signOut(req, res));
  router.post('/auth/signout-everywhere', (req, res) => password.signOutEverywhere(req, res));
  router.get('/auth/sso/:provider/start', (req, res) => sso.start(req, res));
  router.get('/auth/sso/:provider/callback', (req, res) => sso.callback(req, res));
  return router;
}
