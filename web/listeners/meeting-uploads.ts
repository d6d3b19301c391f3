// A meeting's content handed over: captions as text or JSON, or a recording streamed as the body.
import { PassThrough } from 'node:stream';
import express, { type Request, type Router } from 'express';
import { z } from 'zod';
import type { CaptionsInput, MeetingsService } from '../../core/meetings/index.ts';
import { requireAccess } from '../../infra/http/authenticate.ts';
import { HttpError } from '../../infra/http/http-error.ts';
import { parseInput } from '../../infra/http/validate.ts';
import { actorOf, meetingIdOf } from '../middleware/meeting-actor.ts';
import { mapped } from '../render/meetings.ts';

export const captionsBody = z.discriminatedUnion('format', [
  z.strictObject({ format: z.literal('webvtt'), text: z.string().min(1) }),
  z.strictObject({
    format: z.literal('meet-entries'),
    entries: z.unknown(),
    participants: z.unknown().optional(),
    conferenceStart: z.string().optional(),
  }),
]);

const RECORDING_TYPES = /^(?:audio|video)\/[\w.+-]+$|^application\/octet-stream$/;
/** Captions files as platforms export them: one file of text. */
const CAPTIONS_LIMIT = '20mb';

function declaredLength(req: Request): number | undefined {
  const header = req.get('content-length');
  return header !== undefined && /^\d+$/.test(header) ? Number(header) : undefined;
}

/** POST /api/meetings/:id/captions and /api/meetings/:id/audio. */
export function meetingUploadRoutes(router: Router, meetings: MeetingsService): void {
  const vtt = express.text({ type: ['text/vtt', 'text/plain'], limit: CAPTIONS_LIMIT });

  router.post(
    '/api/meetings/:id/captions',
    vtt,
    mapped(async (req, res) => {
      const auth = requireAccess(req, res, 'meetings:write');
      const input: CaptionsInput =
        typeof req.body === 'string'
          ? { format: 'webvtt', text: req.body }
          : parseInput(captionsBody, req.body);
      const result = await meetings.addCaptions(auth.ctx, actorOf(auth), meetingIdOf(req), input);
      res.status(202).json(result);
    }),
  );

  router.post(
    '/api/meetings/:id/audio',
    mapped(async (req, res) => {
      const auth = requireAccess(req, res, 'meetings:write');
      const type = (req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (!RECORDING_TYPES.test(type)) {
        throw new HttpError(
          415,
          'unsupported_media_type',
          'Send the recording as the request body with its type, e.g. Content-Type: audio/wav, ' +
            'audio/mpeg, audio/mp4, video/mp4 or application/octet-stream.',
        );
      }
      // Piped through our own stream, so a refused upload stops being read without the
      // connection being torn down before the client hears why.
      const body = req.pipe(new PassThrough({ highWaterMark: 256 * 1024 }));
      try {
        const result = await meetings.addRecording(
          auth.ctx,
          actorOf(auth),
          meetingIdOf(req),
          body,
          {
            contentType: type,
            declaredBytes: declaredLength(req),
          },
        );
        res.status(202).json(result);
      } catch (error) {
        req.unpipe(body);
        body.destroy();
        // Whatever was refused, the rest of a large body is not worth reading.
        if (!req.complete) res.setHeader('Connection', 'close');
        throw error;
      }
    }),
  );
}
