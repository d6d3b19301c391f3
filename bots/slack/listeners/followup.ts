// `/meet followup`: the same people again at the next good time — after the latest meeting
// booked from this channel, or else the latest one the person organized (core/assistant).
import type { ParsedCommand } from '../../../core/scheduling/command-text/index.ts';
import type { SlackMessage } from '../render/help.ts';
import { plain } from '../render/notices.ts';
import { MAX_SLOTS_SHOWN } from '../render/slots.ts';
import type { Asker, SlackDeps } from '../middleware/context.ts';
import { renderSlots, slackConversation } from './find.ts';

export async function followUp(
  deps: SlackDeps,
  asker: Asker,
  input: { channelId: string; threadTs: string | null; parsed: ParsedCommand },
): Promise<SlackMessage> {
  const durationGiven = input.parsed.understood.some(
    (line) => line.startsWith('duration:') && !line.endsWith('(default)'),
  );
  const reply = await deps.assistant.followUp.offer(
    asker,
    {
      origin: slackConversation(asker.ws.teamId, input.channelId, input.threadTs),
      ...(durationGiven ? { durationMinutes: input.parsed.durationMinutes } : {}),
    },
    { limit: MAX_SLOTS_SHOWN },
  );
  if (reply.kind === 'problem') {
    return plain(
      'There is no meeting to follow up on: none was booked from this channel or by you. Book one with `/meet find …` first.',
    );
  }
  return renderSlots(deps, reply);
}
