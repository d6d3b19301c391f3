// The Zoom panel's server side: the home URL, who is asking, and linking Zoom users in the client.
//
// GET /zoom/panel serves the built panel, frameable only by Zoom, with the security headers Zoom
// requires (set for every response by infra/http/security-headers.ts).
//
// Who is asking: the panel sends the app context zoomSdk.getAppContext() gave it in the
// X-Zoom-App-Context header; the server opens and checks it (middleware/app-context.ts). A Zoom
// user linked to a Quorum person gets a panel session (middleware/panel-session.ts): an ordinary
// Quorum session that lives one hour, in the session cookie, so the panel uses Quorum's own API
// (/api/...) like the web app does. An unlinked user gets what zoomSdk.authorize() needs (a PKCE
// challenge and a state), and the code from onAuthorized comes back to POST
// /zoom/oauth/callback, with the same header. A browser can link too (listeners/linking.ts).
import express, { Router, type Request } from 'express';
import { z } from 'zod';
import type { AuditRecorder } from '../../../core/identity/audit-port.ts';
import type { SessionService } from '../../../core/identity/sessions.ts';
import type { Logger } from '../../../core/logger.ts';
import type { Store } from '../../../core/store/store.ts';
import { authOf, requireUser } from '../../../infra/http/authenticate.ts';
import { HttpError } from '../../../infra/http/http-error.ts';
import type { RouteSchema } from '../../../infra/http/route-schema.ts';
import { FRAME_HOSTS, allowFramingBy } from '../../../infra/http/security-headers.ts';
import { parseInput } from '../../../infra/http/validate.ts';
import { sendUiPage } from '../../../infra/http/ui-pages.ts';
import { CALLBACK_PATH, PANEL_PATH } from '../app-definition.ts';
import { zoomContextOf } from '../middleware/app-context.ts';
import { createPanelSessions } from '../middleware/panel-session.ts';
import type { MeetingResolver } from '../store/meetings.ts';
import { createOAuthStates } from '../store/oauth-states.ts';
import type { ZoomPeople } from '../store/people.ts';
import type { ZoomApi } from '../zoom-api.ts';
import { browserLinkRoutes, callbackQuery, linkAudit } from './linking.ts';

export const PANEL_PAGE = 'addins/zoom/panel/index.html';

const callbackBody = z.strictObject({
  code: z.string().min(1).max(2000),
  state: z.string().min(16).max(200),
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
  const secure = deps.baseUrl.startsWith('https://');
  const redirectUri = deps.baseUrl + CALLBACK_PATH;
  const json = express.json({ limit: '16kb' });
  const states = createOAuthStates(deps.store);
  const { newState, takeState } = states;
  const panelSessions = createPanelSessions({ sessions: deps.sessions, audit: deps.audit, secure });
  const startPanelSession = panelSessions.start;
  const contextOf = (req: Request) => zoomContextOf(req, deps.clientSecret);

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
    await linkAudit(deps.audit, req, outcome.user, me.id, outcome.via);
    res.json(await startPanelSession(req, res, outcome.user));
  });

  browserLinkRoutes(router, { ...deps, redirectUri, states });

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
