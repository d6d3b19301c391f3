// Keeps a Teams poll card current for everyone when people vote outside Teams (guests through
// their signed links, the web app): the card Quorum posted is updated in place through the Bot
// Connector, and when the poll books itself the conversation gets the confirmation, once across
// nodes. Votes cast on the card itself replace it through their own invoke (polls.ts), so the
// listener skips them; both paths render the card (render/poll.ts) and announce the booking
// with the function below, so a poll looks the same whichever way the vote came in.
import type { Client as ApiClient } from '@microsoft/teams.api';
import type { BookingDoc } from '../../../core/scheduling/booking/booking-model.ts';
import type { PollListener } from '../../../core/scheduling/polls/poll-listeners.ts';
import type { PollDoc } from '../../../core/scheduling/polls/poll-service.ts';
import type { TenantContext } from '../../../core/store/tenant-context.ts';
import { botActor, type TeamsDeps } from '../middleware/context.ts';
import { confirmationCard } from '../render/booking.ts';
import { md, plainCard } from '../render/card.ts';
import { pollStateCard } from '../render/poll.ts';
import { TeamsPoll } from '../store/polls.ts';
import { cardActivity } from '../summaries.ts';

/** The `via` of votes cast on a Teams card. */
export const TEAMS_VIA = 'teams';

/** Where a poll's card was posted in Teams, when it was posted from Teams. */
async function teamsPollOf(deps: TeamsDeps, ctx: TenantContext, pollId: string) {
  return (await deps.scheduling.store.tenantModel(ctx, TeamsPoll)).findById(pollId).lean();
}

/** The key under which a poll's booking is announced once, across nodes and paths. */
export const POLL_BOOKED = 'teams-poll-booked';

/**
 * Posts the booking of a poll into the conversation the poll was started in and records the
 * meeting, once however many racing final votes (Teams or web, on any node) see it booked.
 */
export async function announcePollBooked(
  deps: TeamsDeps,
  ctx: TenantContext,
  api: ApiClient,
  poll: PollDoc,
): Promise<void> {
  if (poll.status !== 'booked' || !poll.bookingId) return;
  if (!(await deps.once(POLL_BOOKED, poll._id))) return;
  const booking = await deps.bookings.get(ctx, poll.bookingId);
  if (booking) await announceBooking(deps, ctx, api, poll._id, booking);
}

/** The announcement itself, once `once` has said this is the first sighting. */
export async function announceBooking(
  deps: TeamsDeps,
  ctx: TenantContext,
  api: ApiClient,
  pollId: string,
  booking: BookingDoc,
): Promise<void> {
  const where = await teamsPollOf(deps, ctx, pollId);
  if (where) {
    await api.conversations
      .createActivity(where.conversationId, cardActivity(confirmationCard(booking)))
      .catch((error: unknown) => deps.logger.warn({ err: error }, 'poll booking not announced'));
  }
  if (deps.meetings) {
    await deps.meetings
      .create(ctx, botActor(), { bookingId: booking._id, organizerEmail: booking.organizerEmail })
      .catch(() => undefined);
  }
}

export function teamsPollListener(
  deps: TeamsDeps,
  apiFor: (serviceUrl: string) => ApiClient,
): PollListener {
  /** The poll's Teams card and a client for its conversation's service URL, if it has one. */
  async function placeOf(ctx: TenantContext, pollId: string) {
    const where = await teamsPollOf(deps, ctx, pollId);
    if (!where) return undefined;
    const conversation = await deps.directory.conversation(where.conversationId);
    // Only a conversation of the poll's own organization is ever written to.
    if (!conversation || conversation.tenantId !== ctx.tenantId) return undefined;
    return { where, api: apiFor(conversation.serviceUrl) };
  }

  return {
    async changed(ctx, { poll, via }) {
      if (via === TEAMS_VIA) return;
      const place = await placeOf(ctx, poll._id);
      if (!place?.where.activityId) return;
      // Rendered from the stored state, not the change, so a late update shows every vote.
      const after = await deps.polls.get(ctx, poll._id);
      if (!after) return;
      await place.api.conversations.updateActivity(
        place.where.conversationId,
        place.where.activityId,
        cardActivity(pollStateCard(after)),
      );
    },

    async finished(ctx, notice) {
      if (notice.via === TEAMS_VIA) return;
      const place = await placeOf(ctx, notice.poll._id);
      if (!place) return;
      if (notice.outcome === 'no-common-time') {
        // Nobody in the chat acted, so the card's quiet change is not enough: say it once.
        if (!(await deps.once('teams-poll-no-common-time', notice.poll._id))) return;
        await place.api.conversations.createActivity(
          place.where.conversationId,
          cardActivity(
            plainCard(
              `Everyone has voted on **${md(notice.poll.title)}**, but no time works for all the required people. Start a new poll with other times: "poll …".`,
            ),
          ),
        );
        return;
      }
      await announcePollBooked(deps, ctx, place.api, notice.poll);
    },
  };
}
