// Conversation references, for proactive messages: remembered as activities arrive, before any
// listener runs, for conversations of a Microsoft tenant linked to a Quorum organization.
import type { App } from '@microsoft/teams.apps';
import { ExpiringLru } from '../../../core/privacy/expiring-lru.ts';
import { msTenantOf, type TeamsActivity as Activity } from './context.ts';
import type { Directory } from './directory.ts';

export function rememberConversations(app: App, directory: Directory): void {
  // Each conversation is written at most once per ten minutes per node.
  const remembered = new ExpiringLru<true>({ max: 10_000, ttlMs: 10 * 60_000 });
  app.use(async (context) => {
    const activity = context.activity as Activity;
    const msTenantId = msTenantOf(activity);
    const conversationId = activity.conversation?.id;
    if (msTenantId && conversationId && !remembered.get(conversationId)) {
      const tenantId = await directory.tenantOf(msTenantId);
      if (tenantId) {
        await directory.rememberConversation({
          _id: conversationId,
          msTenantId,
          tenantId,
          serviceUrl: context.ref.serviceUrl,
          conversationType: activity.conversation.conversationType ?? 'personal',
          botId: activity.recipient.id,
        });
        remembered.set(conversationId, true);
      }
    }
    return context.next();
  });
}
