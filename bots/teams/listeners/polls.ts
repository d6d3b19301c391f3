// Polls from Teams: "poll …" finds the times to vote on and posts the poll's card (the guests'
// voting links go to the organizer in private), and the card's buttons cast votes. Votes cast
// elsewhere keep the card current through poll-updates.ts.
import { z } from 'zod';
import { findTimes } from '../../../core/scheduling/find-times.ts';
import type { ParsedCommand } from '../../../core/scheduling/command-text/index.ts';
import {
  whoIsAsking,
  type Asker,
  type TeamsActivity as Activity,
  type TeamsDeps,
} from '../middleware/context.ts';
import { peopleOf } from '../middleware/people.ts';
import { plainCard, type AdaptiveCard } from '../render/card.ts';
import { guestLinksCard, newPollCard, pollStateCard } from '../render/poll.ts';
import { TeamsPoll } from '../store/polls.ts';
import { TEAMS_VIA, announcePollBooked } from './poll-updates.ts';
import { MAX_SLOTS_SHOWN } from './propose.ts';
import { message, sendPrivately, type ActionResult, type TurnContext } from './shared.ts';
import { cardActivity } from '../summaries.ts';

/** A new poll's answer: its card for the chat, and the guests' links for the organizer alone. */
export interface PollAnswer {
  kind: 'poll';
  card: AdaptiveCard;
  pollId: string;
  /** The guests' voting links, for the organizer alone (sent to them in private). */
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
  if (people.attendees.length === 0) {
    return {
      kind: 'card',
      card: plainCard(
        'Say who should vote, with @mentions or emails: "poll 45 min with @Ana bob@guest.example next week \\"Offsite\\"".',
      ),
    };
  }
  const found = await findTimes(deps.scheduling, asker.ctx, {
    organizerEmail: asker.user.email,
    attendees: people.attendees.map((a) => ({ email: a.email, optional: a.optional })),
    durationMinutes: parsed.durationMinutes,
    window: parsed.window,
    preferences: parsed.preferences,
    limit: MAX_SLOTS_SHOWN,
  });
  if (found.slots.length === 0) {
    return {
      kind: 'card',
      card: plainCard(
        'No time in that window works for the people whose calendars Quorum can see, so there is nothing to vote on. Try a longer window or a shorter meeting.',
      ),
    };
  }
  const options = [...found.slots]
    .sort((a, b) => a.start - b.start)
    .map((s) => ({ start: new Date(s.start), end: new Date(s.end) }));
  const names = people.attendees.map((a) => a.name ?? a.email);
  const { poll, links } = await deps.polls.create(asker.ctx, {
    organizerId: asker.user._id,
    organizerEmail: asker.user.email,
    title: parsed.title ?? `Meeting with ${names.join(', ')}`.slice(0, 200),
    linkType: asker.settings.defaultLinkType,
    options,
    participants: people.attendees.map((a) => ({
      email: a.email,
      ...(a.name ? { name: a.name } : {}),
      required: !a.optional,
    })),
  });
  await (
    await deps.scheduling.store.tenantModel(asker.ctx, TeamsPoll)
  ).create({
    _id: poll._id,
    conversationId: asker.conversationId,
    activityId: null,
    createdAt: new Date(),
  });
  // Guests vote through their own signed links; those go only to the organizer in private.
  const guestLinks = links.length > 0 ? guestLinksCard(poll.title, links) : undefined;
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
  const current = await deps.polls.get(asker.ctx, data.poll);
  if (!current) return message('This poll no longer exists.');
  const email = asker.user.email;
  if (!current.poll.participants.some((p) => p.email === email)) {
    return message('Only the people invited to this poll can vote in it.');
  }
  const before = current.cast.find((v) => v.email === email)?.yes ?? [];
  const yes = before.includes(data.i) ? before.filter((i) => i !== data.i) : [...before, data.i];
  // The poll service takes votes through a participant's signed link; the Bot Connector has
  // vouched for who this is, so Quorum signs that person's link itself.
  const link = await deps.polls.linkFor(asker.ctx, data.poll, email);
  // Marked as a Teams vote: this card is replaced by the invoke's answer, not by the poll listener.
  await deps.polls.vote(data.poll, new URL(link).searchParams.get('t') ?? '', yes, TEAMS_VIA);
  const after = await deps.polls.get(asker.ctx, data.poll);
  if (!after) return message('This poll no longer exists.');
  const shown = pollStateCard(after);
  await announcePollBooked(deps, asker.ctx, asker.api, after.poll);
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
