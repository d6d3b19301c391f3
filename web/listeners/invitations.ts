// Answers to emailed invitations (core/email/invitations.ts), by the attendee's signed link.
// Opening the link only shows a button: mail scanners open links in messages, and an answer must
// be the person's own click. The button posts the answer, which is recorded on the booking.
import express, { Router, type Response } from 'express';
import { z } from 'zod';
import { InvitationError, type Invitations } from '../../core/email/index.ts';
import { escapeHtml, sendPage } from '../../infra/http/plain-page.ts';
import type { Assistant } from '../../core/assistant/index.ts';
import {
  emailPreferencesInput,
  emailPreferencesOf,
  saveEmailPreferences,
  type EmailOutbox,
  type PollMail,
} from '../../core/email/index.ts';
import type { Store } from '../../core/store/store.ts';
import type { RouteSchema } from '../../infra/http/route-schema.ts';
import { parseInput } from '../../infra/http/validate.ts';
import type { PollService } from '../../core/scheduling/polls/poll-service.ts';
import { BookingPageError } from '../../core/scheduling/booking-pages/index.ts';
import type { BookingService } from '../../core/scheduling/booking/booking-service.ts';
import { requireUser } from '../../infra/http/authenticate.ts';
import { notFound } from '../../infra/http/http-error.ts';
import { withDeps, type Req } from './handlers.ts';

export interface InvitationRouteDeps {
  invitations: Invitations;
  /** A booking page's guest cancels through the assistant's book use case. */
  assistant: Pick<Assistant, 'book'>;
  outbox: EmailOutbox;
  bookings: BookingService;
  polls: PollService;
  pollMail: PollMail;
  store: Store;
}

export const emailRouteSchemas: RouteSchema[] = [
  { method: 'PUT', path: '/api/me/email-settings', schema: emailPreferencesInput, auth: 'session' },
];

/** The person's email settings: reminders, summaries, summaries to guests of their meetings. */
async function readEmailSettings(deps: InvitationRouteDeps, req: Req, res: Response) {
  const { ctx, user } = requireUser(req, res);
  res.json({
    emailOn: deps.outbox.enabled,
    ...(await emailPreferencesOf(deps.store, ctx, user._id)),
  });
}

async function saveEmailSettings(deps: InvitationRouteDeps, req: Req, res: Response) {
  const { ctx, user } = requireUser(req, res);
  const body = parseInput(emailPreferencesInput, req.body);
  await saveEmailPreferences(deps.store, ctx, user._id, body);
  res.json({ emailOn: deps.outbox.enabled, ...body });
}

const answerInput = z.object({
  answer: z.enum(['accepted', 'declined']),
  t: z.string().min(20).max(2000),
});
const bookingParam = z.string().min(1).max(200);

const WORDS = { accepted: 'Accept', declined: 'Decline' } as const;

function badLink(res: Response, message: string) {
  sendPage(res, 400, 'This link does not work', `<p>${escapeHtml(message)}</p>`);
}

function confirmPage(_deps: InvitationRouteDeps, req: Req, res: Response) {
  const input = answerInput.safeParse(req.query);
  const bookingId = bookingParam.safeParse(req.params.bookingId);
  if (!input.success || !bookingId.success) {
    return badLink(res, 'The link is incomplete. Open it again from the invitation email.');
  }
  const { answer, t } = input.data;
  res.setHeader('Cache-Control', 'no-store');
  sendPage(
    res,
    200,
    `${WORDS[answer]} the invitation`,
    `<form method="post"><input type="hidden" name="answer" value="${answer}"><input type="hidden" name="t" value="${escapeHtml(t)}"><button type="submit">${WORDS[answer]} the invitation</button></form>`,
  );
}

async function record(deps: InvitationRouteDeps, req: Req, res: Response) {
  const input = answerInput.safeParse(req.body);
  const bookingId = bookingParam.safeParse(req.params.bookingId);
  if (!input.success || !bookingId.success) {
    return badLink(res, 'The answer is incomplete. Open the link again from the invitation email.');
  }
  try {
    const { answer } = await deps.invitations.answer(
      bookingId.data,
      input.data.t,
      input.data.answer,
    );
    const text =
      answer === 'accepted' ? 'You accepted the invitation.' : 'You declined the invitation.';
    sendPage(res, 200, 'Thank you', `<p>${text} The organizer can see your answer.</p>`);
  } catch (error) {
    if (error instanceof InvitationError) return badLink(res, error.message);
    throw error;
  }
}

const manageInput = z.object({ t: z.string().min(20).max(2000) });
const manageAction = manageInput.extend({ action: z.enum(['cancel', 'rebook']) });
const slugParam = z.string().min(1).max(80);

