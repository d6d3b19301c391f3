// A poll in a channel: the candidate times, who voted for each, a vote button per time (a
// second click takes the vote back), and who is still to answer.
import type { types } from '@slack/bolt';
import type { PollDoc } from '../../../core/scheduling/polls/poll-service.ts';
import type { SlackMessage } from './help.ts';
import {
  LIMITS,
  actions,
  button,
  capBlocks,
  context,
  escapeText,
  fit,
  fitList,
  section,
  type Block,
} from './limits.ts';
import { input } from './inputs.ts';
import { slotText, startText } from './time.ts';

export const VOTE_ACTION = 'quorum.poll.vote';
export const BALLOT_VIEW = 'quorum.poll.ballot';

export interface PollView {
  poll: PollDoc;
  votes: Array<{ email: string; yes: number[] }>;
  /** How to show a participant (a Slack mention for Slack users, else name or email). */
  label: (email: string) => string;
  organizerSlackId: string;
}

export function pollMessage(view: PollView): SlackMessage {
  const { poll } = view;
  const blocks: Block[] = [
    section(
      `:bar_chart: *${escapeText(poll.title)}* — a poll by <@${view.organizerSlackId}>. Vote for every time that works for you; it books itself once everyone has voted.`,
    ),
  ];
  if (poll.status !== 'open') {
    blocks.push(section(pollOutcome(poll)));
  }
  // Voters in the order they were invited, whatever order they voted in.
  const order = new Map(poll.participants.map((p, i) => [p.email, i]));
  poll.options.forEach((option, index) => {
    const voters = view.votes
      .filter((v) => v.yes.includes(index))
      .sort((a, b) => (order.get(a.email) ?? 0) - (order.get(b.email) ?? 0))
      .map((v) => view.label(v.email));
    const who =
      voters.length > 0 ? `\n${voters.length} · ${fitList(voters, 1500)}` : '\nno votes yet';
    blocks.push(section(`*${slotText(option.start, option.end)}*${who}`));
  });
  const answered = new Set(view.votes.map((v) => v.email));
  const waiting = poll.participants.filter((p) => p.required && !answered.has(p.email));
  if (poll.status === 'open' && waiting.length > 0) {
    blocks.push(
      context(
        `Waiting for: ${fitList(
          waiting.map((p) => view.label(p.email)),
          LIMITS.contextText - 200,
        )}. Guests vote through the link the organizer was sent.`,
      ),
    );
  }
  if (poll.status === 'open') {
    blocks.push(actions([button('Vote', VOTE_ACTION, { value: poll._id, style: 'primary' })]));
  }
  return { text: `Poll: ${poll.title}`, blocks: capBlocks(blocks) };
}

function pollOutcome(poll: PollDoc): string {
  if (poll.status === 'booked') {
    return ':white_check_mark: Everyone has voted; the meeting is booked at the time that works best.';
  }
  if (poll.status === 'no-common-time') {
    return ':x: Everyone has voted, but no time works for all required people. Start a new poll with other times.';
  }
  return 'This poll is closed.';
}

export function guestLinksMessage(links: Array<{ email: string; url: string }>): SlackMessage {
  const lines = links.map((l) => `• ${escapeText(l.email)}: <${l.url}|vote link>`);
  const blocks: Block[] = [
    section('Send each guest their own link; they vote without a Quorum account:'),
  ];
  // Each line holds a long signed URL, so a few per block.
  for (let i = 0; i < lines.length; i += 8) blocks.push(section(lines.slice(i, i + 8).join('\n')));
  return { text: 'Vote links for your guests', blocks: capBlocks(blocks) };
}

/** Who the poll's voting links were emailed to (each their own), so nobody forwards them. */
export function emailedLinksMessage(emailed: string[]): SlackMessage {
  const who = emailed.map((e) => escapeText(e)).join(', ');
  return {
    text: `Emailed each their own voting link: ${who}`,
    blocks: capBlocks([section(`:email: Emailed each their own voting link: ${who}`)]),
  };
}

/** One person's ballot: every time that works for them, ticked; sending it replaces their last. */
export function ballotModal(
  poll: PollDoc,
  mine: number[],
  privateMetadata: string,
): types.ModalView {
  const options = poll.options.map((option, index) => ({
    text: { type: 'mrkdwn' as const, text: startText(option.start) },
    description: {
      type: 'plain_text' as const,
      text: `${Math.round((option.end.getTime() - option.start.getTime()) / 60_000)} min`,
    },
    value: String(index),
  }));
  const ticked = options.filter((_, index) => mine.includes(index));
  const element: types.Checkboxes = { type: 'checkboxes', options };
  if (ticked.length > 0) element.initial_options = ticked;
  return {
    type: 'modal',
    callback_id: BALLOT_VIEW,
    private_metadata: privateMetadata,
    title: { type: 'plain_text', text: 'Vote' },
    submit: { type: 'plain_text', text: 'Send vote' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      section(
        fit(`*${escapeText(poll.title)}*: tick every time that works for you.`, LIMITS.sectionText),
      ),
      input('yes', 'Times that work for me', element, {
        optional: true,
        hint: 'Tick none if no time works; the organizer will see that.',
      }),
    ],
  };
}
