// What Teams users are told when the assistant could not do what they asked (a Problem of
// core/assistant/replies.ts): what went wrong and what to do, in Teams' words.
import type { Problem } from '../../../core/assistant/index.ts';
import { plainCard, type AdaptiveCard } from './card.ts';

const ASK_AGAIN = 'Ask again with "find …".';

/** The short message a card button answers with. */
export function problemText(problem: Problem): string {
  switch (problem.code) {
    case 'expired':
      return `${problem.message} ${ASK_AGAIN}`;
    case 'not-yours':
      return 'Only the person who asked for these times can book one.';
    case 'in-progress':
      return `⏳ ${problem.message}`;
    case 'no-meeting':
      // Nothing wrong: nothing to act on yet; the way to get one in Teams is "find …".
      return problem.whatToDo ? `${problem.message} Book one with "find …".` : problem.message;
    default:
      return `⚠️ ${problem.message}${problem.whatToDo ? ` ${problem.whatToDo}` : ''}`;
  }
}

/** The same, as a card answering a command. */
export function problemCard(problem: Problem): AdaptiveCard {
  return plainCard(problemText(problem));
}
