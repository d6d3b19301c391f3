// "agenda": the agenda of the person's next meeting booked through Quorum (in the time they
// named, else from now), from its meeting record.
import { MeetingError } from '../../../core/meetings/index.ts';
import type { ParsedCommand } from '../../../core/scheduling/command-text/index.ts';
import { userActor, type Asker, type TeamsDeps } from '../middleware/context.ts';
import { agendaCard } from '../render/agenda.ts';
import { plainCard, type AdaptiveCard } from '../render/card.ts';

export const NO_MEETINGS = 'No meetings are recorded yet.';

export async function agendaCommand(
  deps: TeamsDeps,
  asker: Asker,
  parsed: ParsedCommand,
): Promise<AdaptiveCard> {
  if (!deps.meetings) return plainCard(NO_MEETINGS);
  const dateGiven = parsed.understood.some(
    (line) => line.startsWith('when:') && !line.includes('(default)'),
  );
  const window = dateGiven ? parsed.window : { start: new Date(), end: undefined };
  const upcomingBookings = await deps.bookings.listFor(asker.ctx, asker.user._id, {
    from: window.start,
    limit: 10,
  });
  const next = upcomingBookings.find(
    (b) => b.start >= window.start && (!window.end || b.start < window.end),
  );
  if (!next) {
    return plainCard(
      'You have no upcoming meeting booked through Quorum in that time. Book one with "find …".',
    );
  }
  const actor = userActor(asker.user);
  try {
    const { meeting } = await deps.meetings.create(asker.ctx, actor, { bookingId: next._id });
    const { agenda: items } = await deps.meetings.agenda(asker.ctx, actor, meeting.id);
    return agendaCard(meeting, items);
  } catch (error) {
    if (error instanceof MeetingError) return plainCard(`⚠️ ${error.message}`);
    throw error;
  }
}
