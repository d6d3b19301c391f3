// After a meeting: its summary, decisions and action items go into the Teams meeting's chat
// (or the chat it was booked from), owners mentioned. Teams' delivery channel: the outbox
// consumer (core/delivery) claims each event for "teams", hands it here, and makes sure it is
// posted once; this file only renders and posts.
import type { Client as ApiClient } from '@microsoft/teams.api';
import { findActiveTenantUserByEmail } from '../../core/identity/users.ts';
import type { DeliveryChannel } from '../../core/delivery/index.ts';
import { postedMarkersStep } from '../../core/delivery/outbox-migration.ts';
import { MeetingError, type MeetingView, type MeetingsService } from '../../core/meetings/index.ts';
import type { BookingService } from '../../core/scheduling/booking/booking-service.ts';
import type { Store } from '../../core/store/store.ts';
import { verifiedTenantContext } from '../../core/store/tenant-context.ts';
import { CARD_CONTENT_TYPE, type AdaptiveCard } from './render/card.ts';
import { summaryCard } from './render/summary.ts';
import { botActor, type TeamsDeps } from './middleware/context.ts';
import type { Directory } from './middleware/directory.ts';
import { TeamsMeetingChat } from './store/meetings.ts';

export const OUTBOX_CONSUMER = 'teams';

/** The markers this file kept of posted summaries, before core/delivery's send ledger. */
export const teamsSummaryMarkersStep = postedMarkersStep({
  name: 'teams-summary-markers',
  platform: OUTBOX_CONSUMER,
  collection: 'teams_summary_posts',
});

/** Action-item owners as Teams mentions, for the people of the organization Quorum knows in Teams. */
export async function ownerMentions(
  deps: Pick<TeamsDeps, 'directory' | 'scheduling'>,
  msTenantId: string,
  tenantId: string,
  meeting: MeetingView,
  /** The chat's members as the Bot Connector lists them, for people who never wrote to Quorum. */
  members: ReadonlyArray<{ aadObjectId?: string; email?: string; userPrincipalName?: string }> = [],
): Promise<(owner: string) => { id: string; name: string } | undefined> {
  const owners = [...new Set(meeting.actionItems.flatMap((i) => (i.owner ? [i.owner] : [])))];
  const mentions = new Map<string, { id: string; name: string }>();
  for (const owner of owners) {
    const wanted = owner.trim().toLowerCase();
    const participant = meeting.participants.find(
      (p) => p.email === wanted || p.name?.trim().toLowerCase() === wanted,
    );
    if (!participant) continue;
    const user = await findActiveTenantUserByEmail(
      deps.scheduling.store,
      tenantId,
      participant.email,
    );
    const member = members.find(
      (m) => (m.email ?? m.userPrincipalName ?? '').toLowerCase() === user?.email,
    );
    const aad =
      user && ((await deps.directory.aadIdOf(msTenantId, user._id)) ?? member?.aadObjectId);
    if (user && aad) mentions.set(owner, { id: aad, name: user.name });
  }
  return (owner) => mentions.get(owner);
}

export function cardActivity(content: AdaptiveCard, summary?: string) {
  return {
    type: 'message' as const,
    ...(summary ? { summary } : {}),
    attachments: [{ contentType: CARD_CONTENT_TYPE, content }],
  };
}

export function createSummaryDelivery(deps: {
  store: Store;
  meetings: MeetingsService;
  bookings: BookingService;
  directory: Directory;
  scheduling: TeamsDeps['scheduling'];
  apiFor(serviceUrl: string): ApiClient;
}) {
  /**
   * Posts a meeting's summary card into the meeting's own chat, else the chat it was booked from.
   * False when there is no summary or no chat to post it in.
   */
  async function postSummary(tenantId: string, meetingId: string): Promise<boolean> {
    const ctx = verifiedTenantContext(tenantId, 'system');
    let meeting: MeetingView;
    try {
      meeting = await deps.meetings.get(ctx, botActor(), meetingId);
    } catch (error) {
      // Deleted since, or its content is unreadable: there is nothing to post.
      if (error instanceof MeetingError) return false;
      throw error;
    }
    if (!meeting.summary) return false;
    // The meeting's own chat first; else the chat it was booked from.
    const Chats = await deps.store.tenantModel(ctx, TeamsMeetingChat);
    const inTeams = await Chats.findById(meeting.id).lean();
    let conversationId = inTeams?.conversationId;
    if (!conversationId && meeting.bookingId) {
      const booking = await deps.bookings.get(ctx, meeting.bookingId);
      if (booking?.origin?.platform === 'teams') conversationId = booking.origin.conversationId;
    }
    if (!conversationId) return false;
    const conversation = await deps.directory.conversation(conversationId);
    if (!conversation || conversation.tenantId !== tenantId) return false;
    const api = deps.apiFor(conversation.serviceUrl);
    const members = await api.conversations.getMembers(conversationId).catch(() => []);
    const mention = await ownerMentions(deps, conversation.msTenantId, tenantId, meeting, members);
    await api.conversations.createActivity(
      conversationId,
      cardActivity(summaryCard(meeting, mention), `Summary of ${meeting.title}`),
    );
    return true;
  }

  /** What the outbox consumer (core/delivery) hands Teams: it posts, and only that. */
  const channel: DeliveryChannel = {
    platform: OUTBOX_CONSUMER,
    async deliver(item) {
      if (item.type === 'meeting.summarized') await postSummary(item.tenantId, item.meetingId);
    },
  };

  return { postSummary, channel };
}
