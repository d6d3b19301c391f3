// Meetings over HTTP: create (or link to a booking), hand over captions or a recording, read the
// transcript and summary, search, agendas, delete with a certificate; and the tenant's meeting
// settings for administrators.
//
// People use their session; programs (meeting bots, adapters) use an API key with
// meetings:read or meetings:write. Anything a caller may not see is a 404.
import { Router, type Response } from 'express';
import { z } from 'zod';
import type { AuditRecorder } from '../../core/identity/audit-port.ts';
import { meetingSettingsChange, type MeetingsService } from '../../core/meetings/index.ts';
import type { Store } from '../../core/store/store.ts';
import { requireAccess, requireUser } from '../../infra/http/authenticate.ts';
import type { RouteSchema } from '../../infra/http/route-schema.ts';
import { boundedRange, instant, MAX_SPAN } from '../../infra/http/time-input.ts';
import { parseInput } from '../../infra/http/validate.ts';
import { actorOf, meetingIdOf } from '../middleware/meeting-actor.ts';
import { mapped } from '../render/meetings.ts';
import { captionsBody, meetingUploadRoutes } from './meeting-uploads.ts';
import { meetingSettingsRoutes } from './meeting-settings.ts';
import type { Req } from './handlers.ts';

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
    /** The meeting took place already (an upload follows): its start is not in the future. */
    alreadyHappened: z.boolean().optional(),
  }),
  (b) => ({ start: b.startsAt, end: b.endsAt }),
  [],
  MAX_SPAN.event,
  'a meeting',
  ['startsAt', 'endsAt'],
);
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

async function createMeeting(meetings: MeetingsService, req: Req, res: Response) {
  const auth = requireAccess(req, res, 'meetings:write');
  const body = parseInput(createBody, req.body);
  const { meeting, created } = await meetings.create(auth.ctx, actorOf(auth), body);
  res.status(created ? 201 : 200).json(meeting);
}

async function listMine(meetings: MeetingsService, req: Req, res: Response) {
  const { ctx, user } = requireUser(req, res);
  const { limit, before } = parseInput(listQuery, req.query);
  const list = await meetings.listMine(
    ctx,
    { userId: user._id, email: user.email },
    { limit, ...(before ? { before } : {}) },
  );
  res.json({ meetings: list });
}

// The meeting an invite follows on from: the latest one with exactly these people.
async function previousMeeting(meetings: MeetingsService, req: Req, res: Response) {
  const auth = requireAccess(req, res, 'meetings:read');
  const { attendees, before } = parseInput(previousQuery, req.query);
  const meeting = await meetings.previousWith(
    auth.ctx,
    actorOf(auth),
    attendees,
    before ?? new Date(),
  );
  res.json({ meeting });
}

async function getMeeting(meetings: MeetingsService, req: Req, res: Response) {
  const auth = requireAccess(req, res, 'meetings:read');
  res.json(await meetings.get(auth.ctx, actorOf(auth), meetingIdOf(req)));
}

async function deleteMeeting(meetings: MeetingsService, req: Req, res: Response) {
  const auth = requireAccess(req, res, 'meetings:write');
  const certificateId = await meetings.delete(auth.ctx, actorOf(auth), meetingIdOf(req));
  res.json({ deleted: true, certificateId, certificate: `/api/certificates/${certificateId}` });
}

async function agenda(meetings: MeetingsService, req: Req, res: Response) {
  const auth = requireAccess(req, res, 'meetings:read');
  res.json(await meetings.agenda(auth.ctx, actorOf(auth), meetingIdOf(req)));
}

async function setActionItemDone(meetings: MeetingsService, req: Req, res: Response) {
  const auth = requireAccess(req, res, 'meetings:write');
  const index = parseInput(actionItemIndex, req.params.index);
  const { done } = parseInput(actionItemBody, req.body);
  await meetings.setActionItemDone(auth.ctx, actorOf(auth), meetingIdOf(req), index, done);
  res.json({ index, done });
}

async function search(meetings: MeetingsService, req: Req, res: Response) {
  const { ctx, user } = requireUser(req, res);
  const { q } = parseInput(searchQuery, req.query);
  res.json(await meetings.search(ctx, { userId: user._id, email: user.email }, q));
}

export function meetingRoutes(deps: {
  meetings: MeetingsService;
  store: Store;
  audit: AuditRecorder;
}): Router {
  const router = Router();
  const on = (handler: (meetings: MeetingsService, req: Req, res: Response) => Promise<void>) =>
    mapped((req, res) => handler(deps.meetings, req as Req, res));
  router.post('/api/meetings', on(createMeeting));
  router.get('/api/meetings', on(listMine));
  router.get('/api/meetings/previous', on(previousMeeting));
  router.get('/api/meetings/:id', on(getMeeting));

  meetingUploadRoutes(router, deps.meetings);
  router.delete('/api/meetings/:id', on(deleteMeeting));
  router.get('/api/meetings/:id/agenda', on(agenda));
  router.patch('/api/meetings/:id/action-items/:index', on(setActionItemDone));
  router.get('/api/search', on(search));

  meetingSettingsRoutes(router, deps);

  return router;
}
