// Linking a Zoom user from a browser: GET /zoom/connect (signed in) → Zoom → GET
// /zoom/oauth/callback, which links that Zoom user to the signed-in Quorum person.
import type { Request, Router } from 'express';
import { z } from 'zod';
import type { AuditRecorder } from '../../../core/identity/audit-port.ts';
import type { UserDoc } from '../../../core/identity/models.ts';
import type { Logger } from '../../../core/logger.ts';
import { verifiedTenantContext } from '../../../core/store/tenant-context.ts';
import { authOf } from '../../../infra/http/authenticate.ts';
import { escapeHtml, sendPage } from '../../../infra/http/plain-page.ts';
import type { OAuthStates } from '../store/oauth-states.ts';
import type { ZoomPeople } from '../store/people.ts';
import type { ZoomApi } from '../zoom-api.ts';
import { CALLBACK_PATH } from '../app-definition.ts';

export const CONNECT_PATH = '/zoom/connect';

export const callbackQuery = z.object({
  code: z.string().min(1).max(2000).optional(),
  state: z.string().min(16).max(200).optional(),
  error: z.string().max(200).optional(),
});

/** Audits a new link, whichever way it was made. */
export async function linkAudit(
  audit: AuditRecorder,
  req: Request,
  user: UserDoc,
  zoomUserId: string,
  via: string,
) {
  await audit(verifiedTenantContext(user.tenantId, 'installation', user._id), {
    action: 'account.linked',
    actor: `user:${user._id}`,
    target: `user:${user._id}`,
    ip: req.ip ?? null,
    userAgent: req.get('user-agent') ?? null,
    details: { platform: 'zoom', zoomUserId, via },
  });
}

/** GET /zoom/connect and the browser's GET /zoom/oauth/callback. */
export function browserLinkRoutes(
  router: Router,
  deps: {
    baseUrl: string;
    redirectUri: string;
    states: OAuthStates;
    people: ZoomPeople;
    api: ZoomApi;
    audit: AuditRecorder;
    logger: Logger;
  },
): void {
  const { redirectUri } = deps;
  const { newState, takeState } = deps.states;
  // Browser OAuth: started signed in, so the Zoom user is linked to that Quorum person.
  router.get(CONNECT_PATH, async (req, res) => {
    const auth = authOf(res);
    if (auth?.kind !== 'session') {
      res.redirect(302, `/app?returnTo=${encodeURIComponent(CONNECT_PATH)}`);
      return;
    }
    const { state, codeChallenge } = await newState({ userId: auth.user._id });
    res.redirect(302, deps.api.authorizeUrl({ redirectUri, state, codeChallenge }));
  });

  router.get(CALLBACK_PATH, async (req, res) => {
    const query = callbackQuery.safeParse(req.query);
    if (!query.success || query.data.error || !query.data.code) {
      return sendPage(
        res,
        400,
        'Zoom was not connected',
        '<p>Zoom did not authorize Quorum. Try again from the Zoom app or from Quorum.</p>',
      );
    }
    if (!query.data.state) {
      // Added from the Zoom App Marketplace: the account is linked from inside Zoom.
      return sendPage(
        res,
        200,
        'Quorum is added to Zoom',
        '<p>Open Quorum from the Apps tab of your Zoom client; it links your account there.</p>',
      );
    }
    const started = await takeState(query.data.state);
    const auth = authOf(res);
    if (
      !started ||
      !started.userId ||
      auth?.kind !== 'session' ||
      auth.user._id !== started.userId
    ) {
      return sendPage(
        res,
        400,
        'This authorization has expired',
        `<p>Start again at <a href="${CONNECT_PATH}">${escapeHtml(deps.baseUrl + CONNECT_PATH)}</a> while signed in.</p>`,
      );
    }
    try {
      const tokens = await deps.api.exchangeCode({
        code: query.data.code,
        redirectUri,
        verifier: started.verifier,
      });
      const me = await deps.api.me(tokens.accessToken);
      const outcome = await deps.people.link(me, tokens, auth.user);
      if (!outcome.ok)
        return sendPage(res, 403, 'Zoom was not linked', `<p>${escapeHtml(outcome.message)}</p>`);
      await linkAudit(deps.audit, req, outcome.user, me.id, outcome.via);
      sendPage(
        res,
        200,
        'Zoom is linked',
        `<p>Zoom user <strong>${escapeHtml(me.email)}</strong> now uses Quorum as <strong>${escapeHtml(outcome.user.email)}</strong>. Bookings can have Zoom links, and the Quorum panel in Zoom knows you.</p>`,
      );
    } catch (error) {
      deps.logger.warn({ err: error }, 'Zoom authorization failed');
      sendPage(
        res,
        502,
        'Zoom was not linked',
        '<p>Zoom did not complete the authorization. Try again in a moment.</p>',
      );
    }
  });
}
