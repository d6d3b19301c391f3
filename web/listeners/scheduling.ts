// Scheduling over HTTP for Quorum's own pages and API clients: settings, finding times,
// bookings (book, reschedule, cancel, follow-up), polls, and the next meeting. Booking and the
// next meeting go through the assistant (core/assistant), as every surface's do.
import { RecurrenceError, recurrenceRuleSchema } from '../../core/scheduling/recurrence/rule.ts';
import { seriesSlots } from '../../core/scheduling/series-times.ts';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { LEAST_BURDEN_INTRO, type Assistant } from '../../core/assistant/index.ts';
import { parseCommandText } from '../../core/scheduling/command-text/index.ts';
import {
  BookingError,
  type BookingService,
} from '../../core/scheduling/booking/booking-service.ts';
import type { BookingDoc } from '../../core/scheduling/booking/booking-model.ts';
import { meetingsOfSeries } from '../../core/scheduling/booking/booking-series.ts';
import { findTimes, type SchedulingDeps } from '../../core/scheduling/find-times.ts';
import { remainingWindow, WINDOW_OVER, windowIsOver } from '../../core/scheduling/search-window.ts';
import { PollError, type PollService } from '../../core/scheduling/polls/poll-service.ts';
import { WEEKDAYS, PARTS_OF_DAY } from '../../core/scheduling/availability/index.ts';
import {
  LINK_TYPES,
  getUserSettings,
  saveUserSettings,
  userSettingsInput,
} from '../../core/identity/user-settings.ts';
import { requireAccess, requireUser, type Auth } from '../../infra/http/authenticate.ts';
import { HttpError, notFound } from '../../infra/http/http-error.ts';
import type { RouteSchema } from '../../infra/http/route-schema.ts';
import {
  boundedRange,
  instant,
  MAX_SPAN,
  minuteInstant,
  notInThePast,
} from '../../infra/http/time-input.ts';
import { parseInput } from '../../infra/http/validate.ts';
import { withDeps, type Req } from './handlers.ts';

const attendee = z.object({
  email: z.email().transform((e) => e.toLowerCase()),
  name: z.string().max(120).optional(),
  optional: z.boolean().default(false),
});
const findBody = boundedRange(
  z.object({
    attendees: z.array(attendee).max(100).default([]),
    durationMinutes: z.number().int().min(5).max(480),
    window: z.object({ start: instant, end: instant }),
    preferences: z
      .object({
        partOfDay: z.enum(PARTS_OF_DAY).optional(),
        days: z.array(z.enum(WEEKDAYS)).optional(),
      })
      .optional(),
    limit: z.number().int().min(1).max(50).default(10),
    /**
     * `when-needed`: the least-burden times when no time lies inside everyone's working hours;
     * `always`: ranked by least burden; `never`: working hours only (as before).
     */
    leastBurden: z.enum(['never', 'when-needed', 'always']).default('when-needed'),
    /** A repeating meeting: the window bounds its first occurrence; every occurrence must work. */
    recurrence: recurrenceRuleSchema.optional(),
    /** With a recurrence: also offer times where some occurrences conflict, naming them. */
    allowConflicts: z.boolean().optional(),
  }),
  (b) => b.window,
  ['window'],
  MAX_SPAN.searchWindow,
).refine(
  // A date that failed its own check is still the raw input here: that issue is the one to tell.
  (b) => !(b.window?.end instanceof Date) || !windowIsOver(b.window, Date.now()),
  { message: WINDOW_OVER, path: ['window', 'end'] },
);
const bookBody = notInThePast(
  boundedRange(
    z.object({
      title: z.string().trim().min(1).max(200),
      start: minuteInstant,
      end: minuteInstant,
      attendees: z.array(attendee).max(100),
      linkType: z.enum(LINK_TYPES).optional(),
      description: z.string().max(5000).optional(),
      idempotencyKey: z.string().min(8).max(200).optional(),
      /** The booking this one follows up (the Zoom panel's "Schedule follow-up"). */
      followUpOf: z.string().min(1).max(200).optional(),
      /** Repeat (the Schedule page's "repeat" control): start/end are the first meeting. */
      recurrence: recurrenceRuleSchema.optional(),
      /** Book the series even where some meetings conflict; they are named in the answer. */
      allowConflicts: z.boolean().optional(),
    }),
    (b) => b,
    [],
    MAX_SPAN.event,
    'a booking',
  ),
  (b) => b.start,
  ['start'],
);
const slotBody = notInThePast(
  boundedRange(
    z.object({ start: minuteInstant, end: minuteInstant }),
    (b) => b,
    [],
    MAX_SPAN.event,
    'a time',
  ),
  (b) => b.start,
  ['start'],
);
/** One meeting of a series, named by its original start: cancelled, moved, or cancelled with the rest. */
const occurrenceBody = z.discriminatedUnion(
  'action',
  [
    z.strictObject({ action: z.literal('cancel'), original: minuteInstant }),
    z.strictObject({ action: z.literal('cancel-rest'), original: minuteInstant }),
    z.strictObject({
      action: z.literal('move'),
      original: minuteInstant,
      start: minuteInstant,
      end: minuteInstant,
    }),
  ],
  { error: 'action must be "cancel", "cancel-rest" or "move"' },
);
const pollBody = z.object({
  title: z.string().trim().min(1).max(200),
  linkType: z.enum(LINK_TYPES).default('none'),
  options: z.array(slotBody).min(2).max(20),
  participants: z
    .array(
      z.object({
        email: z.email().transform((e) => e.toLowerCase()),
        name: z.string().max(120).optional(),
        required: z.boolean().default(true),
      }),
    )
    .min(1)
    .max(100),
  /** false: the organizer gives out the links (Outlook writes them into their own email). */
  email: z.boolean().default(true),
});
/** Settings as the core accepts them (core/identity/user-settings.ts checks the hours). */
const settingsBody = userSettingsInput;
/**
 * What a person types to schedule ("30m with ana@… next week afternoons"). Bounded well above
 * that: the date parser took 130 ms of the event loop on 10,000 characters, 2 ms on 1,000.
 */
