// Follow-ups: "followup" (the latest meeting of this chat the person took part in, else their
// latest), the summary card's button, and the meeting panel's request all offer times with the
// same people, through the assistant's follow-up (core/assistant/follow-up.ts).
import type { BookingDoc } from '../../../core/scheduling/booking/booking-model.ts';
import type { ParsedCommand } from '../../../core/scheduling/command-text/index.ts';
import { userActor, type Asker, type TeamsDeps } from '../middleware/context.ts';
import type { AdaptiveCard } from '../render/card.ts';
import { problemCard } from '../render/problem.ts';
import { MAX_SLOTS_SHOWN, renderSlots, teamsConversation } from './find.ts';
import { message, type ActionResult } from './shared.ts';

/** Times for a follow-up of `booking`, offered in the asker's conversation. */
export async function followUpOf(
  deps: TeamsDeps,
  asker: Asker,
  booking: BookingDoc,
): Promise<AdaptiveCard> {
  const reply = await deps.assistant.followUp.of(
    asker,
    booking,
    { origin: teamsConversation(asker.conversationId) },
    { limit: MAX_SLOTS_SHOWN },
  );
  return renderSlots(asker, reply);
}

export async function followUpCommand(
  deps: TeamsDeps,
  asker: Asker,
  parsed: ParsedCommand,
): Promise<AdaptiveCard> {
  const durationGiven = parsed.understood.some(
    (line) => line.startsWith('duration:') && !line.endsWith('(default)'),
  );
  const reply = await deps.assistant.followUp.offer(
    asker,
    {
      origin: teamsConversation(asker.conversationId),
      ...(durationGiven ? { durationMinutes: parsed.durationMinutes } : {}),
    },
    { limit: MAX_SLOTS_SHOWN },
  );
  return reply.kind === 'problem' ? problemCard(reply) : renderSlots(asker, reply);
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
