// Finding times and offering them as buttons: `/meet find`, `/meet book`, follow-ups, the
// message shortcut and "taken meanwhile" all end here. The assistant finds the slots and keeps
// the proposal; render/find.ts turns them into buttons that point at it.
import type { SlotPreferences } from '../../../core/scheduling/availability/index.ts';
import type { FindTimesResult } from '../../../core/scheduling/find-times.ts';
import type { Origin, SlotsReply } from '../../../core/assistant/index.ts';
import type { SlackMessage } from '../render/help.ts';
import { slotsMessage } from '../render/find.ts';
import { MAX_SLOTS_SHOWN } from '../render/slots.ts';
import type { Asker, SlackDeps } from '../middleware/context.ts';

export { attendeesWithout } from '../../../core/assistant/index.ts';
export { PICK_ACTION } from '../render/find.ts';

export interface ProposeInput {
  attendees: Array<{ email: string; name?: string; optional: boolean }>;
  unresolved: string[];
  durationMinutes: number;
  window: { start: Date; end: Date };
  preferences?: SlotPreferences;
  /** One specific time was asked for: check it, and offer others only when it is taken. */
  exactStart?: Date;
  title: string | null;
  channelId: string;
  threadTs: string | null;
  followUpOf?: string;
  /** Shown above the times ("I understood: …"), plain text. */
  describe: string;
  /** Shown under the times, as mrkdwn already escaped. */
  notes?: string[];
  /** Slots already found (a follow-up or "taken meanwhile"): no new search. */
  found?: FindTimesResult;
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
  const reply = await deps.assistant.find.offer(
    asker,
    {
      origin: slackConversation(asker.ws.teamId, input.channelId, input.threadTs),
      attendees: input.attendees,
      unresolved: input.unresolved,
      durationMinutes: input.durationMinutes,
      window: input.window,
      ...(input.preferences ? { preferences: input.preferences } : {}),
      ...(input.exactStart ? { exactStart: input.exactStart } : {}),
      title: input.title,
      ...(input.followUpOf ? { followUpOf: input.followUpOf } : {}),
      understood: input.describe,
      notes: input.notes ?? [],
      ...(input.found ? { found: input.found } : {}),
    },
    { limit: MAX_SLOTS_SHOWN },
  );
  return renderSlots(deps, reply);
}
