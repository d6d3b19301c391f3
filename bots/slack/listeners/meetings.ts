// `/meet agenda` (the next meeting's agenda) and `/meet summary` (the last summarized one),
// through the assistant (core/assistant/meetings.ts); the person sees only meetings they organize or attend.
import type { webApi } from '@slack/bolt';
import type { ParsedCommand } from '../../../core/scheduling/command-text/index.ts';
import type { SlackMessage } from '../render/help.ts';
import { agendaMessage, summaryMessage } from '../render/meetings.ts';
import { plain } from '../render/notices.ts';
import type { Asker, SlackDeps } from '../middleware/context.ts';
import { ownerMentions } from '../summaries.ts';

function dateGiven(parsed: ParsedCommand): boolean {
  return parsed.understood.some((line) => line.startsWith('when:') && !line.includes('(default)'));
}

export async function agenda(
  deps: SlackDeps,
  asker: Asker,
  parsed: ParsedCommand,
): Promise<SlackMessage> {
  // "agenda" alone means the next meeting, however far; "agenda tomorrow" the next one then.
  const reply = await deps.assistant.meetings.agenda(asker, {
    ...(dateGiven(parsed) ? { window: parsed.window } : {}),
  });
  if (reply.kind === 'agenda') return agendaMessage(reply.meeting, reply.items);
  if (reply.code !== 'no-meeting') return plain(`:warning: ${reply.message}`);
  return plain(reply.whatToDo ? `${reply.message} Book one with \`/meet find …\`.` : reply.message);
}

export async function summary(
  deps: SlackDeps,
  client: webApi.WebClient,
  asker: Asker,
): Promise<SlackMessage> {
  const reply = await deps.assistant.meetings.summary(asker);
  if (reply.kind === 'problem') {
    return plain(reply.code === 'no-meeting' ? reply.message : `:warning: ${reply.message}`);
  }
  const owners = await deps.assistant.share.owners(asker.ctx, reply.view);
  const mention = await ownerMentions(deps.people, client, asker.ws.teamId, owners);
  return summaryMessage(reply.view, mention);
}
