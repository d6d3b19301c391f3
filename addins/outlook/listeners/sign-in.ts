// Signing in from the task pane: the two ways the pane gets a session token it can send as a
// bearer token (a third-party frame gets no cookies): Office SSO, or the sign-in dialog.
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { UserDoc } from '../../../core/identity/models.ts';
import { resolveSsoUser } from '../../../core/identity/sso-accounts.ts';
import { verifiedTenantContext } from '../../../core/store/tenant-context.ts';
import { requireUser } from '../../../infra/http/authenticate.ts';
import { HttpError } from '../../../infra/http/http-error.ts';
import type { RouteSchema } from '../../../infra/http/route-schema.ts';
import { parseInput } from '../../../infra/http/validate.ts';
import type { OutlookRouteDeps } from '../index.ts';

const ssoBody = z.object({ token: z.string().min(20).max(10_000) });

export const outlookRouteSchemas: RouteSchema[] = [
  { method: 'POST', path: '/outlook/auth/sso', schema: ssoBody, auth: 'office-sso' },
];

/** POST /outlook/auth/sso and POST /outlook/auth/token. */
export function signInRoutes(router: Router, deps: OutlookRouteDeps): void {
  const issue = async (req: Request, res: Response, user: UserDoc, method: string) => {
    const meta = { ip: req.ip ?? null, userAgent: req.get('user-agent') ?? null };
    const { token, expiresAt } = await deps.sessions.issue(user, meta);
    await deps.audit(verifiedTenantContext(user.tenantId, 'session', user._id), {
      action: 'sign-in.succeeded',
      actor: `user:${user._id}`,
      target: `user:${user._id}`,
      ...meta,
      details: { method },
    });
    res.setHeader('Cache-Control', 'no-store');
    res.json({
      token,
      expiresAt: expiresAt.toISOString(),
      user: { id: user._id, name: user.name, email: user.email },
    });
  };

  // Office SSO: the pane's Microsoft access token becomes a Quorum session token.
  router.post('/outlook/auth/sso', express.json({ limit: '16kb' }), async (req, res) => {
    if (!deps.verifyMicrosoftToken) {
      throw new HttpError(
        404,
        'sso_not_configured',
        'Sign-in with Microsoft is not set up on this Quorum. Sign in with your Quorum password.',
      );
    }
    const { token } = parseInput(ssoBody, req.body);
    let identity;
    try {
      identity = await deps.verifyMicrosoftToken(token);
    } catch (error) {
      deps.logger.warn({ reason: (error as Error).message }, 'Office SSO token rejected');
      throw new HttpError(
        401,
        'sign_in_failed',
        'Outlook’s sign-in could not be verified. Use “Sign in” to sign in another way.',
      );
    }
    const resolved = await resolveSsoUser(deps.store, identity, { openSignup: deps.openSignup });
    if (!resolved.ok) {
      const messages = {
        'no-email': 'Your Microsoft account did not share an email address.',
        'unknown-organization':
          'Your organization does not use this Quorum yet. Ask its administrator to add your email domain.',
        'account-deleted': 'This account was deleted.',
      } as const;
      throw new HttpError(403, resolved.reason, messages[resolved.reason]);
    }
    await issue(req, res, resolved.user, 'sso:microsoft-office');
  });

  // The dialog signed in first-party (cookie); it asks for a token to hand to the pane.
  router.post('/outlook/auth/token', async (req, res) => {
    const { user } = requireUser(req, res);
    await issue(req, res, user, 'outlook-dialog');
  });
}
