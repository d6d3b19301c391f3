// A poll's card: its times, who said yes to each, and the vote buttons while it is open; and
// the organizer's own card of the guests' voting links.
import type { PollDoc } from '../../../core/scheduling/polls/poll-service.ts';
import { ACTIONS, buttonRow, card, execute, heading, md, note, text, when } from './card.ts';
import type { AdaptiveCard, CardElement } from './card.ts';

export function pollCard(input: {
  pollId: string;
  title: string;
  status: string;
  options: Array<{ start: Date; end: Date }>;
  participants: Array<{ email: string; name?: string; required: boolean }>;
  votes: Array<{ email: string; yes: number[] }>;
}): AdaptiveCard {
  const open = input.status === 'open';
  const voted = new Set(input.votes.map((v) => v.email));
  const body: CardElement[] = [
    heading(`Poll: ${input.title}`),
    note(
      open
        ? 'Choose every time that works for you; choosing again takes it back. It books itself once everyone required has voted.'
        : input.status === 'booked'
          ? 'Everyone voted: the meeting is booked.'
          : input.status === 'no-common-time'
            ? 'Everyone voted, and no time works for everyone required.'
            : 'This poll is closed.',
    ),
  ];
  input.options.forEach((option, index) => {
    const yes = input.votes.filter((v) => v.yes.includes(index));
    const names = yes.map((v) => {
      const p = input.participants.find((q) => q.email === v.email);
      return p?.name ?? v.email;
    });
    body.push(
      buttonRow(
        [
          text(when(option.start, option.end)),
          note(`${yes.length} yes${names.length > 0 ? `: ${md(names.join(', '))}` : ''}`),
        ],
        open ? execute('Works for me', ACTIONS.vote, { poll: input.pollId, i: index }) : undefined,
      ),
    );
  });
  const waiting = input.participants.filter((p) => p.required && !voted.has(p.email));
  if (open && waiting.length > 0) {
    body.push(note(`Waiting for ${md(waiting.map((p) => p.name ?? p.email).join(', '))}`));
  }
  return card(body);
}

/** A poll's card as it stands: its status and who said yes to which time. */
export function pollStateCard(state: {
  poll: PollDoc;
  cast: ReadonlyArray<{ email: string; yes: number[] }>;
}): AdaptiveCard {
  return pollCard({
    pollId: state.poll._id,
    title: state.poll.title,
    status: state.poll.status,
    options: state.poll.options,
    participants: state.poll.participants,
    votes: state.cast.map((v) => ({ email: v.email, yes: v.yes })),
  });
}

/** The guests' personal voting links, for the organizer alone. */
export function guestLinksCard(
  title: string,
  links: ReadonlyArray<{ email: string; url: string }>,
): AdaptiveCard {
  return card([
    text(
      `Links for people who vote outside Teams on **${md(title)}** (each link is personal; forward it only to that person):`,
    ),
    ...links.map((l) => text(`${md(l.email)}: [vote](${l.url})`, { spacing: 'Small' })),
  ]);
}

/**
 * A new poll's links, for the organizer alone: who was emailed theirs, and the links still to
 * share (email off). Undefined when there is nothing to say.
 */
export function pollLinksCard(
  title: string,
  sent: { emailed: string[]; shareByHand: ReadonlyArray<{ email: string; url: string }> },
): AdaptiveCard | undefined {
  const body = sent.shareByHand.length > 0 ? guestLinksCard(title, sent.shareByHand).body : [];
  if (sent.emailed.length > 0) {
    body.unshift(
      text(
        `Emailed each their own voting link for **${md(title)}**: ${sent.emailed.map(md).join(', ')}`,
      ),
    );
  }
  return body.length > 0 ? card(body) : undefined;
}

/** A poll just made, with who was left out of it (mentions Quorum could not resolve). */
export function newPollCard(poll: PollDoc, unresolved: string[]): AdaptiveCard {
  const shown = pollStateCard({ poll, cast: [] });
  const notes: string[] = [];
  if (unresolved.length > 0) {
    notes.push(`Not in the poll, as I could not tell who they are: ${unresolved.join(', ')}.`);
  }
  for (const line of notes) shown.body.push(text(md(line), { isSubtle: true, size: 'Small' }));
  return shown;
}
