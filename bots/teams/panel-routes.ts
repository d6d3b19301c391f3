// The meeting side panel: the page at GET /teams/panel (framed only by Teams), and its API under
// /teams/panel/api. The panel signs in with Teams SSO (sso-token.ts), from a Microsoft tenant
// linked to a Quorum organization; the person is the Teams user's link, else their Entra email.
import express, { Router, type Request, type Response } from 'express';
import type { UserDoc } from '../../core/identity/models.ts';
import { findActiveTenantUserByEmail } from '../../core/identity/users.ts';
import { getUserSettings } from '../../core/identity/user-settings.ts';
import { MeetingError } from '../../core/meetings/index.ts';
import { verifiedTenantContext } from '../../core/store/tenant-context.ts';
import { FRAME_HOSTS, allowFramingBy } from '../../infra/http/security-headers.ts';
import { sendUiPage } from '../../infra/http/ui-pages.ts';
import type { Client as ApiClient } from '@microsoft/teams.api';
import { userActor, type Asker, type TeamsDeps } from './context.ts';
import { followUpOf } from './commands.ts';
import { TeamsMeeting } from './models.ts';
import { attendeesWithout, proposeTimes } from './propose.ts';
import { cardActivity } from './summaries.ts';
import { createTeamsSsoVerifier } from './sso-token.ts';

export const PANEL_PATH = '/teams/panel';

interface PanelUser {
  msTenantId: string;
  tenantId: string;
  user: UserDoc;
}

class PanelError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export function teamsPanelRoutes(deps: {
  teams: TeamsDeps;
  loginUrl: string;
  /** The bot's app id; absent in local development, where the panel cannot sign in. */
  clientId: string | undefined;
  /** The bot's own Microsoft tenant (single-tenant registration). */
  appTenantId: string | undefined;
  apiFor(serviceUrl: string): ApiClient;
}): Router {
  const router = Router();
  const { teams } = deps;
  const host = new URL(teams.baseUrl).host;
  const verify = deps.clientId
    ? createTeamsSsoVerifier({
        loginUrl: deps.loginUrl,
        clientId: deps.clientId,
        appTenantId: deps.appTenantId,
        host,
      })
    : undefined;

  async function whoIs(req: Request): Promise<PanelUser> {
    const token = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
    if (!token || !verify) {
      throw new PanelError(401, 'unauthenticated', 'Open this panel in Teams to sign in.');
    }
    const identity = await verify(token);
    if (!identity) {
      throw new PanelError(401, 'unauthenticated', 'Teams did not give a valid sign-in token.');
    }
    const { msTenantId: tid, objectId: oid, email } = identity;
    const tenantId = await teams.directory.tenantOf(tid);
    if (!tenantId) {
      throw new PanelError(
        403,
        'not_linked',
        'Your Microsoft organization is not linked to Quorum yet: send "connect" to Quorum in Teams.',
      );
    }
    const linked = oid ? await teams.directory.linkedUser(tid, tenantId, oid) : undefined;
    const user =
      linked ??
      (email ? await findActiveTenantUserByEmail(teams.scheduling.store, tenantId, email) : null);
    if (!user) {
      throw new PanelError(
        403,
        'not_linked',
        'Quorum does not know you yet: send "connect" to Quorum in Teams.',
      );
    }
    return { msTenantId: tid, tenantId, user };
  }

  async function meetingFor(who: PanelUser, teamsMeetingId: unknown) {
    if (
      typeof teamsMeetingId !== 'string' ||
      teamsMeetingId.length > 500 ||
      teamsMeetingId === ''
    ) {
      throw new PanelError(400, 'bad_request', 'Say which meeting: teamsMeetingId.');
    }
    const ctx = verifiedTenantContext(who.tenantId, 'installation', who.user._id);
    const doc = await (
      await teams.scheduling.store.tenantModel(ctx, TeamsMeeting)
    )
      .findById(teamsMeetingId)
      .lean();
    if (!doc || !teams.meetings) {
      throw new PanelError(
        404,
        'not_found',
        'Quorum has not seen this meeting yet: add Quorum to the meeting, and the agenda appears when it starts.',
      );
    }
    const view = await teams.meetings.get(ctx, userActor(who.user), doc.meetingId);
    return { ctx, doc, view };
  }

  const send = (res: Response, error: unknown) => {
    if (error instanceof PanelError || error instanceof MeetingError) {
      const status =
        error instanceof PanelError ? error.status : error.code === 'not-found' ? 404 : 400;
      const code = error instanceof PanelError ? error.code : error.code;
      res.status(status).json({ error: code, message: error.message });
      return;
    }
    throw error;
  };

  router.get(PANEL_PATH, allowFramingBy(FRAME_HOSTS.teams), (_req, res) => {
    sendUiPage(res, 'bots/teams/panel/index.html');
  });

  router.get(`${PANEL_PATH}/api/meeting`, async (req, res) => {
    try {
      const who = await whoIs(req);
      const { ctx, view } = await meetingFor(who, req.query.teamsMeetingId);
      const { agenda } = await teams.meetings!.agenda(ctx, userActor(who.user), view.id);
      res.json({
        meeting: {
          id: view.id,
          title: view.title,
          startsAt: view.startsAt,
          endsAt: view.endsAt,
          status: view.status,
        },
        agenda,
        actionItems: view.actionItems,
      });
    } catch (error) {
      send(res, error);
    }
  });

  router.post(`${PANEL_PATH}/api/follow-up`, express.json({ limit: '8kb' }), async (req, res) => {
    try {
      const who = await whoIs(req);
      const { ctx, doc, view } = await meetingFor(
        who,
        (req.body as { teamsMeetingId?: unknown } | undefined)?.teamsMeetingId,
      );
      const conversation = await teams.directory.conversation(doc.conversationId);
      if (!conversation)
        throw new PanelError(404, 'not_found', 'Quorum is not in this meeting’s chat.');
      const api = deps.apiFor(conversation.serviceUrl);
      const asker: Asker = {
        msTenantId: who.msTenantId,
        tenantId: who.tenantId,
        ctx,
        user: who.user,
        settings: await getUserSettings(teams.scheduling.store, ctx, who.user._id),
        conversationId: doc.conversationId,
        conversationType: conversation.conversationType,
        api,
      };
      const booking = view.bookingId ? await teams.bookings.get(ctx, view.bookingId) : undefined;
      const minutes = Math.max(
        15,
        Math.round((Date.parse(view.endsAt) - Date.parse(view.startsAt)) / 60_000),
      );
      const from = new Date(Math.max(Date.now(), Date.parse(view.endsAt)));
      const card = booking
        ? await followUpOf(teams, asker, booking)
        : await proposeTimes(teams, asker, {
            attendees: attendeesWithout(
              who.user.email,
              view.participants.map((p) => ({
                email: p.email,
                optional: false,
                ...(p.name ? { name: p.name } : {}),
              })),
            ),
            unresolved: [],
            durationMinutes: minutes,
            window: { start: from, end: new Date(from.getTime() + 14 * 86_400_000) },
            title: `Follow-up: ${view.title}`.slice(0, 200),
            describe: `A follow-up of “${view.title}”, asked for by ${who.user.name}`,
          });
      await api.conversations.createActivity(
        doc.conversationId,
        cardActivity(card, 'Follow-up times'),
      );
      res.json({ posted: true });
    } catch (error) {
      send(res, error);
    }
  });

  return router;
}
