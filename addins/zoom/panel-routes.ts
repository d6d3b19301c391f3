// The Zoom panel's server side: the home URL, who is asking, and linking Zoom users.
//
// GET /zoom/panel serves the built panel, frameable only by Zoom, with the security headers Zoom
// requires (set for every response by infra/http/security-headers.ts).
//
// Who is asking: the panel sends the app context zoomSdk.getAppContext() gave it in the
// X-Zoom-App-Context header; the server opens and checks it (app-context.ts). A Zoom user linked
// to a Quorum person gets a panel session: an ordinary Quorum session that lives one hour, in
// the session cookie, so the panel uses Quorum's own API (/api/...) like the web app does. An
// unlinked user gets what zoomSdk.authorize() needs (a PKCE challenge and a state), and the
// code from onAuthorized comes back to POST /zoom/oauth/callback, with the same header.
// A browser can link too: GET /zoom/connect (signed in) → Zoom → GET /zoom/oauth/callback.
import { createHash, randomBytes } from 'node:crypto';
import express, { Router, type Request, type Response } from 'express';
import { serialize } from 'cookie';
import { z } from 'zod';
import type { AuditRecorder } from '../../core/identity/audit-port.ts';
import type { UserDoc } from '../../core/identity/models.ts';
import type { SessionService } from '../../core/identity/sessions.ts';
import type { Logger } from '../../core/logger.ts';
import type { Store } from '../../core/store/store.ts';
import { verifiedTenantContext } from '../../core/store/tenant-context.ts';
import { SESSION_COOKIE, authOf, requireUser } from '../../infra/http/authenticate.ts';
import { HttpError } from '../../infra/http/http-error.ts';
import type { RouteSchema } from '../../infra/http/route-schema.ts';
import { escapeHtml, sendPage } from '../../infra/http/plain-page.ts';
import { FRAME_HOSTS, allowFramingBy } from '../../infra/http/security-headers.ts';
import { parseInput } from '../../infra/http/validate.ts';
import { sendUiPage } from '../../infra/http/ui-pages.ts';
import {
  APP_CONTEXT_HEADER,
  AppContextError,
  decryptAppContext,
  type ZoomAppContext,
} from './app-context.ts';
import { CALLBACK_PATH, PANEL_PATH } from './app-definition.ts';
import type { ZoomPeople } from './people.ts';
import { ZoomOAuthState } from './store.ts';
import type { ZoomApi } from './zoom-api.ts';
import type { MeetingResolver } from './zoom-meetings.ts';

export const CONNECT_PATH = '/zoom/connect';
export const PANEL_PAGE = 'addins/zoom/panel/index.html';
/** A panel session lives an hour; the panel asks for a new one when it ends. */
export const PANEL_SESSION_MS = 60 * 60_000;
const STATE_TTL_MS = 10 * 60_000;

const callbackBody = z.strictObject({
  code: z.string().min(1).max(2000),
  state: z.string().min(16).max(200),
});
const callbackQuery = z.object({
  code: z.string().min(1).max(2000).optional(),
  state: z.string().min(16).max(200).optional(),
  error: z.string().max(200).optional(),
});
const meetingQuery = z.object({
  zoomMeetingId: z.string().regex(/^\d{9,12}$/, 'a Zoom meeting number'),
  uuid: z.string().min(1).max(100).optional(),
});

export const zoomPanelRouteSchemas: RouteSchema[] = [
  { method: 'POST', path: CALLBACK_PATH, schema: callbackBody, auth: 'zoom-app' },
  { method: 'GET', path: CALLBACK_PATH, in: 'query', schema: callbackQuery, auth: 'public' },
  { method: 'GET', path: '/zoom/api/meeting', in: 'query', schema: meetingQuery, auth: 'session' },
];

