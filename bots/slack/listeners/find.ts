// Finding times and offering them as buttons: `/meet find`, `/meet book`, follow-ups, the
// message shortcut and "taken meanwhile" all end here. The assistant finds the slots and keeps
// the proposal; render/find.ts turns them into buttons that point at it.
import type { FindRequest, Origin, SlotsReply } from '../../../core/assistant/index.ts';
import type { SlackMessage } from '../render/help.ts';
import { slotsMessage } from '../render/find.ts';
import { MAX_SLOTS_SHOWN } from '../render/slots.ts';
import type { Asker, SlackDeps } from '../middleware/context.ts';

export { attendeesWithout } from '../../../core/assistant/index.ts';
export { PICK_ACTION } from '../render/find.ts';

/** What Slack asks the assistant to find: where in Slack, and what was understood. */
export interface ProposeInput extends Omit<FindRequest, 'origin' | 'understood' | 'rescheduleOf'> {
  channelId: string;
  threadTs: string | null;
  /** Shown above the times ("I understood: …"), plain text; notes as mrkdwn already escaped. */
  describe: string;
}

/** Where in Slack a request came from, as the assistant names origins. */
export function slackConversation(
  teamId: string,
  channelId: string,
  threadTs: string | null,
): Origin {
  return { platform: 'slack', reference: `${teamId}:${channelId}`, thread: threadTs };
}

export function renderSlots(deps: SlackDeps, reply: SlotsReply): SlackMessage {
  return slotsMessage(reply, { baseUrl: deps.baseUrl, providers: deps.calendars.oauthProviders });
}

export async function proposeTimes(
  deps: SlackDeps,
  asker: Asker,
  input: ProposeInput,
): Promise<SlackMessage> {
  const { channelId, threadTs, describe, ...request } = input;
  const reply = await deps.assistant.find.offer(
    asker,
    {
      ...request,
      origin: slackConversation(asker.ws.teamId, channelId, threadTs),
      understood: describe,
    },
    { limit: MAX_SLOTS_SHOWN },
  );
  return renderSlots(deps, reply);
}