const parseBody = z.object({ text: z.string().max(1_000) });
/** The times that work, or `noneWork: true` with none ticked (the poll page's own choice). */
const voteBody = z.object({
  yes: z.array(z.number().int().min(0)).max(20),
  noneWork: z.boolean().default(false),
});
/** A guest's signed link to a poll. */
const guestQuery = z.object({ t: z.string().min(20).max(2000) });

export const schedulingRouteSchemas: RouteSchema[] = [
  { method: 'PUT', path: '/api/me/settings', schema: settingsBody, auth: 'session' },
  { method: 'POST', path: '/api/scheduling/parse', schema: parseBody, auth: 'session' },
  { method: 'POST', path: '/api/scheduling/find', schema: findBody, auth: 'session' },
  { method: 'POST', path: '/api/bookings', schema: bookBody, auth: 'session' },
  { method: 'POST', path: '/api/bookings/:id/reschedule', schema: slotBody, auth: 'session' },
  {
    method: 'POST',
    path: '/api/bookings/:id/occurrences',
    schema: occurrenceBody,
    auth: 'session',
  },
  { method: 'POST', path: '/api/polls', schema: pollBody, auth: 'session' },
  { method: 'GET', path: '/api/public/polls/:id', in: 'query', schema: guestQuery, auth: 'public' },
  { method: 'POST', path: '/api/public/polls/:id/votes', schema: voteBody, auth: 'public' },
];

/** Slots as the API shows them: ISO 8601 instants. */
function isoSlots<T extends { start: number; end: number }>(slots: T[]) {
  return slots.map((s) => ({
    ...s,
    start: new Date(s.start).toISOString(),
    end: new Date(s.end).toISOString(),
  }));
}

function personOf(req: Request, res: Parameters<typeof requireUser>[1]) {
  return requireUser(req, res);
}

function visibleTo(booking: BookingDoc, auth: Auth): boolean {
  if (auth.kind === 'api-key') return true;
  return (
    booking.organizerId === auth.user._id ||
    booking.attendees.some((a) => a.email === auth.user.email)
  );
}

