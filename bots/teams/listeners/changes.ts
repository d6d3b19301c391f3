// Rescheduling and cancelling: the buttons under a booking confirmation, and "cancel" /
// "reschedule", which list the person's upcoming meetings with those buttons — through the
// assistant's changes (core/assistant/changes.ts). Only the organizer may change a meeting (the
// booking service checks it). New times are offered as a proposal that moves the booking.
import type { Asker, TeamsDeps } from '../middleware/context.ts';
import { cancelledCard, upcomingCard } from '../render/booking.ts';
import { plainCard, type AdaptiveCard } from '../render/card.ts';
import { problemText } from '../render/problem.ts';
import { proposeTimes } from './find.ts';
import { message, type ActionResult } from './shared.ts';

/** "cancel" and "reschedule": the person's upcoming meetings they organize, to choose one. */
export async function upcomingCommand(
  deps: TeamsDeps,
  asker: Asker,
  verb: 'cancel' | 'reschedule',
): Promise<AdaptiveCard> {
  const reply = await deps.assistant.changes.upcoming(asker);
  if (reply.kind === 'problem') return plainCard(reply.message);
  return upcomingCard(reply.bookings, verb);
}

/** The Cancel button: the booking is cancelled, and the card says so for everyone. */
export async function cancelAction(
  deps: TeamsDeps,
  asker: Asker,
  bookingId: string,
): Promise<ActionResult> {
  const reply = await deps.assistant.changes.cancel(asker, bookingId);
  if (reply.kind === 'problem') return message(problemText(reply));
  return { kind: 'card', card: cancelledCard(reply.booking), everyone: true };
}

/** The Reschedule button: new times with the same people, booked as a move of this booking. */
export async function rescheduleAction(
  deps: TeamsDeps,
  asker: Asker,
  bookingId: string,
): Promise<ActionResult> {
  const booking = await deps.bookings.get(asker.ctx, bookingId);
  if (!booking) return message('That booking was not found.');
  if (booking.organizerId !== asker.user._id)
    return message('Only the organizer can reschedule this meeting.');
  if (booking.status !== 'confirmed') return message('This meeting was cancelled.');
  const durationMinutes = Math.round((booking.end.getTime() - booking.start.getTime()) / 60_000);
  const from = new Date();
  return {
    kind: 'card',
    card: await proposeTimes(deps, asker, {
      attendees: booking.attendees.map((a) => ({
        email: a.email,
        optional: a.optional,
        ...(a.name ? { name: a.name } : {}),
      })),
      unresolved: [],
      durationMinutes,
      window: { start: from, end: new Date(from.getTime() + 14 * 86_400_000) },
      title: booking.title,
      rescheduleOf: booking._id,
      describe: `New times for “${booking.title}”`,
    }),
  };
}
