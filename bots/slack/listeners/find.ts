// Finding times and offering them as buttons: `/meet find`, `/meet book`, follow-ups, the
// message shortcut and "taken meanwhile" all end here. The assistant finds the slots and keeps
// the proposal; render/find.ts turns them into buttons that point at it.
import type { FindRequest, Origin, SlotsReply } from '../../../core/assistant/index.ts';
import type { SlackMessage } from '../render/help.ts';
import { slotsMessage } from '../render/find.ts';
import { capBlocks, divider } from '../render/limits.ts';
import { rotationBlocks } from '../render/rotation.ts';
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
  // Beside the times, a fair rotation when the core offers one (core/assistant/rotation.ts).
  const rotation = await deps.assistant.rotation.alongside(asker, request, reply);
  if (!rotation) return renderSlots(deps, reply);
  // The rotation first; the single times the find offered (if any) below it.
  const slots = reply.slots.length > 0 ? renderSlots(deps, reply).blocks : [];
  return {
    text: `A fair rotation: ${rotation.times.length} times taking turns`,
    blocks: capBlocks([
      ...rotationBlocks(rotation, reply.proposalId),
      ...(slots.length > 0 ? [divider(), ...slots] : []),
    ]),
  };
}
