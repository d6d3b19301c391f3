// Meetings over HTTP: create (or link to a booking), hand over captions or a recording, read the
// transcript and summary, search, agendas, delete with a certificate; and the tenant's meeting
// settings for administrators.
//
// People use their session; programs (meeting bots, adapters) use an API key with
// meetings:read or meetings:write. Anything a caller may not see is a 404.
import { PassThrough } from 'node:stream';
import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AuditRecorder } from '../../core/identity/audit-port.ts';
import {
  MeetingError,
  RecordingTooLargeError,
  changeMeetingSettings,
  describeBytes,
  getMeetingSettings,
  meetingSettingsChange,
  type CaptionsInput,
  type MeetingActor,
  type MeetingsService,
} from '../../core/meetings/index.ts';
import { EncryptionFailedError } from '../../core/privacy/errors.ts';
import type { Store } from '../../core/store/store.ts';
import { requireAccess, requireAdmin, requireUser, type Auth } from '../../infra/http/authenticate.ts';
import { HttpError } from '../../infra/http/http-error.ts';
import type { RouteSchema } from '../../infra/http/route-schema.ts';
import { boundedRange, instant, MAX_SPAN } from '../../infra/http/time-input.ts';
import { parseInput } from '../../infra/http/validate.ts';

const participant = z.object({
  email: z.email().max(254),
  name: z.string().trim().max(120).optional(),
});
const createBody = boundedRange(
  z.strictObject({
    bookingId: z.string().min(1).max(200).optional(),
    title: z.string().trim().min(1).max(200).optional(),
    startsAt: instant.optional(),
    endsAt: instant.optional(),
    timeZone: z.string().min(1).max(64).optional(),
    participants: z.array(participant).max(200).optional(),
    description: z.string().max(20_000).optional(),
    language: z
      .string()
      .regex(/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, 'use a BCP 47 tag such as en-US')
      .optional(),
    idempotencyKey: z.string().min(8).max(200).optional(),
    organizerEmail: z.email().max(254).optional(),
  }),
  (b) => ({ start: b.startsAt, end: b.endsAt }),
  [],
  MAX_SPAN.event,
  'a meeting',
  ['startsAt', 'endsAt'],
);
const captionsBody = z.discriminatedUnion('format', [
  z.strictObject({ format: z.literal('webvtt'), text: z.string().min(1) }),
  z.strictObject({
    format: z.literal('meet-entries'),
    entries: z.unknown(),
    participants: z.unknown().optional(),
    conferenceStart: z.string().optional(),
  }),
]);
const previousQuery = z.object({
  attendees: z
    .string()
    .max(20_000)
    .transform((s) =>
      s
        .split(',')
        .map((e) => e.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(z.array(z.email()).min(1).max(200)),
  before: instant.optional(),
});
const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: instant.optional(),
});
const searchQuery = z.object({ q: z.string().trim().min(1).max(500) });
const actionItemBody = z.strictObject({ done: z.boolean() });
const actionItemIndex = z.coerce.number().int().min(0).max(100_000);

export const meetingRouteSchemas: RouteSchema[] = [
  { method: 'POST', path: '/api/meetings', schema: createBody, auth: 'session-or-api-key' },
  { method: 'GET', path: '/api/meetings', in: 'query', schema: listQuery, auth: 'session' },
  {
    method: 'GET',
    path: '/api/meetings/previous',
    in: 'query',
    schema: previousQuery,
    auth: 'session-or-api-key',
  },
  {
    method: 'POST',
    path: '/api/meetings/:id/captions',
    schema: captionsBody,
    auth: 'session-or-api-key',
  },
  {
    method: 'PATCH',
    path: '/api/meetings/:id/action-items/:index',
    schema: actionItemBody,
    auth: 'session-or-api-key',
  },
  { method: 'GET', path: '/api/search', in: 'query', schema: searchQuery, auth: 'session' },
  { method: 'PUT', path: '/api/admin/settings', schema: meetingSettingsChange, auth: 'admin' },
];

/** Recordings come as audio or video files; anything else is refused before it is read. */
const RECORDING_TYPES = /^(?:audio|video)\/[\w.+-]+$|^application\/octet-stream$/;
/** Captions files as platforms export them: one file of text. */
const CAPTIONS_LIMIT = '20mb';

export function actorOf(auth: Auth): MeetingActor {
  return auth.kind === 'session'
    ? { kind: 'user', userId: auth.user._id, email: auth.user.email, name: auth.user.name }
    : { kind: 'api-key', keyId: auth.keyId };
}

/** Turns the core's refusals into HTTP answers. */
export function asHttp(error: unknown): unknown {
  if (error instanceof MeetingError) {
    const status = {
      'not-found': 404,
      forbidden: 403,
      conflict: 409,
      invalid: 400,
      unreadable: 500,
    };
    const code = {
      'not-found': 'not_found',
      forbidden: 'forbidden',
      conflict: 'conflict',
      invalid: 'invalid_input',
      unreadable: 'content_unreadable',
    };
    return new HttpError(status[error.code], code[error.code], error.message);
  }
  if (error instanceof RecordingTooLargeError) {
    return new HttpError(
      413,
      'recording_too_large',
      `${error.message} Upload a shorter or more compressed recording (e.g. audio only).`,
      // The rest of an oversized upload is not read; the connection is closed after this answer.
      { Connection: 'close' },
    );
  }
  if (error instanceof EncryptionFailedError && error.reason === 'key-destroyed') {
    return new HttpError(
      409,
      'content_deleted',
      "This meeting's content was deleted and its key destroyed; nothing more is stored for it.",
    );
  }
  if (error instanceof EncryptionFailedError) {
    return new HttpError(
      503,
      'encryption_unavailable',
      'Meeting content could not be encrypted, so nothing was stored. Try again later.',
    );
  }
  return error;
}

