// After a meeting: its summary, decisions and action items go into the Teams meeting's chat
// (or the chat it was booked from), owners mentioned. Teams' delivery channel: the outbox
// consumer (core/delivery) claims each event for "teams", hands it here, and makes sure it is
// posted once; this file only renders and posts.
import type { Client as ApiClient } from '@microsoft/teams.api';
import type { Assistant, Owners } from '../../core/assistant/index.ts';
import { summaryChannel } from '../../core/delivery/index.ts';
import { summaryMarkersStep } from '../../core/delivery/outbox-migration.ts';
import type { Store } from '../../core/store/store.ts';
import { CARD_CONTENT_TYPE, type AdaptiveCard } from './render/card.ts';
import { summaryCard } from './render/summary.ts';
import { botActor } from './middleware/context.ts';
import type { Directory } from './middleware/directory.ts';
import { TeamsMeetingChat } from './store/meetings.ts';

export const OUTBOX_CONSUMER = 'teams';

/** The markers this file kept of posted summaries, before core/delivery's send ledger. */
export const teamsSummaryMarkersStep = summaryMarkersStep(OUTBOX_CONSUMER);

/** Action-item owners as Teams mentions, for the people of the organization Quorum knows in Teams. */
export async function ownerMentions(
  directory: Directory,
  msTenantId: string,
  owners: Owners,
  /** The chat's members as the Bot Connector lists them, for people who never wrote to Quorum. */
  members: ReadonlyArray<{ aadObjectId?: string; email?: string; userPrincipalName?: string }> = [],
): Promise<(owner: string) => { id: string; name: string } | undefined> {
  const mentions = new Map<string, { id: string; name: string }>();
  for (const [owner, user] of owners) {
    const member = members.find(
      (m) => (m.email ?? m.userPrincipalName ?? '').toLowerCase() === user.email,
    );
    const aad = (await directory.aadIdOf(msTenantId, user._id)) ?? member?.aadObjectId;
    if (aad) mentions.set(owner, { id: aad, name: user.name });
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
  assistant: Pick<Assistant, 'share'>;
  directory: Directory;
  apiFor(serviceUrl: string): ApiClient;
}) {
  /**
   * Posts a meeting's summary card into the meeting's own chat, else the chat it was booked from.
   * False when there is no summary or no chat to post it in.
   */
  async function postSummary(tenantId: string, meetingId: string): Promise<boolean> {
    const shared = await deps.assistant.share.summary(tenantId, meetingId, botActor());
    if (!shared) return false;
    const { ctx, meeting, origin } = shared;
    // The meeting's own chat first; else the chat it was booked from.
    const Chats = await deps.store.tenantModel(ctx, TeamsMeetingChat);
    const inTeams = await Chats.findById(meeting.id).lean();
    let conversationId = inTeams?.conversationId;
    if (!conversationId && origin?.platform === 'teams') conversationId = origin.conversationId;
    if (!conversationId) return false;
    const conversation = await deps.directory.conversation(conversationId);
    if (!conversation || conversation.tenantId !== tenantId) return false;
    const api = deps.apiFor(conversation.serviceUrl);
    const members = await api.conversations.getMembers(conversationId).catch(() => []);
    const mention = await ownerMentions(
      deps.directory,
      conversation.msTenantId,
      shared.owners,
      members,
    );
    await api.conversations.createActivity(
      conversationId,
      cardActivity(summaryCard(meeting, mention), `Summary of ${meeting.title}`),
    );
    return true;
  }

  /** What the outbox consumer (core/delivery) hands Teams: it posts, and only that. */
  const channel = summaryChannel(OUTBOX_CONSUMER, postSummary);

  return { postSummary, channel };
}
