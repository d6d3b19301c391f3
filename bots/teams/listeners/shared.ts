// Pieces every listener uses: what a button leads to, the turn a listener answers, the failure
// text with its reference, replacing a card for everyone, and a message to one person in private.
import type {
  Activity as SdkActivity,
  ActivityLike,
  Client as ApiClient,
  DeprecatedInputActivity,
  SentActivity,
} from '@microsoft/teams.api';
import type { Logger } from '../../../core/logger.ts';
import { failureText, logFailure } from '../../../infra/http/failure-reference.ts';
import { msTenantOf, type TeamsActivity, type TeamsDeps } from '../middleware/context.ts';
import type { AdaptiveCard } from '../render/card.ts';
import { cardActivity } from '../summaries.ts';

/** What a button leads to: a card replacing the one clicked, or a short message to the clicker. */
export type ActionResult =
  | {
      kind: 'card';
      card: AdaptiveCard;
      /** Also replace the message for everyone. */ everyone?: boolean;
    }
  | { kind: 'message'; text: string };

export const message = (text: string): ActionResult => ({ kind: 'message', text });

/** The parts of the SDK's activity context a listener uses. */
export interface TurnContext {
  activity: SdkActivity;
  api: ApiClient;
  send(activity: ActivityLike | DeprecatedInputActivity): Promise<SentActivity>;
}

/** What the person sees when Quorum failed: a reference to quote, never the error itself. */
export function failure(logger: Logger, error: unknown): string {
  return failureText(logFailure(logger, error, 'Teams activity failed'), (r) => `\`${r}\``);
}

/** Replaces a card everyone sees by updating its message; the clicker gets it either way. */
export async function replaceForEveryone(
  deps: TeamsDeps,
  api: ApiClient,
  activity: TeamsActivity,
  result: ActionResult,
) {
  if (result.kind !== 'card' || !result.everyone || !activity.replyToId) return;
  await api.conversations
    .updateActivity(activity.conversation.id, activity.replyToId, cardActivity(result.card))
    .catch((error: unknown) =>
      deps.logger.warn({ err: error }, 'Teams card not updated for everyone'),
    );
}

// A message to one person in private, from wherever they talked to Quorum: the Bot Connector's
// "create conversation" gives the bot's 1:1 chat with them (the same one each time), which
// exists once Quorum is installed for them — as a personal app, or alongside a team or chat
// that has it, depending on the tenant's policy. Guest voting links of a poll made in a group
// chat go this way, since each link lets anyone holding it vote as that guest.

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
