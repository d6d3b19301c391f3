// "Book this rotation": the assistant books the plan's times as interleaved series, and the
// card that offered the plan is replaced by what was booked or by what went wrong. The button
// names the find's proposal (its people, length and count, and that it is the clicker's) and
// the times' first starts; the idempotency key is the proposal, so a double click books once.
import { z } from 'zod';
import { defaultTitle } from '../../../core/assistant/index.ts';
import type { Asker, TeamsDeps } from '../middleware/context.ts';
import { plainCard } from '../render/card.ts';
import { rotationBookedCard } from '../render/rotation.ts';
import { problemText } from '../render/problem.ts';
import { teamsConversation } from './find.ts';
import { message, type ActionResult } from './shared.ts';

export const rotationData = z.object({
  p: z.string().min(1).max(64),
  r: z.array(z.number().int().positive()).min(2).max(3),
});

const ASK_AGAIN = 'Ask again with "weekly …": the times are checked anew.';

export async function rotationAction(
  deps: TeamsDeps,
  asker: Asker,
  data: z.infer<typeof rotationData>,
): Promise<ActionResult> {
  const proposal = await deps.assistant.book.proposal(asker, data.p);
  if ('kind' in proposal) return message(problemText(proposal));
  const count = proposal.recurrence?.count;
  if (!count || data.r.some((s) => s < Date.now())) {
    return message(`This rotation is out of date. ${ASK_AGAIN}`);
  }
  const title = defaultTitle(proposal);
  const reply = await deps.assistant.rotation.book(asker, {
    attendees: proposal.attendees,
    durationMinutes: proposal.durationMinutes,
    count,
    starts: data.r,
    title,
    // A Teams link needs a Microsoft 365 calendar; the person's own default is what they chose.
    linkType: asker.settings.defaultLinkType,
    idempotencyKey: `teams:${proposal._id}:rotation`,
    origin: teamsConversation(proposal.origin.reference),
  });
  // The plan is stale for everyone once a time was taken: the card says so in its place.
  if (reply.kind === 'problem') {
    return { kind: 'card', card: plainCard(`${problemText(reply)} ${ASK_AGAIN}`), everyone: true };
  }
  return { kind: 'card', card: rotationBookedCard(reply, title), everyone: true };
}
