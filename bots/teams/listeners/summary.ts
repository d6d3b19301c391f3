// "summary": the summary, decisions and action items of the person's latest meeting that has
// one (core/assistant/meetings.ts); owners Quorum knows in Teams are mentioned.
import type { Asker, TeamsDeps } from '../middleware/context.ts';
import type { AdaptiveCard } from '../render/card.ts';
import { problemCard } from '../render/problem.ts';
import { summaryCard } from '../render/summary.ts';
import { ownerMentions } from '../summaries.ts';

export async function summaryCommand(deps: TeamsDeps, asker: Asker): Promise<AdaptiveCard> {
  const reply = await deps.assistant.meetings.summary(asker);
  if (reply.kind === 'problem') return problemCard(reply);
  const owners = await deps.assistant.share.owners(asker.ctx, reply.view);
  const mention = await ownerMentions(deps.directory, asker.msTenantId, owners);
  return summaryCard(reply.view, mention);
}