function bookingError(error: unknown): never {
  if (error instanceof BookingError) {
    const status = {
      'not-found': 404,
      'not-organizer': 403,
      cancelled: 409,
      'link-unavailable': 400,
      'not-a-colleague': 400,
      'invalid-series': 400,
      'not-a-series': 400,
    }[error.code];
    throw new HttpError(status, error.code, error.message);
  }
  throw error;
}

export type SchedulingRouteDeps = SchedulingDeps & {
  bookings: BookingService;
  polls: PollService;
  assistant: Assistant;
};

/** Guests reach their poll through the signed link alone: no account needed. */
function pollError(error: unknown): never {
  if (error instanceof PollError) {
    const status = { 'invalid-link': 403, 'not-found': 404, closed: 409, 'bad-vote': 400 }[
      error.code
    ];
    throw new HttpError(status, error.code, error.message);
  }
  throw error;
}

function token(req: Request) {
  return parseInput(guestQuery, req.query).t;
}

async function readSettings(deps: SchedulingRouteDeps, req: Req, res: Response) {
  const { ctx, user } = personOf(req, res);
  res.json(await getUserSettings(deps.store, ctx, user._id));
}

async function saveSettings(deps: SchedulingRouteDeps, req: Req, res: Response) {
  const { ctx, user } = personOf(req, res);
  const settings = parseInput(settingsBody, req.body);
  await saveUserSettings(deps.store, ctx, user._id, settings);
  res.json(settings);
}

async function parseText(deps: SchedulingRouteDeps, req: Req, res: Response) {
  const { ctx, user } = personOf(req, res);
  const { text } = parseInput(parseBody, req.body);
  const settings = await getUserSettings(deps.store, ctx, user._id);
  const parsed = parseCommandText(text, { now: new Date(), timeZone: settings.timeZone });
  res.status(parsed.ok ? 200 : 422).json(parsed);
}

async function findSlots(deps: SchedulingRouteDeps, req: Req, res: Response) {
  const { ctx, user } = personOf(req, res);
  const body = parseInput(findBody, req.body);
  const result = await findTimes(deps, ctx, {
    organizerEmail: user.email,
    attendees: body.attendees,
    durationMinutes: body.durationMinutes,
    window: remainingWindow(body.window, Date.now()),
    // A series keeps only the first times whose every occurrence works: look at more of them.
    limit: body.recurrence ? SERIES_CANDIDATES : body.limit,
    leastBurden: body.leastBurden,
    ...(body.preferences ? { preferences: body.preferences } : {}),
  });
  const note =
    result.leastBurden && result.slots.length > 0 ? { leastBurdenNote: LEAST_BURDEN_INTRO } : {};
  if (!body.recurrence) {
    res.json({ ...result, slots: isoSlots(result.slots), ...note });
    return;
  }
  const series = await seriesSlots(
    deps,
    ctx,
    {
      organizerEmail: user.email,
      attendees: body.attendees,
      durationMinutes: body.durationMinutes,
      rule: body.recurrence,
      timeZone: result.timeZone,
      ...(body.allowConflicts ? { allowConflicts: true } : {}),
    },
    result.slots,
  ).catch(seriesError);
  res.json({
    ...result,
    slots: isoSlots(series.slice(0, body.limit)).map((slot) => ({
      ...slot,
      occurrences: isoSlots(slot.occurrences),
    })),
    ...note,
  });
}

/** First times looked at for a series before its occurrences are checked. */
const SERIES_CANDIDATES = 200;

/** A rule that breaks a bound once expanded (past the horizon): a 400 naming the field. */
function seriesError(error: unknown): never {
  if (error instanceof RecurrenceError) throw new HttpError(400, 'invalid_input', error.message);
  throw error;
}

