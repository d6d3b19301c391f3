// "summary": the summary, decisions and action items of the person's latest meeting that has
// one; owners Quorum knows in Teams are mentioned.
import { MeetingError } from '../../../core/meetings/index.ts';
import { userActor, type Asker, type TeamsDeps } from '../middleware/context.ts';
import { plainCard, type AdaptiveCard } from '../render/card.ts';
import { summaryCard } from '../render/summary.ts';
import { ownerMentions } from '../summaries.ts';
import { NO_MEETINGS } from './agenda.ts';

export async function summaryCommand(deps: TeamsDeps, asker: Asker): Promise<AdaptiveCard> {
  if (!deps.meetings) return plainCard(NO_MEETINGS);
  const mine = await deps.meetings.listMine(
    asker.ctx,
    { userId: asker.user._id, email: asker.user.email },
    { limit: 20 },
  );
  const latest = mine.find((m) => m.status === 'ready');
  if (!latest) {
    return plainCard(
      mine.length === 0
        ? NO_MEETINGS
        : 'None of your meetings has a summary yet: summaries appear once a transcript or recording was processed.',
    );
  }
  try {
    const view = await deps.meetings.get(asker.ctx, userActor(asker.user), latest.id);
    const mention = await ownerMentions(deps, asker.msTenantId, asker.tenantId, view);
    return summaryCard(view, mention);
  } catch (error) {
    if (error instanceof MeetingError) return plainCard(`⚠️ ${error.message}`);
    throw error;
  }
}
