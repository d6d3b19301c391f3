// Keeps a Slack poll current when people vote outside Slack (guests through their links): the
// poll message Quorum posted is updated in place, and when the poll ends the channel gets the
// confirmation and the organizer a direct message. Votes cast in Slack update their message
// through the click's own response_url (listeners/polls.ts), so they are skipped here.
import type { webApi } from '@slack/bolt';
import type { BookingService } from '../../../core/scheduling/booking/booking-service.ts';
import type { PollListener } from '../../../core/scheduling/polls/poll-listeners.ts';
import type { PollService } from '../../../core/scheduling/polls/poll-service.ts';
import type { TenantContext } from '../../../core/store/tenant-context.ts';
import { bookingConfirmation } from '../render/booking.ts';
import { escapeText } from '../render/limits.ts';
import { plain } from '../render/notices.ts';
import { pollMessage } from '../render/poll.ts';
import { labelFor } from './polls.ts';
import type { SlackPolls } from '../store/polls.ts';
import type { Workspaces } from '../store/workspaces.ts';

export interface PollUpdateDeps {
  polls: PollService;
  bookings: BookingService;
  slackPolls: SlackPolls;
  workspaces: Workspaces;
  clientFor(botToken: string): webApi.WebClient;
  once(kind: string, key: string): Promise<boolean>;
}

export function slackPollListener(deps: PollUpdateDeps): PollListener {
  async function placeOf(ctx: TenantContext, pollId: string) {
    const slackPoll = await deps.slackPolls.getPoll(ctx, pollId);
    if (!slackPoll) return undefined;
    const credentials = await deps.workspaces.credentialsFor(slackPoll.teamId);
    if (!credentials) return undefined;
    return { slackPoll, client: deps.clientFor(credentials.botToken) };
  }

  return {
    async changed(ctx, { poll, via }) {
      if (via === 'slack') return;
      const place = await placeOf(ctx, poll._id);
      if (!place?.slackPoll.messageTs) return;
      const after = await deps.polls.get(ctx, poll._id);
      if (!after) return;
      await place.client.chat.update({
        channel: place.slackPoll.channelId,
        ts: place.slackPoll.messageTs,
        ...pollMessage({
          poll: after.poll,
          votes: after.cast.map((v) => ({ email: v.email, yes: v.yes })),
          label: labelFor(after.poll, place.slackPoll),
          organizerSlackId: place.slackPoll.organizerSlackId,
        }),
      });
    },

    async finished(ctx, notice) {
      if (notice.via === 'slack') return;
      const place = await placeOf(ctx, notice.poll._id);
      if (!place) return;
      const { slackPoll, client } = place;
      const title = escapeText(notice.poll.title);
      if (notice.outcome === 'no-common-time') {
        await client.chat.postMessage({
          channel: slackPoll.organizerSlackId,
          ...plain(
            `Everyone has voted on *${title}*, but no time works for all the required people. Start a new poll with other times: \`/meet poll …\``,
          ),
        });
        return;
      }
      // Racing final votes (Slack and web) post the confirmation once.
      if (!notice.bookingId || !(await deps.once('poll-booked', notice.poll._id))) return;
      const booking = await deps.bookings.get(ctx, notice.bookingId);
      if (!booking) return;
      const confirmation = bookingConfirmation(booking, slackPoll.organizerSlackId);
      const inChannel = await client.chat
        .postMessage({ channel: slackPoll.channelId, ...confirmation })
        .then(() => true)
        .catch(() => false);
      // The organizer hears of it directly when the channel is closed to the bot.
      if (!inChannel) {
        await client.chat.postMessage({ channel: slackPoll.organizerSlackId, ...confirmation });
      }
    },
  };
}
