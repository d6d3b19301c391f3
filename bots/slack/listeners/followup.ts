// `/meet followup`: the same people again at the next good time — after the latest meeting
// booked from this channel, or else the latest one the person organized.
import type { webApi } from '@slack/bolt';
import type { BookingDoc } from '../../../core/scheduling/booking/booking-model.ts';
import type { ParsedCommand } from '../../../core/scheduling/command-text/index.ts';
import type { SlackMessage } from '../render/help.ts';
import { escapeText } from '../render/limits.ts';
import { plain } from '../render/notices.ts';
import type { Asker, SlackDeps } from '../middleware/context.ts';
import { attendeesWithout, proposeTimes } from './find.ts';
import { slackOrigin } from './shared.ts';

function latestBooking(
  deps: SlackDeps,
  asker: Asker,
  channelId: string,
): Promise<BookingDoc | undefined> {
  const origin = slackOrigin(asker.ws.teamId, channelId, null);
  return deps.bookings.latestToFollowUp(
    asker.ctx,
    { userId: asker.user._id, email: asker.user.email },
    { platform: 'slack', conversationId: origin.conversationId! },
  );
}

export async function followUp(
  deps: SlackDeps,
  client: webApi.WebClient,
  asker: Asker,
  input: { channelId: string; threadTs: string | null; parsed: ParsedCommand },
): Promise<SlackMessage> {
  const booking = await latestBooking(deps, asker, input.channelId);
  if (!booking) {
    return plain(
      'There is no meeting to follow up on: none was booked from this channel or by you. Book one with `/meet find …` first.',
    );
  }
  const durationGiven = input.parsed.understood.some(
    (line) => line.startsWith('duration:') && !line.endsWith('(default)'),
  );
  const durationMinutes = durationGiven
    ? input.parsed.durationMinutes
    : Math.round((booking.end.getTime() - booking.start.getTime()) / 60_000);
  const people = attendeesWithout(asker.user.email, [
    { email: booking.organizerEmail, optional: false },
    ...booking.attendees.map((a) => ({
      email: a.email,
      ...(a.name ? { name: a.name } : {}),
      optional: a.optional,
    })),
  ]);
  const common = {
    attendees: people,
    unresolved: [],
    durationMinutes,
    title: `Follow-up: ${booking.title}`.slice(0, 200),
    channelId: input.channelId,
    threadTs: input.threadTs,
    followUpOf: booking._id,
    describe: `A follow-up of “${escapeText(booking.title)}”`,
  };
  if (booking.organizerId === asker.user._id) {
    const { result } = await deps.bookings.followUpTimes(asker.ctx, booking._id, {
      durationMinutes,
    });
    return proposeTimes(deps, client, asker, {
      ...common,
      window: { start: booking.end, end: new Date(booking.end.getTime() + 14 * 86_400_000) },
      found: result,
    });
  }
  const from = new Date(Math.max(Date.now(), booking.end.getTime()));
  return proposeTimes(deps, client, asker, {
    ...common,
    window: { start: from, end: new Date(from.getTime() + 14 * 86_400_000) },
  });
}
