// "next": my next meeting with its join link (core/assistant/next.ts), as a card.
import type { Asker, TeamsDeps } from '../middleware/context.ts';
import type { AdaptiveCard } from '../render/card.ts';
import { nextCard } from '../render/next.ts';

export async function nextCommand(deps: TeamsDeps, asker: Asker): Promise<AdaptiveCard> {
  return nextCard(await deps.assistant.next.meeting(asker));
}
