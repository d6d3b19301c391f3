// Linking a Slack user to a Quorum account: the /meet connect button opens
// GET /connect/slack?t=<signed token>; the signed-in person confirms with a POST from that page
// (the shared account-linking page, infra/http/account-linking.ts). The Slack identity comes
// only from the token Quorum signed for that Slack user; the Quorum identity only from the
// session.
import type { Router } from 'express';
import type { AuditRecorder } from '../../../core/identity/audit-port.ts';
import type { SsoProviderId } from '../../../core/identity/oidc.ts';
import { accountLinkingRoutes } from '../../../infra/http/account-linking.ts';
import { verifyLinkToken, type LinkClaims } from '../middleware/link-token.ts';
import { escapeHtml } from '../pages.ts';
import type { SlackPeople } from '../middleware/people.ts';
import type { Workspaces } from '../store/workspaces.ts';

export const LINK_PATH = '/connect/slack';

export interface LinkRouteDeps {
  linkKey: Uint8Array;
  workspaces: Workspaces;
  people: SlackPeople;
  audit: AuditRecorder;
  sso: readonly SsoProviderId[];
  calendarProviders: readonly string[];
}

const who = (claims: LinkClaims) => `<strong>@${escapeHtml(claims.slackName)}</strong>`;

export function slackLinkRoutes(deps: LinkRouteDeps): Router {
  return accountLinkingRoutes<LinkClaims>({
    path: LINK_PATH,
    words: {
      platform: 'Slack',
      expired:
        '<p>Links from Slack work for 15 minutes and only for the person they were made for. Run <code>/meet connect</code> in Slack again.</p>',
      signIn: (claims) =>
        `<p>Sign in to Quorum to link your Slack account ${who(claims)} (${escapeHtml(claims.teamName)}).</p>`,
      confirm: (claims, email) =>
        `<p>Link Slack user ${who(claims)} of <strong>${escapeHtml(claims.teamName)}</strong> to your Quorum account <strong>${escapeHtml(email)}</strong>? Meetings you schedule from Slack will then use your calendar.</p>`,
      sessionEnded: '<p>Your Quorum session has ended. Open the link from Slack again.</p>',
      askAdmin:
        '<p>This Slack workspace is not linked to a Quorum organization yet. An administrator of your Quorum links it by running <code>/meet connect</code> in Slack and confirming here.</p>',
      otherOrganization: {
        title: 'Another organization’s workspace',
        text: '<p>This Slack workspace belongs to another Quorum organization, so it cannot be linked to your account.</p>',
      },
      linked: (claims, email) =>
        `<p>Slack user ${who(claims)} now schedules as <strong>${escapeHtml(email)}</strong>. You can go back to Slack.</p>`,
      connectCalendars: 'Connect your calendar, so Quorum sees when you are busy:',
    },
    claimsOf: (token) =>
      typeof token === 'string' && token.length < 2000
        ? verifyLinkToken(deps.linkKey, token)
        : Promise.resolve(null),
    tenantOf: (claims) => deps.workspaces.tenantOf(claims.teamId),
    linkTenant: (claims, tenantId) => deps.workspaces.link(claims.teamId, tenantId),
    remember: (claims, tenantId, user) =>
      deps.people.remember(
        { teamId: claims.teamId, tenantId },
        claims.slackUserId,
        user,
        'confirmed',
      ),
    audited: (claims) => ({
      action: 'account.linked',
      details: { platform: 'slack', teamId: claims.teamId, slackUserId: claims.slackUserId },
    }),
    audit: deps.audit,
    sso: deps.sso,
    calendarProviders: deps.calendarProviders,
  });
}
