// The bot in a Teams meeting. At meetingStart it posts the agenda Quorum generated; at
// meetingEnd it queues the job that fetches the transcript (transcripts.ts). Either way the
// Quorum meeting behind the Teams meeting is made on first sight.
import type { Client as ApiClient } from '@microsoft/teams.api';
import { z } from 'zod';
import type { JobRunner } from '../../../core/jobs/runner.ts';
import { MeetingError } from '../../../core/meetings/index.ts';
import { isDuplicateKeyError } from '../../../core/privacy/duplicate-key.ts';
import { findByJoinUrl } from '../../../core/scheduling/booking/booking-index.ts';
import { verifiedTenantContext, type TenantContext } from '../../../core/store/tenant-context.ts';
import { botActor, msTenantOf, type TeamsDeps } from '../middleware/context.ts';
import type { TeamsActivity as Activity } from '../middleware/context.ts';
import { agendaCard } from '../render/agenda.ts';
import { plainCard, type AdaptiveCard } from '../render/card.ts';
import { TeamsMeeting, TeamsMeetingChat, type TeamsMeetingDoc } from '../store/meetings.ts';
import { cardActivity } from '../summaries.ts';
import { FETCH_TRANSCRIPT } from './transcripts.ts';
import type { TurnContext } from './shared.ts';

const meetingEventValue = z
  .object({
    Id: z.string().optional(),
    JoinUrl: z.string().optional(),
    Title: z.string().optional(),
    StartTime: z.string().optional(),
    EndTime: z.string().optional(),
  })
  .passthrough();
type MeetingEvent = z.infer<typeof meetingEventValue>;

function teamsMeetingIdOf(activity: Activity): string | undefined {
  const channelData = activity.channelData as { meeting?: { id?: string } } | undefined;
  const value = meetingEventValue.safeParse(activity.value);
  return channelData?.meeting?.id ?? (value.success ? value.data.Id : undefined);
}

/** The Quorum meeting behind a Teams meeting, made on first sight (booked one, or from Teams). */
async function ensureMeeting(
  deps: TeamsDeps,
  ctx: TenantContext,
  api: ApiClient,
  activity: Activity,
  msTenantId: string,
): Promise<TeamsMeetingDoc | string> {
  if (!deps.meetings) return 'This Quorum records no meetings.';
  const teamsMeetingId = teamsMeetingIdOf(activity);
  if (!teamsMeetingId) return 'Teams did not say which meeting this is.';
  const Meetings = await deps.scheduling.store.tenantModel(ctx, TeamsMeeting);
  const known = await Meetings.findById(teamsMeetingId).lean();
  if (known) return known;
  const value = meetingEventValue.safeParse(activity.value);
  const event = value.success ? value.data : {};
  const joinUrl = event.JoinUrl ?? null;
  const booking = joinUrl ? await findByJoinUrl(deps.scheduling.store, ctx, joinUrl) : undefined;
  let meetingId: string;
  try {
    if (booking) {
      ({
        meeting: { id: meetingId },
      } = await deps.meetings.create(ctx, botActor(), {
        bookingId: booking._id,
      }));
    } else {
      const made = await meetingFromTeams(
        { ...deps, meetings: deps.meetings },
        ctx,
        api,
        activity,
        {
          msTenantId,
          teamsMeetingId,
          event,
        },
      );
      if ('refused' in made) return made.refused;
      meetingId = made.meetingId;
    }
  } catch (error) {
    if (error instanceof MeetingError) return error.message;
    throw error;
  }
  const doc: TeamsMeetingDoc = {
    _id: teamsMeetingId,
    meetingId,
    conversationId: activity.conversation.id,
    joinUrl,
    transcriptBlockedAt: null,
    transcriptFetchedAt: null,
    createdAt: new Date(),
  };
  return remember(deps, ctx, doc);
}

