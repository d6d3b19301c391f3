// The Outlook add-in's routes: its task pane (framed by Outlook only), the office.js library
// served from Quorum itself (the pane's policy allows scripts from 'self' alone, and it must load
// without reaching any other host), the page the sign-in dialog ends on, and the two ways the
// pane gets a session token it can send as a bearer token (a third-party frame gets no cookies).
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import type { AuditRecorder } from '../../core/identity/audit-port.ts';
import type { MicrosoftTokenVerifier } from '../../core/identity/microsoft-token.ts';
import type { UserDoc } from '../../core/identity/models.ts';
import type { SessionService } from '../../core/identity/sessions.ts';
import { resolveSsoUser } from '../../core/identity/sso-accounts.ts';
import type { Logger } from '../../core/logger.ts';
import type { Store } from '../../core/store/store.ts';
import { verifiedTenantContext } from '../../core/store/tenant-context.ts';
import { requireUser } from '../../infra/http/authenticate.ts';
import { HttpError } from '../../infra/http/http-error.ts';
import type { RouteSchema } from '../../infra/http/route-schema.ts';
import { FRAME_HOSTS, allowFramingBy } from '../../infra/http/security-headers.ts';
import { parseInput } from '../../infra/http/validate.ts';
import { sendUiPage } from '../../infra/http/ui-pages.ts';

export const TASKPANE_PAGE = 'addins/outlook/taskpane/index.html';
export const COMMANDS_PAGE = 'addins/outlook/commands/index.html';
/** Where office.js is served from; the pages load `${OFFICE_JS_PATH}/office.js`. */
export const OFFICE_JS_PATH = '/outlook/office-js';

/** node_modules/@microsoft/office-js/dist: office.js and the host-specific files it loads. */
export function officeJsDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('@microsoft/office-js/package.json')), 'dist');
}

const ICONS_DIR = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'manifests',
  'icons',
);

/**
 * The sign-in dialog passes through /auth/sso/... (redirects only) and ends on
 * /outlook/auth-done. Office's dialog reaches the add-in through the window that opened it, and
 * `Cross-Origin-Opener-Policy: same-origin` (helmet's default) cuts that link, so
 * messageParent's message never arrives. Those responses opt out; every other page keeps it.
 * Mount after securityHeaders() and before the sign-in routes.
 */
export function dialogOpenerPolicy(): RequestHandler {
  return (req, res, next) => {
    if (req.path.startsWith('/auth/sso/') || req.path === '/outlook/auth-done') {
      res.setHeader('Cross-Origin-Opener-Policy', 'unsafe-none');
    } else if (req.path === '/outlook/taskpane') {
      // Where the pane itself opens the dialog (a browser tab in development and tests).
      res.setHeader('Cross-Origin-Opener-Policy', 'same-origin-allow-popups');
    }
    next();
  };
}

export interface OutlookRouteDeps {
  store: Store;
  sessions: SessionService;
  audit: AuditRecorder;
  logger: Logger;
  openSignup: boolean;
  /** Office SSO tokens are checked with this; absent when Microsoft sign-in is not set up. */
  verifyMicrosoftToken: MicrosoftTokenVerifier | undefined;
}

const ssoBody = z.object({ token: z.string().min(20).max(10_000) });

export const outlookRouteSchemas: RouteSchema[] = [
  { method: 'POST', path: '/outlook/auth/sso', schema: ssoBody, auth: 'office-sso' },
];

export function outlookRoutes(deps: OutlookRouteDeps): Router {
  const router = Router();
  const framed = allowFramingBy(FRAME_HOSTS.outlook);

  router.use(
    OFFICE_JS_PATH,
    express.static(officeJsDir(), { index: false, maxAge: '1d', fallthrough: false }),
  );
  // The add-in's icons, which both manifests point Outlook at.
  router.use(
    '/outlook/icons',
    express.static(ICONS_DIR, { index: false, maxAge: '1d', fallthrough: false }),
  );
  router.get('/outlook/taskpane', framed, (_req, res) => sendUiPage(res, TASKPANE_PAGE));
  // The sign-in dialog ends here: the same bundle, which hands the pane a token and closes.
  router.get('/outlook/auth-done', (_req, res) => sendUiPage(res, TASKPANE_PAGE));
  // Event-based activation's runtime page (OnAppointmentAttendeesChanged), loaded hidden.
  router.get('/outlook/commands', framed, (_req, res) => sendUiPage(res, COMMANDS_PAGE));

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

  return router;
}
