// Follow-ups: "followup" (the latest meeting of this chat the person took part in, else their
// latest), the summary card's button, and the meeting panel's request all offer times with the
// same people: the organizer's from the booking service, anyone else's from a new search.
import type { BookingDoc } from '../../../core/scheduling/booking/booking-model.ts';
import type { ParsedCommand } from '../../../core/scheduling/command-text/index.ts';
import { userActor, type Asker, type TeamsDeps } from '../middleware/context.ts';
import { attendeesWithout } from '../middleware/people.ts';
import { plainCard, type AdaptiveCard } from '../render/card.ts';
import { proposeTimes } from './propose.ts';
import { message, type ActionResult } from './shared.ts';

/** The latest booking of this conversation the person takes part in, else their latest one. */
function latestBooking(deps: TeamsDeps, asker: Asker): Promise<BookingDoc | undefined> {
  return deps.bookings.latestToFollowUp(
    asker.ctx,
    { userId: asker.user._id, email: asker.user.email },
    { platform: 'teams', conversationId: asker.conversationId },
  );
}

export async function followUpOf(
  deps: TeamsDeps,
  asker: Asker,
  booking: BookingDoc,
  durationMinutes?: number,
): Promise<AdaptiveCard> {
  const minutes =
    durationMinutes ?? Math.round((booking.end.getTime() - booking.start.getTime()) / 60_000);
  const people = attendeesWithout(asker.user.email, [
    { email: booking.organizerEmail, optional: false },
    ...booking.attendees.map((a) => ({
      email: a.email,
      ...(a.name ? { name: a.name } : {}),
      optional: a.optional,
    })),
  ]);
  const common = {
    attendees: people,
    unresolved: [],
    durationMinutes: minutes,
    title: `Follow-up: ${booking.title}`.slice(0, 200),
    followUpOf: booking._id,
    describe: `A follow-up of “${booking.title}”`,
  };
  if (booking.organizerId === asker.user._id) {
    const { result } = await deps.bookings.followUpTimes(asker.ctx, booking._id, {
      durationMinutes: minutes,
    });
    return proposeTimes(deps, asker, {
      ...common,
      window: { start: booking.end, end: new Date(booking.end.getTime() + 14 * 86_400_000) },
      found: result,
    });
  }
  const from = new Date(Math.max(Date.now(), booking.end.getTime()));
  return proposeTimes(deps, asker, {
    ...common,
    window: { start: from, end: new Date(from.getTime() + 14 * 86_400_000) },
  });
}

export async function followUpCommand(
  deps: TeamsDeps,
  asker: Asker,
  parsed: ParsedCommand,
): Promise<AdaptiveCard> {
  const booking = await latestBooking(deps, asker);
  if (!booking) {
    return plainCard(
      'There is no meeting to follow up on: none was booked from this chat or by you. Book one with "find …" first.',
    );
  }
  const durationGiven = parsed.understood.some(
    (line) => line.startsWith('duration:') && !line.endsWith('(default)'),
  );
  return followUpOf(deps, asker, booking, durationGiven ? parsed.durationMinutes : undefined);
}

/** The summary card's "Schedule a follow-up" button. */
export async function followUpAction(
  deps: TeamsDeps,
  asker: Asker,
  meetingId: string,
): Promise<ActionResult> {
  if (!deps.meetings) return message('This card is out of date.');
  const meeting = await deps.meetings.get(asker.ctx, userActor(asker.user), meetingId);
  const booking = meeting.bookingId
    ? await deps.bookings.get(asker.ctx, meeting.bookingId)
    : undefined;
  if (!booking)
    return message(
      'This meeting was not booked through Quorum, so there are no people to follow up with.',
    );
  return { kind: 'card', card: await followUpOf(deps, asker, booking) };
}
