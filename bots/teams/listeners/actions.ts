// Card buttons: Action.Execute arrives as an adaptiveCard/action invoke and is answered with
// the card that replaces it; the Action.Submit fallback arrives as a message with a value, and
// the card is replaced by updating the message. Each button's verb leads to its feature's
// listener (book, changes, polls, followup) with the data the card carried.
import type { IAdaptiveCard } from '@microsoft/teams.cards';
import { z } from 'zod';
import { MeetingError } from '../../../core/meetings/index.ts';
import { BookingError } from '../../../core/scheduling/booking/booking-service.ts';
import { PollError } from '../../../core/scheduling/polls/poll-service.ts';
import { whoIsAsking, type Asker, type TeamsDeps } from '../middleware/context.ts';
import type { TeamsActivity as Activity } from '../middleware/context.ts';
import { ACTIONS, CARD_CONTENT_TYPE } from '../render/card.ts';
import { bookAction, bookData } from './book.ts';
import { cancelAction, rescheduleAction } from './changes.ts';
import { followUpAction } from './followup.ts';
import { voteAction, voteData } from './polls.ts';
import { rotationAction, rotationData } from './rotation.ts';
import { cardActivity } from '../summaries.ts';
import {
  failure,
  message,
  replaceForEveryone,
  type ActionResult,
  type TurnContext,
} from './shared.ts';

const bookingData = z.object({ b: z.string().min(1).max(64) });
const meetingData = z.object({ m: z.string().min(1).max(64) });

export async function runAction(
  deps: TeamsDeps,
  activity: Activity,
  api: Asker['api'],
  verb: string,
  data: unknown,
): Promise<ActionResult> {
  const who = await whoIsAsking(deps, activity, api);
  if (!who.ok) return { kind: 'card', card: who.card };
  try {
    return await dispatch(deps, who.asker, verb, data);
  } catch (error) {
    if (
      error instanceof BookingError ||
      error instanceof PollError ||
      error instanceof MeetingError
    ) {
      return message(`⚠️ ${error.message}`);
    }
    throw error;
  }
}

async function dispatch(
  deps: TeamsDeps,
  asker: Asker,
  verb: string,
  data: unknown,
): Promise<ActionResult> {
  switch (verb) {
    case ACTIONS.book: {
      const parsed = bookData.safeParse(data);
      if (!parsed.success) return message('This card is out of date. Ask again with "find …".');
      return bookAction(deps, asker, parsed.data);
    }
    case ACTIONS.cancel: {
      const parsed = bookingData.safeParse(data);
      if (!parsed.success) return message('This card is out of date.');
      return cancelAction(deps, asker, parsed.data.b);
    }
    case ACTIONS.reschedule: {
      const parsed = bookingData.safeParse(data);
      if (!parsed.success) return message('This card is out of date.');
      return rescheduleAction(deps, asker, parsed.data.b);
    }
    case ACTIONS.vote: {
      const parsed = voteData.safeParse(data);
      if (!parsed.success) return message('This poll card is out of date.');
      return voteAction(deps, asker, parsed.data);
    }
    case ACTIONS.rotation: {
      const parsed = rotationData.safeParse(data);
      if (!parsed.success) return message('This card is out of date. Ask again with "weekly …".');
      return rotationAction(deps, asker, parsed.data);
    }
    case ACTIONS.followUp: {
      const parsed = meetingData.safeParse(data);
      if (!parsed.success) return message('This card is out of date.');
      return followUpAction(deps, asker, parsed.data.m);
    }
    default:
      return message(
        'Quorum does not know this button any more. Send "help" to see what it can do.',
      );
  }
}

/** An Action.Execute invoke: answered with the card that replaces the one clicked. */
export async function onCardAction(deps: TeamsDeps, activity: Activity, api: Asker['api']) {
  try {
    const action = (activity.value as { action?: { verb?: unknown; data?: unknown } } | undefined)
      ?.action;
    const result = await runAction(
      deps,
      activity,
      api,
      typeof action?.verb === 'string' ? action.verb : '',
      action?.data,
    );
    if (result.kind === 'message') {
      return {
        statusCode: 200 as const,
        type: 'application/vnd.microsoft.activity.message' as const,
        value: result.text,
      };
    }
    await replaceForEveryone(deps, api, activity, result);
    // Quorum's cards are plain Adaptive Card JSON; the SDK's type is its builder's interface.
    return {
      statusCode: 200 as const,
      type: CARD_CONTENT_TYPE,
      value: result.card as unknown as IAdaptiveCard,
    };
  } catch (error) {
    return {
      statusCode: 200 as const,
      type: 'application/vnd.microsoft.activity.message' as const,
      value: failure(deps.logger, error),
    };
  }
}

/** The Action.Submit fallback: a message carrying the button's data; its message is updated. */
export async function onSubmit(
  deps: TeamsDeps,
  turn: TurnContext,
  value: { verb: string },
): Promise<void> {
  const activity = turn.activity as Activity;
  const result = await runAction(deps, activity, turn.api, value.verb, value);
  if (result.kind === 'message') {
    await turn.send(result.text);
    return;
  }
  if (activity.replyToId) {
    await turn.api.conversations.updateActivity(
      activity.conversation.id,
      activity.replyToId,
      cardActivity(result.card),
    );
  } else {
    await turn.send(cardActivity(result.card));
  }
}
