// A Teams meeting's transcript through Microsoft Graph: the online meeting is found from the
// Bot Connector's meeting details (its Graph resource id and organizer), then
//   GET /users/{organizer}/onlineMeetings/{id}/transcripts
//   GET /users/{organizer}/onlineMeetings/{id}/transcripts/{transcriptId}/content?$format=text/vtt
// as the bot's application (OnlineMeetingTranscript.Read.All, or the meeting chat's RSC grant).
//
// After meetingEnd a job fetches it, retrying with backoff until Teams has published it, and
// hands it to the meeting pipeline as captions (WebVTT with <v Speaker> tags). When Graph
// refuses (transcripts disabled, permission not granted) the meeting chat is told once what an
// administrator must grant.
import { Client, ResponseType } from '@microsoft/microsoft-graph-client';
import type { Client as ApiClient } from '@microsoft/teams.api';
import { z } from 'zod';
import type { JobDefinition } from '../../../core/jobs/registry.ts';
import type { JobRunner } from '../../../core/jobs/runner.ts';
import { MeetingError } from '../../../core/meetings/index.ts';
import { verifiedTenantContext } from '../../../core/store/tenant-context.ts';
import { botActor, type TeamsDeps } from '../middleware/context.ts';
import { transcriptBlockedCard } from '../render/meetings.ts';
import { TeamsMeeting } from '../store/meetings.ts';
import { cardActivity } from '../summaries.ts';

export const FETCH_TRANSCRIPT = 'teams.fetch-transcript';
/** Minutes before each retry: Teams publishes a transcript minutes to an hour after the end. */
const BACKOFF_MINUTES = [1, 2, 4, 8, 15, 30, 60, 60, 120, 240, 480];

const transcriptList = z.object({
  value: z.array(
    z.object({
      id: z.string().min(1),
      createdDateTime: z.string().optional(),
    }),
  ),
});

export type TranscriptFetch =
  | { kind: 'found'; transcriptId: string; vtt: string }
  | { kind: 'not-yet' }
  | { kind: 'forbidden'; detail: string };

export function createTranscriptReader(options: {
  graphUrl: string;
  token: () => Promise<string>;
}) {
  const root = new URL(options.graphUrl);
  if (root.protocol !== 'https:') {
    throw new RangeError(`TEAMS_GRAPH_URL must be an https URL, got ${root.href}`);
  }
  const baseUrl = root.href.endsWith('/') ? root.href : `${root.href}/`;
  const graph = Client.init({
    authProvider: (done) => {
      options.token().then(
        (token) => done(null, token),
        (error: unknown) => done(error as Error, null),
      );
    },
    baseUrl,
    // The client attaches the token only to hosts it knows or is told about.
    customHosts: new Set([root.hostname]),
  });

  return {
    async fetch(organizerId: string, onlineMeetingId: string): Promise<TranscriptFetch> {
      const path = `/users/${encodeURIComponent(organizerId)}/onlineMeetings/${encodeURIComponent(onlineMeetingId)}/transcripts`;
      try {
        const list = transcriptList.parse(await graph.api(path).version('v1.0').get());
        if (list.value.length === 0) return { kind: 'not-yet' };
        // The latest transcript: a meeting transcribed twice has the whole of it in the last.
        const latest = [...list.value].sort((a, b) =>
          (b.createdDateTime ?? '').localeCompare(a.createdDateTime ?? ''),
        )[0]!;
        const content: unknown = await graph
          .api(`${path}/${encodeURIComponent(latest.id)}/content`)
          .version('v1.0')
          .query({ $format: 'text/vtt' })
          .responseType(ResponseType.TEXT)
          .get();
        const vtt =
          typeof content === 'string'
            ? content
            : Buffer.from(content as ArrayBuffer).toString('utf8');
        if (!vtt.trim()) return { kind: 'not-yet' };
        return { kind: 'found', transcriptId: latest.id, vtt };
      } catch (error) {
        const status = (error as { statusCode?: unknown }).statusCode;
        if (status === 403) {
          const message = (error as { message?: unknown }).message;
          return {
            kind: 'forbidden',
            detail:
              typeof message === 'string' && message
                ? `Microsoft Graph said: ${message}`
                : 'Microsoft Graph refused access to the transcript.',
          };
        }
        // Not there yet: Teams publishes transcripts some minutes after a meeting ends.
        if (status === 404) return { kind: 'not-yet' };
        throw error;
      }
    },
  };
}

export type TranscriptReader = ReturnType<typeof createTranscriptReader>;

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
