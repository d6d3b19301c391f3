// Linking a Slack user to a Quorum account: the /meet connect button opens
// GET /connect/slack?t=<signed token>; the signed-in person confirms with a POST from that page.
// The Slack identity comes only from the token Quorum signed for that Slack user; the Quorum
// identity only from the session. A confirmation step keeps someone else's link from being
// attached to your account by a click you did not mean.
import express, { Router, type Request, type Response } from 'express';
import type { AuditRecorder } from '../../core/identity/audit-port.ts';
import type { SsoProviderId } from '../../core/identity/oidc.ts';
import { verifiedTenantContext } from '../../core/store/tenant-context.ts';
import { authOf } from '../../infra/http/authenticate.ts';
import { verifyLinkToken, type LinkClaims } from './link-token.ts';
import { escapeHtml, sendPage } from './pages.ts';
import type { SlackPeople } from './people.ts';
import type { Workspaces } from './workspaces.ts';

export const LINK_PATH = '/connect/slack';

export interface LinkRouteDeps {
  linkKey: Uint8Array;
  workspaces: Workspaces;
  people: SlackPeople;
  audit: AuditRecorder;
  sso: readonly SsoProviderId[];
  calendarProviders: readonly string[];
}

const SSO_NAMES: Record<string, string> = { google: 'Google', microsoft: 'Microsoft' };

function expired(res: Response): void {
  sendPage(
    res,
    400,
    'This link has expired',
    '<p>Links from Slack work for 15 minutes and only for the person they were made for. Run <code>/meet connect</code> in Slack again.</p>',
  );
}

export function slackLinkRoutes(deps: LinkRouteDeps): Router {
  const router = Router();

  const claimsOf = async (token: unknown): Promise<LinkClaims | null> =>
    typeof token === 'string' && token.length < 2000 ? verifyLinkToken(deps.linkKey, token) : null;

  router.get(LINK_PATH, async (req: Request, res: Response) => {
    const token = req.query.t;
    const claims = await claimsOf(token);
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
        'Sign in to link Slack',
        `<p>Sign in to Quorum to link your Slack account <strong>@${escapeHtml(claims.slackName)}</strong> (${escapeHtml(claims.teamName)}).</p>${sso ? `<ul>${sso}</ul>` : ''}<p>Signed in with a password in another tab? Open this link again there.</p>`,
      );
    }
    sendPage(
      res,
      200,
      'Link your Slack account',
      `<p>Link Slack user <strong>@${escapeHtml(claims.slackName)}</strong> of <strong>${escapeHtml(claims.teamName)}</strong> to your Quorum account <strong>${escapeHtml(auth.user.email)}</strong>? Meetings you schedule from Slack will then use your calendar.</p><form method="post" action="${LINK_PATH}"><input type="hidden" name="t" value="${escapeHtml(String(token))}"><button type="submit">Link my Slack account</button></form>`,
    );
  });

  router.post(
    LINK_PATH,
    express.urlencoded({ extended: false, limit: '8kb' }),
    async (req, res) => {
      const claims = await claimsOf((req.body as Record<string, unknown> | undefined)?.t);
      if (!claims) return expired(res);
      const auth = authOf(res);
      if (auth?.kind !== 'session') {
        return sendPage(
          res,
          401,
          'Sign in first',
          '<p>Your Quorum session has ended. Open the link from Slack again.</p>',
        );
      }
      const { user } = auth;
      let tenantId = await deps.workspaces.tenantOf(claims.teamId);
      if (!tenantId) {
        // An unlinked workspace joins the organization of the first administrator who links it.
        if (user.role !== 'admin') {
          return sendPage(
            res,
            403,
            'Ask an administrator first',
            '<p>This Slack workspace is not linked to a Quorum organization yet. An administrator of your Quorum links it by running <code>/meet connect</code> in Slack and confirming here.</p>',
          );
        }
        if ((await deps.workspaces.link(claims.teamId, user.tenantId)) === 'linked') {
          tenantId = user.tenantId;
        }
      }
      if (tenantId !== user.tenantId) {
        return sendPage(
          res,
          403,
          'Another organization’s workspace',
          '<p>This Slack workspace belongs to another Quorum organization, so it cannot be linked to your account.</p>',
        );
      }
      await deps.people.remember(
        { teamId: claims.teamId, tenantId },
        claims.slackUserId,
        user,
        'confirmed',
      );
      await deps.audit(verifiedTenantContext(tenantId, 'session', user._id), {
        action: 'account.linked',
        actor: `user:${user._id}`,
        target: `user:${user._id}`,
        ip: req.ip ?? null,
        userAgent: req.get('user-agent') ?? null,
        details: {
          platform: 'slack',
          teamId: claims.teamId,
          slackUserId: claims.slackUserId,
        },
      });
      const calendars = deps.calendarProviders
        .map(
          (p) =>
            `<li><a href="/connect/${p}/start">Connect ${escapeHtml(p === 'google' ? 'Google Calendar' : p === 'microsoft' ? 'Microsoft 365' : p)}</a></li>`,
        )
        .join('');
      sendPage(
        res,
        200,
        'Slack is linked',
        `<p>Slack user <strong>@${escapeHtml(claims.slackName)}</strong> now schedules as <strong>${escapeHtml(user.email)}</strong>. You can go back to Slack.</p>${calendars ? `<p>Connect your calendar, so Quorum sees when you are busy:</p><ul>${calendars}</ul>` : ''}`,
      );
    },
  );

  return router;
}
