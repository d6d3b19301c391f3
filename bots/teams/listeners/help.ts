// "help" (also "hi", "hello" and an empty message): what Quorum does, with examples; and the
// greeting when Quorum is installed in a chat or team.
import { plainCard, type AdaptiveCard } from '../render/card.ts';
import { helpCard } from '../render/help.ts';
import { cardActivity } from '../summaries.ts';
import type { TurnContext } from './shared.ts';

export function helpCommand(): AdaptiveCard {
  return helpCard();
}

/** Words that ask for help before any command is read. */
export function asksForHelp(first: string): boolean {
  return first === '' || first === 'help' || first === 'hi' || first === 'hello';
}

/** install.add: Quorum says who it is. */
export async function onInstalled(turn: TurnContext): Promise<void> {
  await turn.send(
    cardActivity(
      plainCard(
        'Hi, I am Quorum. I find times that work for everyone, book them, and post agendas and summaries in meetings. Send "help" to see how.',
      ),
    ),
  );
}