type Handler = (req: Request, res: Response) => Promise<void>;
const mapped =
  (handler: Handler): Handler =>
  async (req, res) => {
    try {
      await handler(req, res);
    } catch (error) {
      throw asHttp(error);
    }
  };

function meetingIdOf(req: Request): string {
  return String(req.params.id);
}

function declaredLength(req: Request): number | undefined {
  const header = req.get('content-length');
  return header !== undefined && /^\d+$/.test(header) ? Number(header) : undefined;
}

export function meetingRoutes(deps: {
  meetings: MeetingsService;
  store: Store;
  audit: AuditRecorder;
}): Router {
  const router = Router();
  const { meetings } = deps;
  const vtt = express.text({ type: ['text/vtt', 'text/plain'], limit: CAPTIONS_LIMIT });

  router.post(
    '/api/meetings',
    mapped(async (req, res) => {
      const auth = requireAccess(req, res, 'meetings:write');
      const body = parseInput(createBody, req.body);
      const { meeting, created } = await meetings.create(auth.ctx, actorOf(auth), body);
      res.status(created ? 201 : 200).json(meeting);
    }),
  );

  router.get(
    '/api/meetings',
    mapped(async (req, res) => {
      const { ctx, user } = requireUser(req, res);
      const { limit, before } = parseInput(listQuery, req.query);
      const list = await meetings.listMine(
        ctx,
        { userId: user._id, email: user.email },
        { limit, ...(before ? { before } : {}) },
      );
      res.json({ meetings: list });
    }),
  );

  // The meeting an invite follows on from: the latest one with exactly these people.
  router.get(
    '/api/meetings/previous',
    mapped(async (req, res) => {
      const auth = requireAccess(req, res, 'meetings:read');
      const { attendees, before } = parseInput(previousQuery, req.query);
      const meeting = await meetings.previousWith(
        auth.ctx,
        actorOf(auth),
        attendees,
        before ?? new Date(),
      );
      res.json({ meeting });
    }),
  );

  router.get(
    '/api/meetings/:id',
    mapped(async (req, res) => {
      const auth = requireAccess(req, res, 'meetings:read');
      res.json(await meetings.get(auth.ctx, actorOf(auth), meetingIdOf(req)));
    }),
  );

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

  router.delete(
    '/api/meetings/:id',
    mapped(async (req, res) => {
      const auth = requireAccess(req, res, 'meetings:write');
      const certificateId = await meetings.delete(auth.ctx, actorOf(auth), meetingIdOf(req));
      res.json({ deleted: true, certificateId, certificate: `/api/certificates/${certificateId}` });
    }),
  );

  router.get(
    '/api/meetings/:id/agenda',
    mapped(async (req, res) => {
      const auth = requireAccess(req, res, 'meetings:read');
      res.json(await meetings.agenda(auth.ctx, actorOf(auth), meetingIdOf(req)));
    }),
  );

  router.patch(
    '/api/meetings/:id/action-items/:index',
    mapped(async (req, res) => {
      const auth = requireAccess(req, res, 'meetings:write');
      const index = parseInput(actionItemIndex, req.params.index);
      const { done } = parseInput(actionItemBody, req.body);
      await meetings.setActionItemDone(auth.ctx, actorOf(auth), meetingIdOf(req), index, done);
      res.json({ index, done });
    }),
  );

  router.get(
    '/api/search',
    mapped(async (req, res) => {
      const { ctx, user } = requireUser(req, res);
      const { q } = parseInput(searchQuery, req.query);
      res.json(await meetings.search(ctx, { userId: user._id, email: user.email }, q));
    }),
  );

  router.get(
    '/api/admin/settings',
    mapped(async (req, res) => {
      const { ctx } = requireAdmin(req, res);
      const settings = await getMeetingSettings(deps.store, ctx, meetings.settingsDefaults());
      res.json({
        ...settings,
        recordingLimit: describeBytes(settings.recordingLimitMb * 1024 * 1024),
      });
    }),
  );

  router.put(
    '/api/admin/settings',
    mapped(async (req, res) => {
      const { ctx, user } = requireAdmin(req, res);
      const change = parseInput(meetingSettingsChange, req.body);
      const engines = meetings.recordingEngines();
      if (change.transcriptionEngine && !engines.includes(change.transcriptionEngine)) {
        throw new HttpError(
          400,
          'invalid_input',
          `transcriptionEngine: ${change.transcriptionEngine} is not available on this ` +
            `deployment; choose one of: ${engines.join(', ')}.`,
        );
      }
      const summarizers = meetings.summaryEngines();
      if (change.summaryEngine && !summarizers.includes(change.summaryEngine)) {
        throw new HttpError(
          400,
          'invalid_input',
          `summaryEngine: ${change.summaryEngine} is not available on this deployment; ` +
            `choose one of: ${summarizers.join(', ')}.`,
        );
      }
      const { before, after } = await changeMeetingSettings(
        deps.store,
        ctx,
        change,
        `user:${user._id}`,
        meetings.settingsDefaults(),
      );
      const changed = (Object.keys(after) as Array<keyof typeof after>).filter(
        (name) => before[name] !== after[name],
      );
      if (changed.length > 0) {
        await deps.audit(ctx, {
          action: 'settings.changed',
          actor: `user:${user._id}`,
          target: 'settings:meetings',
          ip: req.ip ?? null,
          userAgent: req.get('user-agent') ?? null,
          details: {
            changed,
            from: Object.fromEntries(changed.map((name) => [name, before[name]])),
            to: Object.fromEntries(changed.map((name) => [name, after[name]])),
          },
        });
      }
      res.json(after);
    }),
  );

  return router;
}
