// Pieces every handler uses: running slow work after the acknowledgement with a visible
// answer on failure, talking back through a response_url, and where a booking came from.
import { logFailure } from '../../../infra/http/failure-reference.ts';
import type { Problem } from '../../../core/assistant/index.ts';
import type { BookingDoc } from '../../../core/scheduling/booking/booking-model.ts';
import type { SlackMessage } from '../render/help.ts';
import { LIMITS, actions, fit, section } from '../render/limits.ts';
import { connectCalendarButtons, failed, plain } from '../render/notices.ts';
import type { SlackDeps } from '../middleware/context.ts';

export type Reply = (message: SlackMessage & ResponseOptions) => Promise<unknown>;

export interface ResponseOptions {
  response_type?: 'ephemeral' | 'in_channel';
  replace_original?: boolean;
  delete_original?: boolean;
}

/** Posts to a response_url (valid 30 minutes, 5 times), as Slack documents. */
export async function postToResponseUrl(
  url: string,
  message: SlackMessage & ResponseOptions,
): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...message, text: fit(message.text, LIMITS.messageText) }),
  });
  if (!res.ok) throw new Error(`Slack refused the response (HTTP ${res.status})`);
}

/** A private reply to the person through the interaction's response_url. */
export function ephemeralReply(responseUrl: string): Reply {
  return (message) =>
    postToResponseUrl(responseUrl, {
      response_type: 'ephemeral',
      replace_original: false,
      ...message,
    });
}

/**
 * Runs slow work after the acknowledgement. Whatever fails, the person is told so (with a
 * reference to find the log line), never left waiting in silence.
 */
export function later(deps: SlackDeps, reply: Reply | undefined, work: () => Promise<void>): void {
  deps.queue.run(async () => {
    try {
      await work();
    } catch (error) {
      const reference = logFailure(deps.logger, error, 'Slack request failed');
      await reply?.({
        response_type: 'ephemeral',
        replace_original: false,
        ...failed(reference),
      }).catch((replyError: unknown) =>
        deps.logger.warn({ err: replyError, reference }, 'could not tell the Slack user'),
      );
    }
  });
}

/** Where in Slack a booking was made (its origin, as slackConversation in find.ts names it). */
export function readOrigin(
  origin: BookingDoc['origin'],
): { teamId: string; channelId: string; threadTs: string | undefined } | undefined {
  if (origin?.platform !== 'slack' || !origin.conversationId) return undefined;
  const [teamId, channelId] = origin.conversationId.split(':');
  if (!teamId || !channelId) return undefined;
  return { teamId, channelId, threadTs: origin.threadId };
}

/**
 * A problem the assistant reports, in Slack's words: what happened and what to do (a link
 * problem with the buttons to connect a calendar).
 */
export function bookingProblem(deps: SlackDeps, reply: Problem): SlackMessage {
  switch (reply.code) {
    case 'expired':
    case 'not-yours':
      return plain('These times have expired. Ask again with `/meet find …`.');
    case 'in-progress':
      return plain(`:hourglass: ${reply.message}`);
    case 'calendar-busy':
      return plain(`:warning: ${reply.message} ${reply.whatToDo ?? ''}`.trim());
    default:
      break;
  }
  const buttons = reply.connectCalendar
    ? connectCalendarButtons(deps.baseUrl, deps.calendars.oauthProviders)
    : [];
  if (buttons.length === 0) return plain(`:warning: ${reply.message}`);
  return {
    text: reply.message,
    blocks: [section(`:warning: ${reply.message}`), actions(buttons)],
  };
}

/** Who to show for an email: a Slack mention when Quorum knows their Slack account. */
export function labeller(
  names: ReadonlyMap<string, string>,
  slackIds: ReadonlyMap<string, string>,
): (email: string) => string {
  return (email) => {
    const id = slackIds.get(email);
    if (id) return `<@${id}>`;
    return names.get(email) ?? email;
  };
}
