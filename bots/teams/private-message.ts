// A message to one person in private, from wherever they talked to Quorum: the Bot Connector's
// "create conversation" gives the bot's 1:1 chat with them (the same one each time), which
// exists once Quorum is installed for them — as a personal app, or alongside a team or chat
// that has it, depending on the tenant's policy. Guest voting links of a poll made in a group
// chat go this way, since each link lets anyone holding it vote as that guest.
import type { Client as ApiClient } from '@microsoft/teams.api';
import type { AdaptiveCard } from './cards.ts';
import { msTenantOf, type TeamsActivity } from './context.ts';
import { cardActivity } from './summaries.ts';

/** Sends `card` to the activity's sender in their 1:1 chat with the bot; false when Teams refused. */
export async function sendPrivately(
  api: ApiClient,
  activity: TeamsActivity,
  card: AdaptiveCard,
): Promise<boolean> {
  const tenantId = msTenantOf(activity);
  try {
    const conversation = await api.conversations.create({
      isGroup: false,
      bot: { id: activity.recipient.id },
      members: [{ id: activity.from.id, name: activity.from.name ?? '', role: 'user' }],
      ...(tenantId ? { tenantId, channelData: { tenant: { id: tenantId } } } : {}),
    });
    await api.conversations.createActivity(conversation.id, cardActivity(card));
    return true;
  } catch {
    return false;
  }
}