async function book(deps: SchedulingRouteDeps, req: Req, res: Response) {
  const { ctx, user } = personOf(req, res);
  const body = parseInput(bookBody, req.body);
  if (body.followUpOf) {
    const earlier = await deps.bookings.get(ctx, body.followUpOf);
    if (!earlier || !visibleTo(earlier, { kind: 'session', ctx, user, sessionId: '' }))
      throw notFound('The booking to follow up');
  }
  const settings = await getUserSettings(deps.store, ctx, user._id);
  const result = await deps.assistant.book
    .direct(
      { ctx, user, settings },
      {
        title: body.title,
        start: body.start,
        end: body.end,
        attendees: body.attendees,
        linkType: body.linkType ?? settings.defaultLinkType,
        ...(body.description ? { description: body.description } : {}),
        // Without a key from the client, the request's content is the key: a double click books
        // once. The key is stored, so it holds the title's fingerprint, never the title.
        idempotencyKey:
          body.idempotencyKey ??
          (await deps.bookings.contentKey(ctx, {
            organizerId: user._id,
            start: body.start,
            title: body.title,
          })),
        origin: { platform: 'web', reference: '' },
        ...(body.followUpOf ? { followUpOf: body.followUpOf } : {}),
        ...(body.recurrence ? { recurrence: body.recurrence } : {}),
        ...(body.allowConflicts ? { allowConflicts: true } : {}),
      },
    )
    .catch(bookingError);
  if (result.kind === 'unavailable') {
    res.status(409).json({
      error: result.reason,
      message: result.message,
      alternatives: result.alternatives.map((s) => ({
        start: new Date(s.start).toISOString(),
        end: new Date(s.end).toISOString(),
        score: s.score,
      })),
    });
    return;
  }
  res.status(result.alreadyBooked ? 200 : 201).json({
    booking: result.booking,
    alreadyBooked: result.alreadyBooked,
    ...(result.conflicts ? { conflicts: result.conflicts } : {}),
  });
}

/** Cancels or moves one meeting of a series, or cancels it from that meeting on. */
async function changeOccurrence(deps: SchedulingRouteDeps, req: Req, res: Response) {
  const { ctx, user } = personOf(req, res);
  const body = parseInput(occurrenceBody, req.body);
  const existing = await deps.bookings.get(ctx, req.params.id!);
  if (!existing || !visibleTo(existing, { kind: 'session', ctx, user, sessionId: '' }))
    throw notFound('That booking');
  const change =
    body.action === 'move'
      ? {
          kind: 'move-occurrence' as const,
          original: body.original,
          start: body.start,
          end: body.end,
        }
      : {
          kind: body.action === 'cancel' ? ('cancel-occurrence' as const) : ('end-series' as const),
          original: body.original,
        };
  const result = await deps.bookings
    .changeOccurrence(ctx, req.params.id!, user._id, change)
    .catch(bookingError);
  if (!result.ok) {
    res.status(409).json({ error: result.reason, message: result.message });
    return;
  }
  res.json({ booking: result.booking });
}

// The person's next meeting with its join link (`meeting: null` when none is booked).
async function nextMeeting(deps: SchedulingRouteDeps, req: Req, res: Response) {
  const { ctx, user } = personOf(req, res);
  const settings = await getUserSettings(deps.store, ctx, user._id);
  const { meeting } = await deps.assistant.next.meeting({ ctx, user, settings });
  res.json({
    meeting: meeting && {
      ...meeting,
      start: new Date(meeting.start).toISOString(),
      end: new Date(meeting.end).toISOString(),
    },
  });
}

async function listBookings(deps: SchedulingRouteDeps, req: Req, res: Response) {
  const { ctx, user } = personOf(req, res);
  res.json({ bookings: await deps.bookings.listFor(ctx, user._id, { from: new Date() }) });
}

async function getBooking(deps: SchedulingRouteDeps, req: Req, res: Response) {
  const auth = requireAccess(req, res, 'bookings:read');
  const booking = await deps.bookings.get(auth.ctx, req.params.id!);
  if (!booking || !visibleTo(booking, auth)) throw notFound('That booking');
  // A series lists its meetings, so its page can move or cancel one (named by `original`).
  const meetings = meetingsOfSeries(booking);
  res.json({ booking, ...(meetings.length > 0 ? { occurrences: meetings } : {}) });
}

async function reschedule(deps: SchedulingRouteDeps, req: Req, res: Response) {
  const { ctx, user } = personOf(req, res);
  const slot = parseInput(slotBody, req.body);
  const existing = await deps.bookings.get(ctx, req.params.id!);
  if (!existing || !visibleTo(existing, { kind: 'session', ctx, user, sessionId: '' }))
    throw notFound('That booking');
  const result = await deps.bookings
    .reschedule(ctx, req.params.id!, user._id, slot)
    .catch(bookingError);
  if (!result.ok) {
    res.status(409).json({ error: result.reason, message: result.message });
    return;
  }
  res.json({ booking: result.booking });
}

