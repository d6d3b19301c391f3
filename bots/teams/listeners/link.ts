// Linking a Teams user to a Quorum account ("connect"): the card's button opens
// GET /connect/teams?t=<signed token>; the signed-in person confirms with a POST from that page.
// The Teams identity comes only from the token Quorum signed for the Teams user who asked, the
// Quorum identity only from the session; the confirmation step keeps a link someone else sent
// from being attached to your account by a click you did not mean.
import express, { Router, type Request, type Response } from 'express';
import type { UserDoc } from '../../../core/identity/models.ts';
import type { AuditRecorder } from '../../../core/identity/audit-port.ts';
import type { SsoProviderId } from '../../../core/identity/oidc.ts';
import { verifiedTenantContext } from '../../../core/store/tenant-context.ts';
import { authOf } from '../../../infra/http/authenticate.ts';
import { escapeHtml, sendPage } from '../../../infra/http/plain-page.ts';
import type { Directory } from '../middleware/directory.ts';
import { LINK_PATH, verifyLinkToken, type LinkClaims } from '../middleware/link-token.ts';

const SSO_NAMES: Record<string, string> = { google: 'Google', microsoft: 'Microsoft' };

function expired(res: Response): void {
  sendPage(
    res,
    400,
    'This link has expired',
    '<p>Links from Teams work for 15 minutes and only for the person they were made for. Send <code>connect</code> to Quorum in Teams again.</p>',
  );
}

export interface LinkRoutesDeps {
  linkKey: Uint8Array;
  directory: Directory;
  audit: AuditRecorder;
  sso: readonly SsoProviderId[];
  calendarProviders: readonly string[];
  /** Tells the Teams conversation the link was asked from; never fails the link. */
  onLinked?(claims: LinkClaims, email: string): Promise<void>;
}

export function teamsLinkRoutes(deps: LinkRoutesDeps): Router {
  const router = Router();
  router.get(LINK_PATH, (req: Request, res: Response) => showLinkPage(deps, req, res));
  router.post(
    LINK_PATH,
    express.urlencoded({ extended: false, limit: '8kb' }),
    (req: Request, res: Response) => confirmLink(deps, req, res),
  );
  return router;
}

/** GET: sign in first, or confirm which Quorum account the Teams user becomes. */
async function showLinkPage(deps: LinkRoutesDeps, req: Request, res: Response): Promise<void> {
  const token = req.query.t;
  const claims = await verifyLinkToken(deps.linkKey, token);
  if (!claims) return expired(res);
  const auth = authOf(res);
  const back = `${LINK_PATH}?t=${String(token)}`;
  if (auth?.kind !== 'session') {
    const sso = deps.sso
      .map(
        (p) =>
          `<li><a href="/auth/sso/${p}/start?returnTo=${encodeURIComponent(back)}">Sign in with ${escapeHtml(SSO_NAMES[p] ?? p)}</a></li>`,
      )
      .join('');
    return sendPage(
      res,
      200,
      'Sign in to link Teams',
      `<p>Sign in to Quorum to link your Teams account <strong>${escapeHtml(claims.name)}</strong>.</p>${sso ? `<ul>${sso}</ul>` : ''}<p>Signed in with a password in another tab? Open this link again there.</p>`,
    );
  }
  sendPage(
    res,
    200,
    'Link your Teams account',
    `<p>Link Teams user <strong>${escapeHtml(claims.name)}</strong> to your Quorum account <strong>${escapeHtml(auth.user.email)}</strong>? Meetings you schedule from Teams will then use your calendar.</p><form method="post" action="${LINK_PATH}"><input type="hidden" name="t" value="${escapeHtml(String(token))}"><button type="submit">Link my Teams account</button></form>`,
  );
}

/** POST: the signed-in person confirmed; the Teams user becomes them. */
async function confirmLink(deps: LinkRoutesDeps, req: Request, res: Response): Promise<void> {
  const claims = await verifyLinkToken(
    deps.linkKey,
    (req.body as Record<string, unknown> | undefined)?.t,
  );
  if (!claims) return expired(res);
  const auth = authOf(res);
  if (auth?.kind !== 'session') {
    return sendPage(
      res,
      401,
      'Sign in first',
      '<p>Your Quorum session has ended. Open the link from Teams again.</p>',
    );
  }
  const { user } = auth;
  const tenantId = await tenantToLink(deps, claims, user, res);
  if (!tenantId) return;
  await deps.directory.remember(claims.msTenantId, tenantId, claims.aadObjectId, user, 'confirmed');
  await deps.audit(verifiedTenantContext(tenantId, 'session', user._id), {
    action: 'settings.changed',
    actor: `user:${user._id}`,
    target: `user:${user._id}`,
    ip: req.ip ?? null,
    userAgent: req.get('user-agent') ?? null,
    details: {
      changed: ['teams-link'],
      msTenantId: claims.msTenantId,
      aadObjectId: claims.aadObjectId,
    },
  });
  await deps.onLinked?.(claims, user.email);
  const calendars = deps.calendarProviders
    .map(
      (p) =>
        `<li><a href="/connect/${p}/start">Connect ${escapeHtml(p === 'google' ? 'Google Calendar' : p === 'microsoft' ? 'Microsoft 365' : p)}</a></li>`,
    )
    .join('');
  sendPage(
    res,
    200,
    'Teams is linked',
    `<p>Teams user <strong>${escapeHtml(claims.name)}</strong> now schedules as <strong>${escapeHtml(user.email)}</strong>. You can go back to Teams.</p>${calendars ? `<p>Connect your calendar, so Quorum sees when you are busy and meetings get a Teams link:</p><ul>${calendars}</ul>` : ''}`,
  );
}

/** The person's tenant, once the Microsoft tenant is (or becomes) theirs; else the page says why. */
async function tenantToLink(
  deps: LinkRoutesDeps,
  claims: LinkClaims,
  user: UserDoc,
  res: Response,
): Promise<string | undefined> {
  let tenantId = await deps.directory.tenantOf(claims.msTenantId);
  if (!tenantId) {
    // An unlinked Microsoft tenant joins the organization of the first administrator who links it.
    if (user.role !== 'admin') {
      sendPage(
        res,
        403,
        'Ask an administrator first',
        '<p>Your Microsoft organization is not linked to a Quorum organization yet. An administrator of your Quorum links it by sending <code>connect</code> to Quorum in Teams and confirming here.</p>',
      );
      return undefined;
    }
    if ((await deps.directory.linkTenant(claims.msTenantId, user.tenantId)) === 'linked') {
      tenantId = user.tenantId;
    }
  }
  if (tenantId !== user.tenantId) {
    sendPage(
      res,
      403,
      'Another organization’s tenant',
      '<p>This Microsoft tenant belongs to another Quorum organization, so it cannot be linked to your account.</p>',
    );
    return undefined;
  }
  return tenantId;
}