/** The guest's link from their confirmation: two buttons, nothing changed by opening it. */
function managePage(_deps: InvitationRouteDeps, req: Req, res: Response) {
  const input = manageInput.safeParse(req.query);
  if (!input.success) return badLink(res, 'The link is incomplete. Open it again from the email.');
  const token = escapeHtml(input.data.t);
  const button = (action: string, label: string) =>
    `<form method="post"><input type="hidden" name="action" value="${action}"><input type="hidden" name="t" value="${token}"><button type="submit">${label}</button></form>`;
  res.setHeader('Cache-Control', 'no-store');
  sendPage(
    res,
    200,
    'Change your booking',
    `${button('rebook', 'Cancel and pick another time')}${button('cancel', 'Cancel this booking')}`,
  );
}

async function manage(deps: InvitationRouteDeps, req: Req, res: Response) {
  const input = manageAction.safeParse(req.body);
  const slug = slugParam.safeParse(req.params.slug);
  const bookingId = bookingParam.safeParse(req.params.bookingId);
  if (!input.success || !slug.success || !bookingId.success) {
    return badLink(res, 'The request is incomplete. Open the link again from the email.');
  }
  try {
    const { pageUrl } = await deps.assistant.book.cancelFromPage(
      slug.data,
      bookingId.data,
      input.data.t,
    );
    if (input.data.action === 'rebook') return res.redirect(303, pageUrl);
    sendPage(res, 200, 'Cancelled', '<p>Your booking is cancelled. The organizer was told.</p>');
  } catch (error) {
    if (error instanceof BookingPageError) return badLink(res, error.message);
    throw error;
  }
}

/** What was emailed about a booking (its organizer asks): "Invitation sent to gina@…". */
async function sentForBooking(deps: InvitationRouteDeps, req: Req, res: Response) {
  const { ctx, user } = requireUser(req, res);
  const id = bookingParam.safeParse(req.params.bookingId);
  const booking = id.success ? await deps.bookings.get(ctx, id.data) : undefined;
  if (!booking || booking.organizerId !== user._id) throw notFound('That booking');
  const [sent, answers] = await Promise.all([
    deps.outbox.sentFor(ctx, `booking:${booking._id}`),
    deps.invitations.answers(ctx, booking._id),
  ]);
  res.json({
    emailOn: deps.outbox.enabled,
    sendsInvitations: deps.invitations.sendsFor(booking),
    sent: sent.map((m) => ({ to: m.to, kind: m.kind, state: m.state, at: m.at.toISOString() })),
    answers: answers.map((a) => ({ email: a.email, answer: a.answer, at: a.at.toISOString() })),
  });
}

/**
 * "Send to guests": each participant gets their own voting link by email. With email off, the
 * answer lists the links to share by hand, and says so.
 */
async function sendPoll(deps: InvitationRouteDeps, req: Req, res: Response) {
  const { ctx, user } = requireUser(req, res);
  const id = bookingParam.safeParse(req.params.pollId);
  const found = id.success ? await deps.polls.get(ctx, id.data) : undefined;
  if (!found || found.poll.organizerId !== user._id) throw notFound('That poll');
  const { emailOn, links } = await deps.pollMail.sendToGuests(ctx, found.poll);
  res.json(
    emailOn
      ? { emailOn, sentTo: links.map((l) => l.email) }
      : {
          emailOn,
          message: 'Email is off (SMTP_URL is not set): share each link with its person by hand.',
          shareByHand: links,
        },
  );
}

/** What was emailed about a poll: "Poll sent to gina@…". */
async function sentForPoll(deps: InvitationRouteDeps, req: Req, res: Response) {
  const { ctx, user } = requireUser(req, res);
  const id = bookingParam.safeParse(req.params.pollId);
  const found = id.success ? await deps.polls.get(ctx, id.data) : undefined;
  if (!found || found.poll.organizerId !== user._id) throw notFound('That poll');
  const sent = await deps.outbox.sentFor(ctx, `poll:${found.poll._id}`);
  res.json({
    emailOn: deps.outbox.enabled,
    sent: sent.map((m) => ({ to: m.to, kind: m.kind, state: m.state, at: m.at.toISOString() })),
  });
}

export function invitationRoutes(deps: InvitationRouteDeps): Router {
  const router = Router();
  const on = withDeps(deps);
  const path = '/api/public/invitations/:bookingId/answer';
  router.get(path, on(confirmPage));
  router.post(path, express.urlencoded({ extended: false, limit: '8kb' }), on(record));
  router.get('/api/bookings/:bookingId/emails', on(sentForBooking));
  router.get('/api/me/email-settings', on(readEmailSettings));
  router.put('/api/me/email-settings', on(saveEmailSettings));
  router.post('/api/polls/:pollId/send', on(sendPoll));
  router.get('/api/polls/:pollId/emails', on(sentForPoll));
  const managePath = '/api/public/booking-pages/:slug/bookings/:bookingId/manage';
  router.get(managePath, on(managePage));
  router.post(managePath, express.urlencoded({ extended: false, limit: '8kb' }), on(manage));
  return router;
}