/** Not booked through Quorum: the meeting's organizer must be a person Quorum knows. */
async function meetingFromTeams(
  deps: TeamsDeps & { meetings: NonNullable<TeamsDeps['meetings']> },
  ctx: TenantContext,
  api: ApiClient,
  activity: Activity,
  about: { msTenantId: string; teamsMeetingId: string; event: MeetingEvent },
): Promise<{ meetingId: string } | { refused: string }> {
  const { msTenantId, teamsMeetingId, event } = about;
  const info = await api.meetings.getById(teamsMeetingId);
  const organizer = info.organizer;
  const found = organizer
    ? await deps.directory.quorumUser(
        api,
        { msTenantId, tenantId: ctx.tenantId, conversationId: activity.conversation.id },
        { id: organizer.id, aadObjectId: organizer.aadObjectId },
      )
    : undefined;
  if (!found?.user) {
    return {
      refused:
        'Quorum does not know this meeting’s organizer: they link their Teams account by sending "connect" to Quorum.',
    };
  }
  const startsAt = new Date(event.StartTime ?? info.details?.scheduledStartTime ?? Date.now());
  const ends = event.EndTime ?? info.details?.scheduledEndTime;
  const endsAt = ends ? new Date(ends) : new Date(startsAt.getTime() + 3_600_000);
  // Its people are the members of the meeting's chat.
  const members = await api.conversations.getMembers(activity.conversation.id).catch(() => []);
  const participants = members.flatMap((m) => {
    const email = (m.email ?? m.userPrincipalName ?? '').toLowerCase();
    return email.includes('@') ? [{ email, ...(m.name ? { name: m.name } : {}) }] : [];
  });
  const { meeting } = await deps.meetings.create(ctx, botActor(), {
    participants,
    title: (event.Title ?? info.details?.title ?? 'Teams meeting').slice(0, 200),
    startsAt,
    endsAt: endsAt > startsAt ? endsAt : new Date(startsAt.getTime() + 3_600_000),
    organizerEmail: found.user.email,
    idempotencyKey: `teams:${teamsMeetingId}`,
  });
  return { meetingId: meeting.id };
}

/** Records the Teams meeting (once across nodes) with its chat. */
async function remember(
  deps: TeamsDeps,
  ctx: TenantContext,
  doc: TeamsMeetingDoc,
): Promise<TeamsMeetingDoc> {
  const Meetings = await deps.scheduling.store.tenantModel(ctx, TeamsMeeting);
  // Its chat, found from the Quorum meeting when the summary is posted; written first, so the
  // record below never exists without it.
  const Chats = await deps.scheduling.store.tenantModel(ctx, TeamsMeetingChat);
  await Chats.replaceOne(
    { _id: doc.meetingId },
    { teamsMeetingId: doc._id, conversationId: doc.conversationId },
    { upsert: true },
  );
  try {
    await Meetings.create(doc);
    return doc;
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    return (await Meetings.findById(doc._id).lean()) ?? doc;
  }
}

async function tenantOfActivity(deps: TeamsDeps, activity: Activity) {
  const msTenantId = msTenantOf(activity);
  const tenantId = msTenantId ? await deps.directory.tenantOf(msTenantId) : undefined;
  return msTenantId && tenantId ? { msTenantId, tenantId } : undefined;
}

/** meetingStart: the agenda, posted into the meeting chat. */
export async function meetingStarted(
  deps: TeamsDeps,
  activity: Activity,
  api: ApiClient,
): Promise<AdaptiveCard | undefined> {
  const where = await tenantOfActivity(deps, activity);
  if (!where || !deps.meetings) return undefined;
  const ctx = verifiedTenantContext(where.tenantId, 'installation');
  const meeting = await ensureMeeting(deps, ctx, api, activity, where.msTenantId);
  if (typeof meeting === 'string') {
    deps.logger.info({ reason: meeting }, 'Teams meeting started without a Quorum meeting');
    return undefined;
  }
  try {
    const view = await deps.meetings.get(ctx, botActor(), meeting.meetingId);
    const { agenda } = await deps.meetings.agenda(ctx, botActor(), meeting.meetingId);
    return agendaCard(view, agenda);
  } catch (error) {
    if (error instanceof MeetingError) return plainCard(`⚠️ ${error.message}`);
    throw error;
  }
}

/** meetingEnd: the transcript is fetched in a job, so the Bot Connector is answered at once. */
export async function meetingEnded(
  deps: TeamsDeps,
  activity: Activity,
  api: ApiClient,
  queue: Pick<JobRunner, 'now'>,
): Promise<void> {
  const where = await tenantOfActivity(deps, activity);
  if (!where) return;
  const ctx = verifiedTenantContext(where.tenantId, 'installation');
  const meeting = await ensureMeeting(deps, ctx, api, activity, where.msTenantId);
  if (typeof meeting === 'string') {
    deps.logger.info({ reason: meeting }, 'Teams meeting ended without a Quorum meeting');
    return;
  }
  await queue.now(FETCH_TRANSCRIPT, {
    tenantId: where.tenantId,
    teamsMeetingId: meeting._id,
    attempt: 0,
  });
}

export async function onMeetingStart(deps: TeamsDeps, turn: TurnContext): Promise<void> {
  const card = await meetingStarted(deps, turn.activity as Activity, turn.api);
  if (card) await turn.send(cardActivity(card, 'Agenda'));
}
