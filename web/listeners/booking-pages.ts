// Booking pages over HTTP: owners publish and remove event types; guests (no account) see a
// page's free slots, book one, and download the confirmation as .ics.
import type { Assistant } from '../../core/assistant/index.ts';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AuditRecorder } from '../../core/identity/audit-port.ts';
import {
  BookingPageError,
  bookingPageInput,
  guestBookingInput,
  type AttemptLimiter,
  type BookingPagesService,
} from '../../core/scheduling/booking-pages/index.ts';
import { requireUser } from '../../infra/http/authenticate.ts';
import { HttpError, notFound } from '../../infra/http/http-error.ts';
import type { RouteSchema } from '../../infra/http/route-schema.ts';
import { minuteInstant } from '../../infra/http/time-input.ts';
import { parseInput } from '../../infra/http/validate.ts';
import { pageView } from '../render/booking-pages.ts';
import { withDeps, type Req } from './handlers.ts';

const STATUS: Record<BookingPageError['code'], number> = {
  'not-found': 404,
  'slug-taken': 409,
  'not-a-colleague': 400,
  'slot-unavailable': 409,
  'in-progress': 409,
  'invalid-link': 403,
};

function asHttp(error: unknown): never {
  if (error instanceof BookingPageError) {
    throw new HttpError(STATUS[error.code], error.code, error.message);
  }
  throw error;
}

const slugParam = z.string().min(1).max(80);
/** A guest's booking; its start bounded like every other time people send (2000–2099). */
const guestBookingBody = guestBookingInput.extend({ start: minuteInstant });
/** The guest's signed link to their booking's .ics. */
const icsQuery = z.object({ t: z.string().min(20).max(2000) });

export const bookingPageRouteSchemas: RouteSchema[] = [
  { method: 'POST', path: '/api/booking-pages', schema: bookingPageInput, auth: 'session' },
  {
    method: 'POST',
    path: '/api/public/booking-pages/:slug/bookings',
    schema: guestBookingBody,
    auth: 'public',
  },
  {
    method: 'GET',
    path: '/api/public/booking-pages/:slug/bookings/:id/ics',
    in: 'query',
    schema: icsQuery,
    auth: 'public',
  },
];

export interface BookingPageRouteDeps {
  pages: BookingPagesService;
  /** A guest's booking goes through the assistant's book use case, which records the meeting. */
  assistant: Pick<Assistant, 'book'>;
  /** Guests' booking attempts per address. */
  limiter: AttemptLimiter;
  audit: AuditRecorder;
  baseUrl: string;
}

async function limited(deps: BookingPageRouteDeps, req: Request) {
  const verdict = await deps.limiter.attempt(req.ip ?? 'unknown');
  if (!verdict.allowed) {
    throw new HttpError(
      429,
      'too_many_bookings',
      `Too many bookings from your address. Try again in ${verdict.retryAfterSeconds} seconds.`,
      { 'Retry-After': String(verdict.retryAfterSeconds) },
    );
  }
}

async function listMine(deps: BookingPageRouteDeps, req: Req, res: Response) {
  const { ctx, user } = requireUser(req, res);
  const pages = await deps.pages.listMine(ctx, user._id);
  res.json({ pages: pages.map((p) => pageView(p, deps.baseUrl)) });
}

async function publish(deps: BookingPageRouteDeps, req: Req, res: Response) {
  const { ctx, user } = requireUser(req, res);
  const body = parseInput(bookingPageInput, req.body);
  const page = await deps.pages.publish(ctx, user, body).catch(asHttp);
  await deps.audit(ctx, {
    action: 'booking-page.published',
    actor: `user:${user._id}`,
    target: `booking-page:${page._id}`,
    ip: req.ip ?? null,
    userAgent: req.get('user-agent') ?? null,
    details: { hosts: page.hostEmails.length },
  });
  res.status(201).json({ page: pageView(page, deps.baseUrl) });
}

async function remove(deps: BookingPageRouteDeps, req: Req, res: Response) {
  const { ctx, user } = requireUser(req, res);
  const slug = parseInput(slugParam, req.params.slug);
  if (!(await deps.pages.remove(ctx, user._id, slug))) throw notFound('That booking page');
  await deps.audit(ctx, {
    action: 'booking-page.removed',
    actor: `user:${user._id}`,
    target: `booking-page:${slug}`,
    ip: req.ip ?? null,
    userAgent: req.get('user-agent') ?? null,
  });
  res.json({ removed: true });
}

async function publicView(deps: BookingPageRouteDeps, req: Req, res: Response) {
  const slug = parseInput(slugParam, req.params.slug);
  res.setHeader('Cache-Control', 'no-store');
  res.json(await deps.pages.publicView(slug).catch(asHttp));
}

async function bookAsGuest(deps: BookingPageRouteDeps, req: Req, res: Response) {
  const slug = parseInput(slugParam, req.params.slug);
  const body = parseInput(guestBookingBody, req.body);
  await limited(deps, req);
  const result = await deps.assistant.book.fromPage(slug, body).catch(asHttp);
  const b = result.booking;
  res.status(result.alreadyBooked ? 200 : 201).json({
    booking: {
      id: b._id,
      title: b.title,
      start: b.start.toISOString(),
      end: b.end.toISOString(),
      joinUrl: b.joinUrl,
    },
    alreadyBooked: result.alreadyBooked,
    icsUrl: result.icsUrl,
  });
}

async function icsFile(deps: BookingPageRouteDeps, req: Req, res: Response) {
  const slug = parseInput(slugParam, req.params.slug);
  const { t } = parseInput(icsQuery, req.query);
  const text = await deps.pages.ics(slug, String(req.params.id), t).catch(asHttp);
  res
    .type('text/calendar; charset=utf-8')
    .setHeader('Content-Disposition', 'attachment; filename="quorum-booking.ics"')
    .send(text);
}

export function bookingPageRoutes(deps: BookingPageRouteDeps): Router {
  const router = Router();
  const on = withDeps(deps);
  router.get('/api/booking-pages', on(listMine));
  router.post('/api/booking-pages', on(publish));
  router.delete('/api/booking-pages/:slug', on(remove));
  router.get('/api/public/booking-pages/:slug', on(publicView));
  router.post('/api/public/booking-pages/:slug/bookings', on(bookAsGuest));
  router.get('/api/public/booking-pages/:slug/bookings/:id/ics', on(icsFile));
  return router;
}
