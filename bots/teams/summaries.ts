// After a meeting: its summary, decisions and action items go into the Teams meeting's chat
// (or the chat it was booked from), owners mentioned. Events come from the meetings outbox
// (consumer "teams"), at least once: a marker written after posting keeps a re-delivered event
// from posting twice, short of a crash between the two.
import type { Client as ApiClient } from '@microsoft/teams.api';
import { findActiveTenantUserByEmail } from '../../core/identity/users.ts';
import type { Logger } from '../../core/logger.ts';
import {
  MeetingError,
  type MeetingView,
  type MeetingsService,
  type Outbox,
  type OutboxEvent,
} from '../../core/meetings/index.ts';
import { isDuplicateKeyError } from '../../core/privacy/duplicate-key.ts';
import type { BookingService } from '../../core/scheduling/booking/booking-service.ts';
import type { Store } from '../../core/store/store.ts';
import { verifiedTenantContext } from '../../core/store/tenant-context.ts';
import { CARD_CONTENT_TYPE, type AdaptiveCard } from './render/card.ts';
import { summaryCard } from './render/summary.ts';
import { botActor, type TeamsDeps } from './middleware/context.ts';
import type { Directory } from './middleware/directory.ts';
import { TeamsMeetingChat, TeamsSummaryPosted } from './store/meetings.ts';
import { SWEEP_COMMENT } from '../../core/store/query-rule.ts';

export const OUTBOX_CONSUMER = 'teams';
const MARKER_LIFETIME_MS = 8 * 86_400_000;

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
  outbox: Outbox;
  meetings: MeetingsService;
  bookings: BookingService;
  directory: Directory;
  scheduling: TeamsDeps['scheduling'];
  apiFor(serviceUrl: string): ApiClient;
  logger: Logger;
}) {
  const Posted = deps.store.controlModel(TeamsSummaryPosted);

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

  async function post(event: OutboxEvent): Promise<void> {
    if (await Posted.exists({ _id: event.id })) return;
    await postSummary(event.tenantId, event.meetingId);
    try {
      await Posted.create({ _id: event.id, at: new Date() });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  return {
    postSummary,
    /** Posts what the outbox holds for Teams; returns how many events were handled. */
    async deliver(): Promise<number> {
      const events = await deps.outbox.claim(OUTBOX_CONSUMER, { limit: 20 });
      let handled = 0;
      for (const event of events) {
        try {
          if (event.type === 'meeting.summarized') await post(event);
          await deps.outbox.ack(OUTBOX_CONSUMER, event.id);
          handled += 1;
        } catch (error) {
          deps.logger.warn(
            { err: error, event: event.id },
            'meeting summary not posted to Teams yet',
          );
          await deps.outbox.release(OUTBOX_CONSUMER, event.id);
        }
      }
      if (events.length > 0) {
        await Posted.deleteMany(
          { at: { $lt: new Date(Date.now() - MARKER_LIFETIME_MS) } },
          { comment: `${SWEEP_COMMENT}:summary-markers` },
        );
      }
      return handled;
    },
  };
}
