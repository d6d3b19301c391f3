// The meeting side panel: the page at GET /teams/panel (framed only by Teams), and its API under
// /teams/panel/api: the meeting's agenda and action items, and a follow-up posted into the
// meeting's chat. Who is asking comes from middleware/panel-user.ts.
import express, { Router, type Request, type Response } from 'express';
import type { Client as ApiClient } from '@microsoft/teams.api';
import { getUserSettings } from '../../../core/identity/user-settings.ts';
import { MeetingError } from '../../../core/meetings/index.ts';
import { verifiedTenantContext } from '../../../core/store/tenant-context.ts';
import { FRAME_HOSTS, allowFramingBy } from '../../../infra/http/security-headers.ts';
import { sendUiPage } from '../../../infra/http/ui-pages.ts';
import { userActor, type Asker, type TeamsDeps } from '../middleware/context.ts';
import { PanelError, panelUser, type PanelUser } from '../middleware/panel-user.ts';
import { attendeesWithout } from '../../../core/assistant/index.ts';
import { TeamsMeeting } from '../store/meetings.ts';
import { cardActivity } from '../summaries.ts';
import { createTeamsSsoVerifier, type TeamsSsoVerifier } from '../transport.ts';
import { followUpOf } from './followup.ts';
import { proposeTimes } from './find.ts';

export const PANEL_PATH = '/teams/panel';

interface PanelDeps {
  teams: TeamsDeps;
  loginUrl: string;
  /** The bot's app id; absent in local development, where the panel cannot sign in. */
  clientId: string | undefined;
  /** The bot's own Microsoft tenant (single-tenant registration). */
  appTenantId: string | undefined;
  apiFor(serviceUrl: string): ApiClient;
}

interface Panel extends PanelDeps {
  verify: TeamsSsoVerifier | undefined;
}

export function teamsPanelRoutes(deps: PanelDeps): Router {
  const router = Router();
  const host = new URL(deps.teams.baseUrl).host;
  const panel: Panel = {
    ...deps,
    verify: deps.clientId
      ? createTeamsSsoVerifier({
          loginUrl: deps.loginUrl,
          clientId: deps.clientId,
          appTenantId: deps.appTenantId,
          host,
        })
      : undefined,
  };
  router.get(PANEL_PATH, allowFramingBy(FRAME_HOSTS.teams), (_req, res) => {
    sendUiPage(res, 'bots/teams/panel/index.html');
  });
  router.get(`${PANEL_PATH}/api/meeting`, async (req, res) => {
    try {
      await showMeeting(panel, req, res);
    } catch (error) {
      send(res, error);
    }
  });
  router.post(`${PANEL_PATH}/api/follow-up`, express.json({ limit: '8kb' }), async (req, res) => {
    try {
      await postFollowUp(panel, req, res);
    } catch (error) {
      send(res, error);
    }
  });
  return router;
}

async function meetingFor(teams: TeamsDeps, who: PanelUser, teamsMeetingId: unknown) {
  if (typeof teamsMeetingId !== 'string' || teamsMeetingId.length > 500 || teamsMeetingId === '') {
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

function send(res: Response, error: unknown): void {
  if (error instanceof PanelError || error instanceof MeetingError) {
    const status =
      error instanceof PanelError ? error.status : error.code === 'not-found' ? 404 : 400;
    const code = error instanceof PanelError ? error.code : error.code;
    res.status(status).json({ error: code, message: error.message });
    return;
  }
  throw error;
}

/** GET …/api/meeting: the meeting's agenda and action items. */
async function showMeeting(panel: Panel, req: Request, res: Response): Promise<void> {
  const { teams } = panel;
  const who = await panelUser(teams, panel.verify, req);
  const { ctx, view } = await meetingFor(teams, who, req.query.teamsMeetingId);
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
}

/** POST …/api/follow-up: follow-up times, posted into the meeting's chat. */
async function postFollowUp(panel: Panel, req: Request, res: Response): Promise<void> {
  const { teams } = panel;
  const who = await panelUser(teams, panel.verify, req);
  const { ctx, doc, view } = await meetingFor(
    teams,
    who,
    (req.body as { teamsMeetingId?: unknown } | undefined)?.teamsMeetingId,
  );
  const conversation = await teams.directory.conversation(doc.conversationId);
  if (!conversation)
    throw new PanelError(404, 'not_found', 'Quorum is not in this meeting’s chat.');
  const api = panel.apiFor(conversation.serviceUrl);
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
  await api.conversations.createActivity(doc.conversationId, cardActivity(card, 'Follow-up times'));
  res.json({ posted: true });
}
