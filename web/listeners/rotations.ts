// Fair rotation over HTTP (the Schedule page, API clients): the plan for a weekly meeting whose
// team shares no working hour, and booking it as its interleaved series. Both go through the
// assistant (core/assistant/rotation.ts), as every surface's do.
import { Router, type Response } from 'express';
import { z } from 'zod';
import type { Assistant, Problem } from '../../core/assistant/index.ts';
import { PARTS_OF_DAY, WEEKDAYS } from '../../core/scheduling/availability/index.ts';
import { MAX_ROTATION_MEETINGS } from '../../core/assistant/rotation.ts';
import { windowIsOver, WINDOW_OVER, remainingWindow } from '../../core/scheduling/search-window.ts';
import { getUserSettings, LINK_TYPES } from '../../core/identity/user-settings.ts';
import type { Store } from '../../core/store/store.ts';
import { requireUser } from '../../infra/http/authenticate.ts';
import { HttpError } from '../../infra/http/http-error.ts';
import type { RouteSchema } from '../../infra/http/route-schema.ts';
import { boundedRange, instant, MAX_SPAN, minuteInstant } from '../../infra/http/time-input.ts';
import { parseInput } from '../../infra/http/validate.ts';
import { withDeps, type Req } from './handlers.ts';

const attendee = z.object({
  email: z.email().transform((e) => e.toLowerCase()),
  name: z.string().max(120).optional(),
  optional: z.boolean().default(false),
});
const count = z
  .number()
  .int('must be a whole number')
  .min(4, 'a rotation has at least 4 meetings (two times, twice each)')
  .max(
    MAX_ROTATION_MEETINGS,
    `at most ${MAX_ROTATION_MEETINGS} meetings (a series spans at most 400 days); plan a new rotation after that`,
  );

const planBody = boundedRange(
  z.object({
    attendees: z.array(attendee).min(1, 'name at least one person to meet').max(100),
    durationMinutes: z.number().int().min(5).max(480),
    /** The first week: only its first 7 days are used. */
    window: z.object({ start: instant, end: instant }),
    count,
    title: z.string().trim().max(200).optional(),
    preferences: z
      .object({
        partOfDay: z.enum(PARTS_OF_DAY).optional(),
        days: z.array(z.enum(WEEKDAYS)).optional(),
      })
      .optional(),
  }),
  (b) => b.window,
  ['window'],
  MAX_SPAN.searchWindow,
).refine((b) => !(b.window?.end instanceof Date) || !windowIsOver(b.window, Date.now()), {
  message: WINDOW_OVER,
  path: ['window', 'end'],
});

const bookBody = z.object({
  title: z.string().trim().min(1).max(200),
  attendees: z.array(attendee).min(1).max(100),
  durationMinutes: z.number().int().min(5).max(480),
  count,
  /** Each time's first meeting, in turn order (as the plan's `booking.starts`). */
  starts: z
    .array(minuteInstant)
    .min(2, 'a rotation has 2 or 3 times')
    .max(3, 'a rotation has 2 or 3 times'),
  linkType: z.enum(LINK_TYPES).optional(),
  description: z.string().max(5000).optional(),
  idempotencyKey: z.string().min(8).max(200).optional(),
});

export const rotationRouteSchemas: RouteSchema[] = [
  { method: 'POST', path: '/api/rotations/plan', schema: planBody, auth: 'session' },
  { method: 'POST', path: '/api/rotations', schema: bookBody, auth: 'session' },
];

export interface RotationRouteDeps {
  store: Store;
  assistant: Assistant;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** A problem as HTTP: what went wrong and what to do, with the status that fits. */
function sendProblem(res: Response, reply: Problem) {
  const status =
    { 'no-times': 422, 'invalid-series': 400, cancelled: 409, 'not-a-colleague': 400 }[
      reply.code as string
    ] ?? 409;
  res.status(status).json({
    error: reply.code,
    message: reply.message,
    ...(reply.whatToDo ? { whatToDo: reply.whatToDo } : {}),
  });
}

async function plan(deps: RotationRouteDeps, req: Req, res: Response) {
  const { ctx, user } = requireUser(req, res);
  const body = parseInput(planBody, req.body);
  const settings = await getUserSettings(deps.store, ctx, user._id);
  const reply = await deps.assistant.rotation.plan(
    { ctx, user, settings },
    {
      attendees: body.attendees.filter((a) => a.email !== user.email.toLowerCase()),
      durationMinutes: body.durationMinutes,
      window: remainingWindow(body.window, Date.now()),
      count: body.count,
      title: body.title ?? null,
      ...(body.preferences ? { preferences: body.preferences } : {}),
    },
  );
  if (reply.kind === 'problem') return sendProblem(res, reply);
  res.json({
    ...reply,
    times: reply.times.map((t) => ({ ...t, start: iso(t.start), end: iso(t.end) })),
    meetings: reply.meetings.map((m) => ({ ...m, start: iso(m.start), end: iso(m.end) })),
    booking: { ...reply.booking, starts: reply.booking.starts.map(iso) },
  });
}

async function book(deps: RotationRouteDeps, req: Req, res: Response) {
  const { ctx, user } = requireUser(req, res);
  const body = parseInput(bookBody, req.body);
  if (body.starts.some((s) => s.getTime() < Date.now())) {
    throw new HttpError(400, 'invalid_input', 'starts: a time is in the past; plan again.');
  }
  const settings = await getUserSettings(deps.store, ctx, user._id);
  const reply = await deps.assistant.rotation.book(
    { ctx, user, settings },
    {
      title: body.title,
      attendees: body.attendees.filter((a) => a.email !== user.email.toLowerCase()),
      durationMinutes: body.durationMinutes,
      count: body.count,
      starts: body.starts.map((s) => s.getTime()),
      linkType: body.linkType ?? settings.defaultLinkType,
      ...(body.description ? { description: body.description } : {}),
      ...(body.idempotencyKey ? { idempotencyKey: body.idempotencyKey } : {}),
      origin: { platform: 'web', reference: '' },
    },
  );
  if (reply.kind === 'problem') return sendProblem(res, reply);
  res.status(reply.alreadyBooked ? 200 : 201).json(reply);
}

export function rotationRoutes(deps: RotationRouteDeps): Router {
  const router = Router();
  const on = withDeps(deps);
  router.post('/api/rotations/plan', on(plan));
  router.post('/api/rotations', on(book));
  return router;
}
