// "connect": the OAuth card that signs the person in and connects their calendar (silently with
// Teams SSO, through middleware/sign-in.ts), or the personal link to Quorum's connect page; and
// the news of a link, in the chat that asked for it.
import type { Client as ApiClient } from '@microsoft/teams.api';
import type { Logger } from '../../../core/logger.ts';
import {
  connectCardFor,
  type TeamsActivity as Activity,
  type TeamsDeps,
} from '../middleware/context.ts';
import type { Directory } from '../middleware/directory.ts';
import type { LinkClaims } from '../middleware/link-token.ts';
import { signInActivity, type ExchangeOutcome } from '../middleware/sign-in.ts';
import { plainCard } from '../render/card.ts';
import { connectedCard } from '../render/connect.ts';
import { cardActivity } from '../summaries.ts';
import type { Answer } from './commands.ts';
import { failure, type TurnContext } from './shared.ts';

/** "connect": the OAuth card (silent with Teams SSO), or why Quorum cannot tell who is asking. */
export async function connectCommand(deps: TeamsDeps, activity: Activity): Promise<Answer> {
  const signIn = await signInActivity(
    deps,
    activity,
    'Sign in to Quorum and connect your calendar: meetings you schedule here go on it, with a Teams link.',
  );
  if (signIn) return { kind: 'activity', activity: signIn };
  return { kind: 'card', card: await connectCardFor(deps, activity, '') };
}

/**
 * Teams SSO: the silent exchange of a "connect" OAuth card (replaces the SDK's default, which
 * hands the token to the Bot Framework token service; Quorum keeps its own grants).
 */
export async function onTokenExchange(
  deps: TeamsDeps,
  turn: TurnContext,
  exchangeToken: (activity: Activity) => Promise<ExchangeOutcome>,
) {
  try {
    const outcome = await exchangeToken(turn.activity as Activity);
    if (outcome.connected) await turn.send(cardActivity(connectedCard(outcome.connected)));
    return outcome.response;
  } catch (error) {
    await turn.send(cardActivity(plainCard(failure(deps.logger, error)))).catch(() => undefined);
    return { status: 500 };
  }
}

/** The OAuth card's way in ends on Quorum's page: the chat it started from hears of it. */
export function tellChatOfLink(deps: {
  directory: Directory;
  apiFor(serviceUrl: string): ApiClient;
  logger: Logger;
}): (claims: LinkClaims, email: string) => Promise<void> {
  return async (claims, email) => {
    if (!claims.conversationId) return;
    try {
      const conversation = await deps.directory.conversation(claims.conversationId);
      if (conversation?.msTenantId !== claims.msTenantId) return;
      await deps
        .apiFor(conversation.serviceUrl)
        .conversations.createActivity(
          conversation._id,
          cardActivity(connectedCard({ email, calendar: null, name: claims.name })),
        );
    } catch (error) {
      deps.logger.warn({ err: error }, 'Teams chat not told of a new link');
    }
  };
}
