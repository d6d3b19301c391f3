// Linking a Teams user to a Quorum account ("connect"): the card's button opens
// GET /connect/teams?t=<signed token>; the signed-in person confirms with a POST from that page
// (the shared account-linking page, infra/http/account-linking.ts). The Teams identity comes
// only from the token Quorum signed for the Teams user who asked, the Quorum identity only from
// the session.
import type { Router } from 'express';
import type { AuditRecorder } from '../../../core/identity/audit-port.ts';
import type { SsoProviderId } from '../../../core/identity/oidc.ts';
import { accountLinkingRoutes } from '../../../infra/http/account-linking.ts';
import { escapeHtml } from '../../../infra/http/plain-page.ts';
import type { Directory } from '../middleware/directory.ts';
import { LINK_PATH, verifyLinkToken, type LinkClaims } from '../middleware/link-token.ts';

export interface LinkRoutesDeps {
  linkKey: Uint8Array;
  directory: Directory;
  audit: AuditRecorder;
  sso: readonly SsoProviderId[];
  calendarProviders: readonly string[];
  /** Tells the Teams conversation the link was asked from; never fails the link. */
  onLinked?(claims: LinkClaims, email: string): Promise<void>;
}

const who = (claims: LinkClaims) => `<strong>${escapeHtml(claims.name)}</strong>`;

export function teamsLinkRoutes(deps: LinkRoutesDeps): Router {
  return accountLinkingRoutes<LinkClaims>({
    path: LINK_PATH,
    words: {
      platform: 'Teams',
      expired:
        '<p>Links from Teams work for 15 minutes and only for the person they were made for. Send <code>connect</code> to Quorum in Teams again.</p>',
      signIn: (claims) => `<p>Sign in to Quorum to link your Teams account ${who(claims)}.</p>`,
      confirm: (claims, email) =>
        `<p>Link Teams user ${who(claims)} to your Quorum account <strong>${escapeHtml(email)}</strong>? Meetings you schedule from Teams will then use your calendar.</p>`,
      sessionEnded: '<p>Your Quorum session has ended. Open the link from Teams again.</p>',
      askAdmin:
        '<p>Your Microsoft organization is not linked to a Quorum organization yet. An administrator of your Quorum links it by sending <code>connect</code> to Quorum in Teams and confirming here.</p>',
      otherOrganization: {
        title: 'Another organization’s tenant',
        text: '<p>This Microsoft tenant belongs to another Quorum organization, so it cannot be linked to your account.</p>',
      },
      linked: (claims, email) =>
        `<p>Teams user ${who(claims)} now schedules as <strong>${escapeHtml(email)}</strong>. You can go back to Teams.</p>`,
      connectCalendars:
        'Connect your calendar, so Quorum sees when you are busy and meetings get a Teams link:',
    },
    claimsOf: (token) => verifyLinkToken(deps.linkKey, token),
    tenantOf: (claims) => deps.directory.tenantOf(claims.msTenantId),
    linkTenant: (claims, tenantId) => deps.directory.linkTenant(claims.msTenantId, tenantId),
    remember: (claims, tenantId, user) =>
      deps.directory.remember(claims.msTenantId, tenantId, claims.aadObjectId, user, 'confirmed'),
    audited: (claims) => ({
      action: 'settings.changed',
      details: {
        changed: ['teams-link'],
        msTenantId: claims.msTenantId,
        aadObjectId: claims.aadObjectId,
      },
    }),
    audit: deps.audit,
    sso: deps.sso,
    calendarProviders: deps.calendarProviders,
    ...(deps.onLinked ? { onLinked: deps.onLinked } : {}),
  });
}
