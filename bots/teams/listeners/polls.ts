// Polls from Teams: "poll …" finds the times to vote on and posts the poll's card (the guests'
// voting links go to the organizer in private), and the card's buttons cast votes. Votes cast
// elsewhere keep the card current through poll-updates.ts.
import { z } from 'zod';
import type { ParsedCommand } from '../../../core/scheduling/command-text/index.ts';
import {
  whoIsAsking,
  type Asker,
  type TeamsActivity as Activity,
  type TeamsDeps,
} from '../middleware/context.ts';
import { peopleOf } from '../middleware/people.ts';
import { plainCard, type AdaptiveCard } from '../render/card.ts';
import { newPollCard, pollLinksCard, pollStateCard } from '../render/poll.ts';
import { TeamsPoll } from '../store/polls.ts';
import { POLL_BOOKED, TEAMS_VIA, announceBooking } from './poll-updates.ts';
import { MAX_SLOTS_SHOWN } from './find.ts';
import { message, sendPrivately, type ActionResult, type TurnContext } from './shared.ts';
import { cardActivity } from '../summaries.ts';

/** A new poll's answer: its card for the chat, and the guests' links for the organizer alone. */
export interface PollAnswer {
  kind: 'poll';
  card: AdaptiveCard;
  pollId: string;
  /** Who was emailed their link, and the links to share, for the organizer alone (in private). */
  links?: AdaptiveCard;
}

export const voteData = z.object({
  poll: z.string().min(1).max(64),
  i: z.number().int().min(0).max(50),
});

export async function pollCommand(
  deps: TeamsDeps,
  asker: Asker,
  activity: Activity,
  parsed: ParsedCommand,
  typed: string,
): Promise<PollAnswer | { kind: 'card'; card: AdaptiveCard }> {
  const people = await peopleOf(deps, asker, activity, parsed, typed);
  const names = people.attendees.map((a) => a.name ?? a.email);
  const reply = await deps.assistant.poll.create(asker, {
    attendees: people.attendees,
    durationMinutes: parsed.durationMinutes,
    window: parsed.window,
    preferences: parsed.preferences,
    title: parsed.title ?? `Meeting with ${names.join(', ')}`.slice(0, 200),
    maxOptions: MAX_SLOTS_SHOWN,
  });
  if (reply.kind === 'problem') {
    return {
      kind: 'card',
      card:
        reply.code === 'no-people'
          ? plainCard(
              'Say who should vote, with @mentions or emails: "poll 45 min with @Ana bob@guest.example next week \\"Offsite\\"".',
            )
          : plainCard(`${reply.message} ${reply.whatToDo ?? ''}`.trim()),
    };
  }
  const { poll, sent } = reply;
  await (
    await deps.scheduling.store.tenantModel(asker.ctx, TeamsPoll)
  ).create({
    _id: poll._id,
    conversationId: asker.conversationId,
    activityId: null,
    createdAt: new Date(),
  });
  // Guests vote through their own signed links: emailed to them when email is on, else to the
  // organizer in private to pass on; either way the organizer is told which.
  const guestLinks = pollLinksCard(poll.title, sent);
  return {
    kind: 'poll',
    card: newPollCard(poll, people.unresolved),
    pollId: poll._id,
    ...(guestLinks ? { links: guestLinks } : {}),
  };
}

/** A vote button: the person's yes to that time is given, or taken back. */
export async function voteAction(
  deps: TeamsDeps,
  asker: Asker,
  data: z.infer<typeof voteData>,
): Promise<ActionResult> {
  const voter = { ctx: asker.ctx, email: asker.user.email };
  const ballot = await deps.assistant.poll.ballot(voter, data.poll);
  if (ballot.kind === 'problem') return message(ballot.message);
  const yes = ballot.mine.includes(data.i)
    ? ballot.mine.filter((i) => i !== data.i)
    : [...ballot.mine, data.i];
  // Marked as a Teams vote: this card is replaced by the invoke's answer, not by the poll listener.
  const after = await deps.assistant.poll.vote(voter, data.poll, yes, {
    via: TEAMS_VIA,
    once: (pollId) => deps.once(POLL_BOOKED, pollId),
  });
  if (after.kind === 'problem') return message(`⚠️ ${after.message}`);
  const shown = pollStateCard(after);
  if (after.booked) await announceBooking(deps, asker.ctx, asker.api, after.poll._id, after.booked);
  return { kind: 'card', card: shown, everyone: true };
}

/** After the poll's card was posted: its message is remembered, the guests' links sent. */
export async function postPoll(
  deps: TeamsDeps,
  turn: TurnContext,
  answer: PollAnswer,
  activityId: string,
): Promise<void> {
  const activity = turn.activity as Activity;
  const who = await whoIsAsking(deps, activity, turn.api);
  if (who.ok) {
    const Polls = await deps.scheduling.store.tenantModel(who.asker.ctx, TeamsPoll);
    await Polls.updateOne({ _id: answer.pollId }, { $set: { activityId } });
  }
  if (!answer.links) return;
  if (activity.conversation.conversationType === 'personal') {
    await turn.send(cardActivity(answer.links));
  } else if (!(await sendPrivately(turn.api, activity, answer.links))) {
    await turn.send(
      cardActivity(
        plainCard(
          'I could not send you the guest voting links in private: Teams did not let me start a chat with you. Add Quorum as a personal app (Apps → Quorum → Add) and make the poll in your chat with me.',
        ),
      ),
    );
  }
}
