// The bot in a Teams meeting. At meetingStart it posts the agenda Quorum generated; at
// meetingEnd it queues a job that fetches the transcript through Graph, retrying with backoff
// until Teams has published it, and hands it to the meeting pipeline as captions (WebVTT with
// <v Speaker> tags). When Graph refuses (transcripts disabled, permission not granted) the
// meeting chat is told once what an administrator must grant.
import type { Client as ApiClient } from '@microsoft/teams.api';
import { z } from 'zod';
import type { JobDefinition } from '../../core/jobs/registry.ts';
import type { JobRunner } from '../../core/jobs/runner.ts';
import { MeetingError } from '../../core/meetings/index.ts';
import { isDuplicateKeyError } from '../../core/privacy/duplicate-key.ts';
import { findByJoinUrl } from '../../core/scheduling/booking/booking-index.ts';
import { upsertByIds } from '../../core/store/by-id.ts';
import type { MigrationStep } from '../../core/store/migrations.ts';
import { verifiedTenantContext, type TenantContext } from '../../core/store/tenant-context.ts';
import { agendaCard, plainCard, transcriptBlockedCard, type AdaptiveCard } from './cards.ts';
import { botActor, msTenantOf, type TeamsDeps } from './context.ts';
import type { TeamsActivity as Activity } from './context.ts';
import { TeamsMeeting, TeamsMeetingChat, type TeamsMeetingDoc } from './models.ts';
import { cardActivity } from './summaries.ts';
import type { TranscriptReader } from './transcripts.ts';

export const FETCH_TRANSCRIPT = 'teams.fetch-transcript';
/** Minutes before each retry: Teams publishes a transcript minutes to an hour after the end. */
const BACKOFF_MINUTES = [1, 2, 4, 8, 15, 30, 60, 60, 120, 240, 480];

const meetingEventValue = z
  .object({
    Id: z.string().optional(),
    JoinUrl: z.string().optional(),
    Title: z.string().optional(),
    StartTime: z.string().optional(),
    EndTime: z.string().optional(),
  })
  .passthrough();

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
      // Not booked through Quorum: the meeting's organizer must be a person Quorum knows.
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
        return 'Quorum does not know this meeting’s organizer: they link their Teams account by sending "connect" to Quorum.';
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
      ({
        meeting: { id: meetingId },
      } = await deps.meetings.create(ctx, botActor(), {
        participants,
        title: (event.Title ?? info.details?.title ?? 'Teams meeting').slice(0, 200),
        startsAt,
        endsAt: endsAt > startsAt ? endsAt : new Date(startsAt.getTime() + 3_600_000),
        organizerEmail: found.user.email,
        idempotencyKey: `teams:${teamsMeetingId}`,
      }));
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
  // Its chat, found from the Quorum meeting when the summary is posted; written first, so the
  // record below never exists without it.
  const Chats = await deps.scheduling.store.tenantModel(ctx, TeamsMeetingChat);
  await Chats.replaceOne(
    { _id: meetingId },
    { teamsMeetingId, conversationId: activity.conversation.id },
    { upsert: true },
  );
  try {
    await Meetings.create(doc);
    return doc;
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    return (await Meetings.findById(teamsMeetingId).lean()) ?? doc;
  }
}

/** Storage migration: the chat of every Teams meeting recorded before they were kept by id. */
export const teamsMeetingChatsStep: MigrationStep = {
  name: 'teams-meeting-chats',
  description: 'the chats of Teams meetings, addressed by Quorum meeting',
  async runForTenant(store, ctx) {
    const Meetings = await store.tenantModel(ctx, TeamsMeeting);
    const Chats = await store.tenantModel(ctx, TeamsMeetingChat);
    // A scan, as migrations may.
    const known = await Meetings.find({}).lean();
    await upsertByIds(
      Chats,
      known.map((m) => ({
        _id: m.meetingId,
        teamsMeetingId: m._id,
        conversationId: m.conversationId,
      })),
    );
    return known.length;
  },
};

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

const jobData = z.object({
  tenantId: z.string().min(1),
  teamsMeetingId: z.string().min(1),
  attempt: z.number().int().min(0),
});
export type FetchTranscriptData = z.infer<typeof jobData>;

export type FetchOutcome = 'captions-added' | 'retry-scheduled' | 'gave-up' | 'forbidden' | 'gone';

export function createTranscriptFetcher(deps: {
  teams: TeamsDeps;
  reader: TranscriptReader;
  apiFor(serviceUrl: string): ApiClient;
  queue: Pick<JobRunner, 'schedule'>;
}) {
  const { teams } = deps;

  async function run(input: FetchTranscriptData): Promise<FetchOutcome> {
    const ctx = verifiedTenantContext(input.tenantId, 'system');
    const Meetings = await teams.scheduling.store.tenantModel(ctx, TeamsMeeting);
    const meeting = await Meetings.findById(input.teamsMeetingId).lean();
    const conversation = meeting && (await teams.directory.conversation(meeting.conversationId));
    if (!meeting || !conversation || conversation.tenantId !== input.tenantId || !teams.meetings) {
      return 'gone';
    }
    if (meeting.transcriptFetchedAt) return 'captions-added';
    const api = deps.apiFor(conversation.serviceUrl);
    const info = await api.meetings.getById(input.teamsMeetingId);
    const organizerId = info.organizer?.aadObjectId;
    const onlineMeetingId = info.details?.msGraphResourceId;
    const fetched =
      organizerId && onlineMeetingId
        ? await deps.reader.fetch(organizerId, onlineMeetingId)
        : ({ kind: 'not-yet' } as const);
    if (fetched.kind === 'forbidden') {
      // Said once per meeting, whichever node runs the job.
      if (await teams.once('teams-transcript-forbidden', `${input.tenantId}:${meeting._id}`)) {
        await api.conversations.createActivity(
          meeting.conversationId,
          cardActivity(transcriptBlockedCard(fetched.detail), 'Quorum cannot read the transcript'),
        );
        await Meetings.updateOne(
          { _id: meeting._id },
          { $set: { transcriptBlockedAt: new Date() } },
        );
      }
      return 'forbidden';
    }
    if (fetched.kind === 'not-yet') {
      const delay = BACKOFF_MINUTES[input.attempt];
      if (delay === undefined) {
        teams.logger.warn({ teamsMeeting: meeting._id }, 'no Teams transcript appeared; gave up');
        return 'gave-up';
      }
      await deps.queue.schedule(new Date(Date.now() + delay * 60_000), FETCH_TRANSCRIPT, {
        ...input,
        attempt: input.attempt + 1,
      });
      return 'retry-scheduled';
    }
    try {
      await teams.meetings.addCaptions(ctx, botActor(), meeting.meetingId, {
        format: 'webvtt',
        text: fetched.vtt,
      });
    } catch (error) {
      // A transcript already given (a retried job) or one without speech: nothing more to do.
      if (!(error instanceof MeetingError)) throw error;
      teams.logger.info({ err: error, teamsMeeting: meeting._id }, 'Teams transcript not used');
    }
    await Meetings.updateOne({ _id: meeting._id }, { $set: { transcriptFetchedAt: new Date() } });
    return 'captions-added';
  }

  const job: JobDefinition<FetchTranscriptData> = {
    name: FETCH_TRANSCRIPT,
    concurrency: 2,
    removeOnComplete: true,
    async run(data, { logger }) {
      const input = jobData.parse(data);
      const outcome = await run(input);
      logger.info(
        { teamsMeeting: input.teamsMeetingId, attempt: input.attempt, outcome },
        'Teams transcript job ran',
      );
    },
  };
  return { run, job };
}
