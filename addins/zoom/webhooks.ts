// Zoom's webhooks at POST /zoom/webhooks. The raw body is read (1 MB at most) and verified
// before anything else: `x-zm-signature` = v0=HMAC-SHA256(secret token, v0:{timestamp}:{body})
// with a timestamp within 5 minutes, else 401 and nothing happens. The same signed request
// twice is refused; an event Zoom delivers again is acknowledged and not handled twice.
// A transcript is only queued here (zoom.fetch-transcript, transcript-job.ts), so Zoom is
// answered fast and the download survives restarts; other short work runs after the answer.
import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Logger } from '../../core/logger.ts';
import type { ReplayGuard } from '../../core/webhooks/replay-guard.ts';
import { MAX_WEBHOOK_BYTES } from '../../core/webhooks/signatures.ts';
import { verifyZoomSignature, zoomUrlValidation } from './signature.ts';
import { WEBHOOK_PATH } from './app-definition.ts';
import type { ZoomPeople } from './people.ts';
import type { MeetingResolver, ZoomMeetingFacts } from './zoom-meetings.ts';
import type { EnqueueOutcome, TranscriptFetcher } from './transcript-job.ts';

const envelope = z.looseObject({
  event: z.string().min(1),
  event_ts: z.number().optional(),
  payload: z.looseObject({}),
  download_token: z.string().optional(),
});
const validation = z.object({
  // Zoom's plain tokens are short url-safe strings. Refusing anything else (a colon above all)
  // keeps this answer from ever being an HMAC oracle for a `v0:{ts}:{body}` signature.
  plainToken: z.string().regex(/^[A-Za-z0-9_-]{8,128}$/),
});
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

export function zoomWebhookRoutes(deps: {
  secretToken: string;
  replayGuard: ReplayGuard;
  resolver: MeetingResolver;
  people: ZoomPeople;
  transcripts: Pick<TranscriptFetcher, 'enqueue'>;
  live: LiveCapture;
  logger: Logger;
  /** Runs work after the answer; the adapter tracks it (idle()). */
  background: (work: () => Promise<void>) => void;
}): Router {
  const router = Router();
  const raw = express.raw({ type: () => true, limit: MAX_WEBHOOK_BYTES });

  /**
   * Only enqueues (zoom.fetch-transcript, once per file): the download and the pipeline run
   * in the job, which survives restarts and retries a failing file server.
   */
  async function transcriptCompleted(body: z.infer<typeof envelope>): Promise<EnqueueOutcome> {
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

  router.post(WEBHOOK_PATH, raw, async (req: Request, res: Response) => {
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const timestamp = req.get('x-zm-request-timestamp');
    const signature = req.get('x-zm-signature');
    let json: unknown;
    try {
      json = JSON.parse(rawBody.toString('utf8'));
    } catch {
      json = undefined;
    }
    const parsed = envelope.safeParse(json);
    const refuse = (reason: string) => {
      deps.logger.warn({ reason }, 'Zoom webhook refused');
      res
        .status(401)
        .json({ error: 'invalid_signature', message: 'The request is not signed by Zoom.' });
    };
    const answerChallenge = (payload: unknown) => {
      const challenge = validation.safeParse(payload);
      if (!challenge.success) {
        res
          .status(400)
          .json({ error: 'invalid_input', message: 'plainToken is missing or malformed.' });
        return;
      }
      res.json(zoomUrlValidation(deps.secretToken, challenge.data.plainToken));
    };
    // Zoom signs its URL validation too, so it is verified like every other event: an unsigned
    // challenge would let anyone learn our HMAC of a string they chose.
    const verdict = verifyZoomSignature({
      secretToken: deps.secretToken,
      rawBody,
      timestamp,
      signature,
    });
    if (!verdict.ok) return refuse(verdict.reason);
    if (!(await deps.replayGuard.firstSighting('zoom-signature', verdict.deliveryId))) {
      return refuse('replayed request');
    }
    if (!parsed.success) {
      res.status(400).json({ error: 'invalid_input', message: 'Expected a Zoom event as JSON.' });
      return;
    }
    const body = parsed.data;
    if (body.event === 'endpoint.url_validation') return answerChallenge(body.payload);
    // A transcript is answered once its job is queued (below): if queuing fails, Zoom's
    // redelivery tries again, and the job's unique key per recording file (not this event's
    // identity) keeps that to one fetch.
    const queuedOnce = body.event === 'recording.transcript_completed';
    if (!queuedOnce) {
      // Zoom re-delivers an event it thinks was not received with a new signature: the event's
      // own identity (name, time, meeting instance or user) is what is handled once. A retry
      // later than this memory (Zoom retries up to 90 minutes on) still changes nothing: each
      // handler is idempotent (one meeting per instance, a meeting takes one transcript).
      const object = (body.payload.object ?? {}) as { uuid?: unknown };
      const instance = String(
        object.uuid ?? body.payload.meeting_uuid ?? body.payload.user_id ?? '',
      );
      const eventKey = `${body.event}:${body.event_ts ?? ''}:${instance}`;
      if (!(await deps.replayGuard.firstSighting('zoom-event', eventKey))) {
        res.status(200).json({ received: true, duplicate: true });
        return;
      }
      res.status(200).json({ received: true });
    }
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
  });

  return router;
}
