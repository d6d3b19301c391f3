// Zoom's events, once transport.ts has verified them and checked they were not seen before:
// a finished transcript is queued (zoom.fetch-transcript, listeners/transcripts.ts), so Zoom is
// answered fast and the download survives restarts; other short work runs after the answer.
import type { Response } from 'express';
import { z } from 'zod';
import type { Logger } from '../../../core/logger.ts';
import type { MeetingResolver, ZoomMeetingFacts } from '../store/meetings.ts';
import type { ZoomPeople } from '../store/people.ts';
import type { ZoomEnvelope } from '../transport.ts';
import type { EnqueueOutcome, TranscriptFetcher } from './transcripts.ts';

const meetingObject = z.looseObject({
  id: z.union([z.number(), z.string()]).transform(String),
  uuid: z.string().min(1),
  host_id: z.string().min(1),
  host_email: z.string().optional(),
  topic: z.string().default(''),
  start_time: z.iso.datetime({ offset: true }),
  duration: z.number().default(0),
  timezone: z.string().optional(),
});
const transcriptPayload = z.looseObject({
  account_id: z.string().min(1),
  object: meetingObject.extend({
    recording_files: z.array(
      z.looseObject({
        id: z.string().min(1).optional(),
        file_type: z.string(),
        file_extension: z.string().optional(),
        download_url: z.url(),
        status: z.string().optional(),
      }),
    ),
  }),
});
const endedPayload = z.looseObject({
  account_id: z.string().min(1),
  object: z.looseObject({
    id: z.union([z.number(), z.string()]).transform(String),
    uuid: z.string().min(1),
  }),
});
const rtmsPayload = z.looseObject({
  meeting_uuid: z.string().min(1),
  rtms_stream_id: z.string().min(1),
  server_urls: z.string().min(1),
});

export interface LiveCapture {
  /** meeting.rtms_started: join the stream (when RTMS works here). */
  started(payload: z.infer<typeof rtmsPayload>): void;
  /** meeting.ended / meeting.rtms_stopped: close live capture of that meeting. */
  ended(meetingUuid: string, facts?: ZoomMeetingFacts): Promise<void>;
}

function factsOf(accountId: string, o: z.infer<typeof meetingObject>): ZoomMeetingFacts {
  return {
    accountId,
    id: o.id,
    uuid: o.uuid,
    hostId: o.host_id,
    ...(o.host_email ? { hostEmail: o.host_email } : {}),
    topic: o.topic,
    startTime: new Date(o.start_time),
    durationMinutes: o.duration,
    ...(o.timezone ? { timeZone: o.timezone } : {}),
  };
}

export interface ZoomEventDeps {
  resolver: MeetingResolver;
  people: ZoomPeople;
  transcripts: Pick<TranscriptFetcher, 'enqueue'>;
  live: LiveCapture;
  logger: Logger;
  /** Runs work after the answer; the adapter tracks it (idle()). */
  background: (work: () => Promise<void>) => void;
}

/** Handles one verified event and answers Zoom where transport.ts has not already. */
export function zoomEventHandler(deps: ZoomEventDeps) {
  /**
   * Only enqueues (zoom.fetch-transcript, once per file): the download and the pipeline run
   * in the job, which survives restarts and retries a failing file server.
   */
  async function transcriptCompleted(body: ZoomEnvelope): Promise<EnqueueOutcome> {
    const parsed = transcriptPayload.safeParse(body.payload);
    if (!parsed.success || !body.download_token) {
      deps.logger.warn(
        'Zoom transcript event without its meeting, files or download token; ignored',
      );
      return 'not-kept';
    }
    const { object } = parsed.data;
    const file = object.recording_files.find(
      (f) => f.file_type === 'TRANSCRIPT' && (f.file_extension ?? 'VTT').toUpperCase() === 'VTT',
    );
    if (!file) {
      deps.logger.info(
        { zoomMeetingId: object.id },
        'Zoom transcript event with no VTT file; nothing to do',
      );
      return 'not-kept';
    }
    return deps.transcripts.enqueue(
      factsOf(parsed.data.account_id, object),
      { ...(file.id ? { id: file.id } : {}), downloadUrl: file.download_url },
      body.download_token,
    );
  }

  return async function handle(body: ZoomEnvelope, res: Response): Promise<void> {
    const log = (error: unknown) =>
      deps.logger.error({ err: error, event: body.event }, 'Zoom event could not be handled');
    switch (body.event) {
      case 'recording.transcript_completed':
        try {
          const outcome = await transcriptCompleted(body);
          res
            .status(200)
            .json({ received: true, ...(outcome === 'duplicate' ? { duplicate: true } : {}) });
        } catch (error) {
          log(error);
          res.status(500).json({
            error: 'unavailable',
            message: 'Quorum could not queue the transcript; Zoom will deliver the event again.',
          });
        }
        break;
      case 'meeting.ended': {
        const ended = endedPayload.safeParse(body.payload);
        if (!ended.success) break;
        const full = meetingObject.safeParse(ended.data.object);
        deps.background(async () => {
          await deps.resolver.markEnded(ended.data.object.id);
          await deps.live.ended(
            ended.data.object.uuid,
            full.success ? factsOf(ended.data.account_id, full.data) : undefined,
          );
        });
        break;
      }
      case 'meeting.rtms_started': {
        const started = rtmsPayload.safeParse(body.payload);
        if (started.success) deps.live.started(started.data);
        break;
      }
      case 'meeting.rtms_stopped': {
        const stopped = z.looseObject({ meeting_uuid: z.string().min(1) }).safeParse(body.payload);
        if (stopped.success)
          deps.background(() => deps.live.ended(stopped.data.meeting_uuid).catch(log));
        break;
      }
      case 'app_deauthorized': {
        const removed = z.looseObject({ user_id: z.string().min(1) }).safeParse(body.payload);
        if (!removed.success) break;
        deps.background(async () => {
          if (await deps.people.unlink(removed.data.user_id)) {
            deps.logger.info('a Zoom user removed Quorum; their Zoom grant was deleted');
          }
        });
        break;
      }
      default:
        deps.logger.debug({ event: body.event }, 'Zoom event not used by Quorum');
    }
  };
}
