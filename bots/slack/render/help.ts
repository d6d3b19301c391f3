// `/meet help`: every subcommand with an example.
import { EXAMPLES } from '../../../core/scheduling/command-text/index.ts';
import { context, header, section, type Block } from './limits.ts';

export interface SlackMessage {
  text: string;
  blocks: Block[];
}

export const COMMAND = '/meet';

const ENTRIES: Array<[string, string]> = [
  [EXAMPLES.find, 'the best times for everyone, as buttons; click one to book it'],
  [EXAMPLES.book, 'check one specific time and book it'],
  [`${EXAMPLES.poll} "Offsite"`, 'a poll people vote on; it books itself once everyone voted'],
  ['followup', 'a follow-up with the same people at the next good time'],
  ['reschedule', 'your upcoming meetings, to move one'],
  ['cancel', 'your upcoming meetings, to cancel one'],
  ['agenda', 'the agenda of your next meeting'],
  ['summary', 'the summary, decisions and action items of your last meeting'],
  ['next', 'your next meeting, with its join link'],
  ['connect', 'link Slack to your Quorum account and calendar'],
  ['help', 'this list'],
];

export function helpMessage(): SlackMessage {
  const lines = ENTRIES.map(([example, what]) => `\`${COMMAND} ${example}\`\n${what}`);
  return {
    text: `Quorum: ${ENTRIES.map(([example]) => `${COMMAND} ${example.split(' ')[0]}`).join(', ')}`,
    blocks: [
      header('Quorum schedules meetings from Slack'),
      section(lines.slice(0, 5).join('\n\n')),
      section(lines.slice(5).join('\n\n')),
      section(
        'On any message, the *Schedule with Quorum* shortcut (⋮ → Schedule with Quorum) proposes times for the people in that thread.',
      ),
      context(
        'Say who with @mentions or emails, how long ("30m", "1 hour") and when ("tomorrow", "next week afternoons"). Times are shown in your own time zone.',
      ),
    ],
  };
}
