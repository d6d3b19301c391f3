// `/meet next`: my next meeting with its join link (core/assistant/next.ts).
import type { Asker, SlackDeps } from '../middleware/context.ts';
import type { SlackMessage } from '../render/help.ts';
import { nextMessage } from '../render/next.ts';

export async function nextMeeting(deps: SlackDeps, asker: Asker): Promise<SlackMessage> {
  return nextMessage(await deps.assistant.next.meeting(asker));
}
