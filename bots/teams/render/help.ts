// What the bot says when asked for help, and when it did not understand a command.
import { EXAMPLES, verbWord, type Verb } from '../../../core/scheduling/command-text/index.ts';
import { card, heading, md, note, text, type AdaptiveCard } from './card.ts';

const HELP: Array<[Verb | 'next', string]> = [
  ['find', 'the best times for everyone; choose one to book it'],
  ['book', 'check one specific time and book it'],
  ['poll', 'a poll people vote on; it books itself once everyone voted'],
  ['followup', 'a follow-up with the same people at the next good time'],
  ['agenda', 'the agenda of your next meeting'],
  ['summary', 'the summary, decisions and action items of your last meeting'],
  ['next', 'your next meeting, with its join link'],
  ['connect', 'link Teams to your Quorum account and calendar'],
  ['help', 'this list'],
];

export function helpCard(): AdaptiveCard {
  return card([
    heading('Quorum schedules meetings from Teams'),
    {
      type: 'FactSet',
      facts: HELP.map(([verb, what]) => ({
        title: verb === 'next' ? 'next' : verbWord(verb),
        value: md(what),
      })),
    },
    text('**Examples**'),
    ...HELP.flatMap(([verb]) =>
      verb === 'help' || verb === 'connect' || verb === 'next' ? [] : [EXAMPLES[verb]],
    ).map((example) => text(`\`${md(example)}\``, { spacing: 'Small' })),
    note(
      'Mention Quorum in a chat or channel, or write to it directly. Say who with @mentions or emails, how long ("30m", "1 hour") and when ("tomorrow", "next week afternoons"). Times are shown in your own time zone.',
    ),
  ]);
}

export function notUnderstoodCard(failure: {
  error: string;
  understood: string[];
  example: string;
}): AdaptiveCard {
  return card([
    text(`⚠️ ${md(failure.error)}`),
    ...(failure.understood.length > 0
      ? [text(`I understood: ${md(failure.understood.join('; '))}`, { isSubtle: true })]
      : []),
    text(`For example: \`${md(failure.example)}\``),
  ]);
}
