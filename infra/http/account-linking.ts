// The account-linking page every chat adapter uses: a button in the chat opens
// GET <path>?t=<signed token>; the signed-in person confirms with a POST from that page. The
// platform identity comes only from the token the adapter signed for the platform user who
// asked, the Quorum identity only from the session; the confirmation step keeps a link someone
// else sent from being attached to your account by a click you did not mean. An unlinked
// workspace (or Microsoft tenant) joins the organization of the first administrator who links it.
//
// An adapter gives its path, how to read its token, where its links are kept, and its words
// (HTML, already escaped where they show claims).
import express, { Router, type Request, type Response } from 'express';
import type { AuditRecorder } from '../../core/identity/audit-port.ts';
import type { UserDoc } from '../../core/identity/models.ts';
import type { SsoProviderId } from '../../core/identity/oidc.ts';
import { verifiedTenantContext } from '../../core/store/tenant-context.ts';
import { authOf } from '../../web/http/authenticate.ts';
import { escapeHtml, sendPage } from '../../web/http/plain-page.ts';

export interface AccountLinkingWords<Claims> {
  /** "Slack", "Teams": page titles name it. */
  platform: string;
  /** Why a link no longer works, and how to get a fresh one. */
  expired: string;
  signIn(claims: Claims): string;
  confirm(claims: Claims, email: string): string;
  /** The session ended between the two steps. */
  sessionEnded: string;
  askAdmin: string;
  /** Title and text when the workspace belongs to another organization. */
  otherOrganization: { title: string; text: string };
  linked(claims: Claims, email: string): string;
  /** The sentence before the calendar links once linked. */
  connectCalendars: string;
}

export interface AccountLinkingDeps<Claims> {
  path: string;
  words: AccountLinkingWords<Claims>;
  /** The claims of a token this adapter signed, or null (expired, forged, not a string). */
  claimsOf(token: unknown): Promise<Claims | null>;
  /** The organization the platform's workspace belongs to, if any. */
  tenantOf(claims: Claims): Promise<string | undefined>;
  /** Links the workspace to an organization; 'linked' when this call did it. */
  linkTenant(claims: Claims, tenantId: string): Promise<string>;
  remember(claims: Claims, tenantId: string, user: UserDoc): Promise<void>;
  /** The audit record's action and details for a link made. */
  audited(claims: Claims): { action: 'account.linked' | 'settings.changed'; details: object };
  audit: AuditRecorder;
  sso: readonly SsoProviderId[];
  calendarProviders: readonly string[];
  /** Tells the conversation the link was asked from; never fails the link. */
  onLinked?(claims: Claims, email: string): Promise<void>;
}

const SSO_NAMES: Record<string, string> = { google: 'Google', microsoft: 'Microsoft' };
const CALENDAR_NAMES: Record<string, string> = {
  google: 'Google Calendar',
  microsoft: 'Microsoft 365',
};

export function accountLinkingRoutes<Claims>(deps: AccountLinkingDeps<Claims>): Router {
  const router = Router();
  const { path, words } = deps;
  const expired = (res: Response) => sendPage(res, 400, 'This link has expired', words.expired);

  router.get(path, async (req: Request, res: Response) => {
    const token = req.query.t;
    const claims = await deps.claimsOf(token);
    if (!claims) return expired(res);
    const auth = authOf(res);
    if (auth?.kind !== 'session') {
      const back = `${path}?t=${String(token)}`;
      const sso = deps.sso
        .map(
          (p) =>
            `<li><a href="/auth/sso/${p}/start?returnTo=${encodeURIComponent(back)}">Sign in with ${escapeHtml(SSO_NAMES[p] ?? p)}</a></li>`,
        )
        .join('');
      return sendPage(
        res,
        200,
        `Sign in to link ${words.platform}`,
        `${words.signIn(claims)}${sso ? `<ul>${sso}</ul>` : ''}<p>Signed in with a password in another tab? Open this link again there.</p>`,
      );
    }
    sendPage(
      res,
      200,
      `Link your ${words.platform} account`,
      `${words.confirm(claims, auth.user.email)}<form method="post" action="${path}"><input type="hidden" name="t" value="${escapeHtml(String(token))}"><button type="submit">Link my ${words.platform} account</button></form>`,
    );
  });

  router.post(path, express.urlencoded({ extended: false, limit: '8kb' }), async (req, res) => {
    const claims = await deps.claimsOf((req.body as Record<string, unknown> | undefined)?.t);
    if (!claims) return expired(res);
    const auth = authOf(res);
    if (auth?.kind !== 'session') {
      return sendPage(res, 401, 'Sign in first', words.sessionEnded);
    }
    const { user } = auth;
    const tenantId = await tenantFor(deps, claims, user);
    if (tenantId === 'not-admin') {
      return sendPage(res, 403, 'Ask an administrator first', words.askAdmin);
    }
    if (tenantId !== user.tenantId) {
      return sendPage(res, 403, words.otherOrganization.title, words.otherOrganization.text);
    }
    await deps.remember(claims, tenantId, user);
    const { action, details } = deps.audited(claims);
    await deps.audit(verifiedTenantContext(tenantId, 'session', user._id), {
      action,
      actor: `user:${user._id}`,
      target: `user:${user._id}`,
      ip: req.ip ?? null,
      userAgent: req.get('user-agent') ?? null,
      details: details as Record<string, unknown>,
    });
    await deps.onLinked?.(claims, user.email);
    const calendars = deps.calendarProviders
      .map(
        (p) =>
          `<li><a href="/connect/${p}/start">Connect ${escapeHtml(CALENDAR_NAMES[p] ?? p)}</a></li>`,
      )
      .join('');
    sendPage(
      res,
      200,
      `${words.platform} is linked`,
      `${words.linked(claims, user.email)}${calendars ? `<p>${words.connectCalendars}</p><ul>${calendars}</ul>` : ''}`,
    );
  });

  return router;
}

/** The organization the link goes to; an unlinked workspace joins the first administrator's. */
async function tenantFor<Claims>(
  deps: AccountLinkingDeps<Claims>,
  claims: Claims,
  user: UserDoc,
): Promise<string | undefined | 'not-admin'> {
  const tenantId = await deps.tenantOf(claims);
  if (tenantId) return tenantId;
  if (user.role !== 'admin') return 'not-admin';
  return (await deps.linkTenant(claims, user.tenantId)) === 'linked' ? user.tenantId : undefined;
}
