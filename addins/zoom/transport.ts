// Zoom's webhooks at POST /zoom/webhooks. The raw body is read (1 MB at most) and verified
// before anything else: `x-zm-signature` = v0=HMAC-SHA256(secret token, v0:{timestamp}:{body})
// with a timestamp within 5 minutes, else 401 and nothing happens. The same signed request
// twice is refused; an event Zoom delivers again is acknowledged and not handled twice.
// What each event does is in listeners/events.ts.
import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { ReplayGuard } from '../../core/webhooks/replay-guard.ts';
import { MAX_WEBHOOK_BYTES } from '../../core/webhooks/signatures.ts';
import { verifyZoomSignature, zoomUrlValidation } from './signature.ts';
import { WEBHOOK_PATH } from './app-definition.ts';
import { zoomEventHandler, type ZoomEventDeps } from './listeners/events.ts';

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

/** The event as Zoom wraps it, before its payload is read. */
export type ZoomEnvelope = z.infer<typeof envelope>;

export function zoomWebhookRoutes(
  deps: ZoomEventDeps & { secretToken: string; replayGuard: ReplayGuard },
): Router {
  const router = Router();
  const raw = express.raw({ type: () => true, limit: MAX_WEBHOOK_BYTES });
  const handle = zoomEventHandler(deps);

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
    await handle(body, res);
  });

  return router;
}