function pkce() {
  const verifier = randomBytes(48).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

export function zoomPanelRoutes(deps: {
  clientSecret: string;
  baseUrl: string;
  store: Store;
  sessions: SessionService;
  people: ZoomPeople;
  api: ZoomApi;
  resolver: MeetingResolver;
  audit: AuditRecorder;
  logger: Logger;
}): Router {
  const router = Router();
  const States = deps.store.controlModel(ZoomOAuthState);
  const secure = deps.baseUrl.startsWith('https://');
  const redirectUri = deps.baseUrl + CALLBACK_PATH;
  const json = express.json({ limit: '16kb' });

  function contextOf(req: Request): ZoomAppContext {
    try {
      return decryptAppContext(req.get(APP_CONTEXT_HEADER), deps.clientSecret);
    } catch (error) {
      if (error instanceof AppContextError) {
        throw new HttpError(
          401,
          'invalid_app_context',
          `Open Quorum from the Zoom client: ${error.message}.`,
        );
      }
      throw error;
    }
  }

  async function newState(owner: { zoomUserId?: string; userId?: string }) {
    const { verifier, challenge } = pkce();
    const state = randomBytes(24).toString('base64url');
    await States.create({
      _id: state,
      verifier,
      zoomUserId: owner.zoomUserId ?? null,
      userId: owner.userId ?? null,
      expiresAt: new Date(Date.now() + STATE_TTL_MS),
    });
    return { state, codeChallenge: challenge };
  }

  /** A state is used once: whoever deletes it uses it. */
  async function takeState(state: string) {
    const found = await States.findById(state).lean();
    if (!found || found.expiresAt < new Date()) return undefined;
    const { deletedCount } = await States.deleteOne({ _id: state });
    return deletedCount === 1 ? found : undefined;
  }

  async function startPanelSession(req: Request, res: Response, user: UserDoc) {
    const meta = { ip: req.ip ?? null, userAgent: req.get('user-agent') ?? null };
    const { token, expiresAt } = await deps.sessions.issue(user, {
      ...meta,
      ttlMs: PANEL_SESSION_MS,
    });
    await deps.audit(verifiedTenantContext(user.tenantId, 'session', user._id), {
      action: 'sign-in.succeeded',
      actor: `user:${user._id}`,
      target: `user:${user._id}`,
      ...meta,
      details: { method: 'zoom-app-context' },
    });
    res.append(
      'Set-Cookie',
      serialize(SESSION_COOKIE, token, {
        httpOnly: true,
        secure,
        // Zoom's web client frames the panel: the cookie must travel in that frame (https only).
        sameSite: secure ? 'none' : 'lax',
        path: '/',
        expires: expiresAt,
      }),
    );
    return { user: { name: user.name, email: user.email }, expiresAt: expiresAt.toISOString() };
  }

  async function linkAudit(req: Request, user: UserDoc, zoomUserId: string, via: string) {
    await deps.audit(verifiedTenantContext(user.tenantId, 'installation', user._id), {
      action: 'account.linked',
      actor: `user:${user._id}`,
      target: `user:${user._id}`,
      ip: req.ip ?? null,
      userAgent: req.get('user-agent') ?? null,
      details: { platform: 'zoom', zoomUserId, via },
    });
  }

  router.get(PANEL_PATH, allowFramingBy(FRAME_HOSTS.zoom), (_req, res) => {
    sendUiPage(res, PANEL_PAGE);
  });

  router.post('/zoom/api/session', async (req, res) => {
    const context = contextOf(req);
    const person = await deps.people.personOf(context.uid);
    if (!person) {
      res.status(401).json({
        error: 'zoom_not_linked',
        message: 'Authorize Quorum in Zoom to link your Zoom account to your Quorum account.',
        authorize: await newState({ zoomUserId: context.uid }),
      });
      return;
    }
    const current = authOf(res);
    // A panel session of this person is still running: keep it rather than start another.
    const user =
      current?.kind === 'session' && current.user._id === person.user._id
        ? { user: { name: person.user.name, email: person.user.email } }
        : await startPanelSession(req, res, person.user);
    res.json({ ...user, context: { typ: context.typ, inMeeting: context.mid !== undefined } });
  });

  // In-client OAuth: the code zoomSdk's onAuthorized event gave the panel.
  router.post(CALLBACK_PATH, json, async (req, res) => {
    const context = contextOf(req);
    const { code, state } = parseInput(callbackBody, req.body);
    const started = await takeState(state);
    if (!started || started.zoomUserId !== context.uid) {
      throw new HttpError(
        400,
        'authorization_expired',
        'That authorization has expired. Authorize again.',
      );
    }
    const tokens = await deps.api.exchangeCode({ code, redirectUri, verifier: started.verifier });
    const me = await deps.api.me(tokens.accessToken);
    if (me.id !== context.uid) {
      throw new HttpError(
        403,
        'other_zoom_user',
        'Zoom authorized another user than the one using this panel.',
      );
    }
    const outcome = await deps.people.link(me, tokens);
    if (!outcome.ok) throw new HttpError(403, outcome.reason.replaceAll('-', '_'), outcome.message);
    await linkAudit(req, outcome.user, me.id, outcome.via);
    res.json(await startPanelSession(req, res, outcome.user));
  });

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
      await linkAudit(req, outcome.user, me.id, outcome.via);
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

  // The booking behind a Zoom meeting, and the Quorum meeting its content went to, for the
  // panel opened in that meeting. Only what the asking person may see is named.
  router.get('/zoom/api/meeting', async (req, res) => {
    const { user } = requireUser(req, res);
    const { zoomMeetingId, uuid } = parseInput(meetingQuery, req.query);
    const found = await deps.resolver.bookingOf(zoomMeetingId);
    const booking = found?.booking;
    const visible =
      booking &&
      found.ctx.tenantId === user.tenantId &&
      (booking.organizerId === user._id || booking.attendees.some((a) => a.email === user.email));
    const instance = uuid ? await deps.resolver.instance(uuid) : undefined;
    res.json({
      bookingId: visible ? booking._id : null,
      // The meetings API still decides whether this person may read it.
      meetingId: instance?.tenantId === user.tenantId ? instance.meetingId : null,
      ended: found?.made.endedAt ? true : false,
    });
  });

  return router;
}