async function cancel(deps: SchedulingRouteDeps, req: Req, res: Response) {
  const { ctx, user } = personOf(req, res);
  const existing = await deps.bookings.get(ctx, req.params.id!);
  if (!existing || !visibleTo(existing, { kind: 'session', ctx, user, sessionId: '' }))
    throw notFound('That booking');
  res.json({
    booking: await deps.bookings.cancel(ctx, req.params.id!, user._id).catch(bookingError),
  });
}

async function followUpTimes(deps: SchedulingRouteDeps, req: Req, res: Response) {
  const { ctx, user } = personOf(req, res);
  const existing = await deps.bookings.get(ctx, req.params.id!);
  if (!existing || !visibleTo(existing, { kind: 'session', ctx, user, sessionId: '' }))
    throw notFound('That booking');
  const { result } = await deps.bookings.followUpTimes(ctx, req.params.id!).catch(bookingError);
  res.json({
    ...result,
    slots: isoSlots(result.slots),
    ...(result.leastBurden && result.slots.length > 0
      ? { leastBurdenNote: LEAST_BURDEN_INTRO }
      : {}),
  });
}

async function createPoll(deps: SchedulingRouteDeps, req: Req, res: Response) {
  const { ctx, user } = personOf(req, res);
  const body = parseInput(pollBody, req.body);
  const settings = await getUserSettings(deps.store, ctx, user._id);
  // Through the assistant, as every surface: with email on, each person is emailed their link.
  const { poll, links, sent } = await deps.assistant.poll.withTimes({ ctx, user, settings }, body);
  res.status(201).json({ poll, links, sent });
}

async function getPoll(deps: SchedulingRouteDeps, req: Req, res: Response) {
  const { ctx, user } = personOf(req, res);
  const found = await deps.polls.get(ctx, req.params.id!);
  if (!found || found.poll.organizerId !== user._id) throw notFound('That poll');
  res.json({
    poll: found.poll,
    counts: found.counts,
    votes: found.cast.map((v) => ({ email: v.email, yes: v.yes })),
  });
}

async function viewPollAsGuest(deps: SchedulingRouteDeps, req: Req, res: Response) {
  const view = await deps.polls.view(req.params.id!, token(req)).catch(pollError);
  res.json({
    title: view.poll.title,
    status: view.poll.status,
    options: view.poll.options,
    email: view.email,
    yes: view.yes,
  });
}

async function voteAsGuest(deps: SchedulingRouteDeps, req: Req, res: Response) {
  const { yes, noneWork } = parseInput(voteBody, req.body);
  const result = await deps.polls
    .vote(req.params.id!, token(req), yes, 'link', { noneWork })
    .catch(pollError);
  res.json({ status: result.poll.status, bookingId: result.poll.bookingId });
}

export function schedulingRoutes(deps: SchedulingRouteDeps): Router {
  const router = Router();
  const on = withDeps(deps);
  router.get('/api/me/settings', on(readSettings));
  router.put('/api/me/settings', on(saveSettings));
  router.post('/api/scheduling/parse', on(parseText));
  router.post('/api/scheduling/find', on(findSlots));
  router.post('/api/bookings', on(book));
  router.get('/api/assistant/next', on(nextMeeting));
  router.get('/api/bookings', on(listBookings));
  router.get('/api/bookings/:id', on(getBooking));
  router.post('/api/bookings/:id/reschedule', on(reschedule));
  router.post('/api/bookings/:id/occurrences', on(changeOccurrence));
  router.delete('/api/bookings/:id', on(cancel));
  router.get('/api/bookings/:id/followup', on(followUpTimes));
  router.post('/api/polls', on(createPoll));
  router.get('/api/polls/:id', on(getPoll));
  router.get('/api/public/polls/:id', on(viewPollAsGuest));
  router.post('/api/public/polls/:id/votes', on(voteAsGuest));
  return router;
}
