// "agenda": the agenda of the person's next meeting booked through Quorum (in the time they
// named, else from now), from its meeting record (core/assistant/meetings.ts).
import type { ParsedCommand } from '../../../core/scheduling/command-text/index.ts';
import type { Asker, TeamsDeps } from '../middleware/context.ts';
import { agendaCard } from '../render/agenda.ts';
import type { AdaptiveCard } from '../render/card.ts';
import { problemCard } from '../render/problem.ts';

export async function agendaCommand(
  deps: TeamsDeps,
  asker: Asker,
  parsed: ParsedCommand,
): Promise<AdaptiveCard> {
  const dateGiven = parsed.understood.some(
    (line) => line.startsWith('when:') && !line.includes('(default)'),
  );
  const reply = await deps.assistant.meetings.agenda(
    asker,
    dateGiven ? { window: parsed.window } : {},
  );
  if (reply.kind === 'problem') return problemCard(reply);
  return agendaCard(reply.meeting, reply.items);
}
