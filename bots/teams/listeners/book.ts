// The Book button: the assistant books the slot chosen from the proposal (with a Teams link
// when the organizer's calendar can make one), or moves the booking the proposal reschedules,
// and makes the meeting record that goes with it. The idempotency key is the proposal and the
// slot chosen, so a double click books once. A time taken meanwhile offers the next best.
import { z } from 'zod';
import type { BookChoice } from '../../../core/assistant/index.ts';
import type { LinkType } from '../../../core/identity/user-settings.ts';
import type { Asker, TeamsDeps } from '../middleware/context.ts';
import { confirmationCard } from '../render/booking.ts';
import { problemText } from '../render/problem.ts';
import { MAX_SLOTS_SHOWN, renderSlots } from './find.ts';
import { message, type ActionResult } from './shared.ts';

export const bookData = z.object({ p: z.string().min(1).max(64), s: z.number().int() });

const NO_TEAMS_LINK =
  'No Teams link: your calendar in Quorum is not Microsoft 365. Send "connect" and connect Microsoft 365 to get Teams links.';

export async function bookAction(
  deps: TeamsDeps,
  asker: Asker,
  data: z.infer<typeof bookData>,
): Promise<ActionResult> {
  const choice = (linkType: LinkType): BookChoice => ({
    proposalId: data.p,
    start: data.s,
    linkType,
    idempotencyKey: `teams:${data.p}:${data.s}`,
    onlyOffered: true,
  });
  const book = (linkType: LinkType) =>
    deps.assistant.book.fromProposal(asker, choice(linkType), { limit: MAX_SLOTS_SHOWN });
  let reply = await book('teams');
  const notes: string[] = [];
  // A Teams link needs a Microsoft 365 calendar; without one, the person's own default link.
  if (reply.kind === 'problem' && reply.code === 'link-unavailable') {
    const { defaultLinkType } = asker.settings;
    reply = await book(defaultLinkType === 'teams' ? 'none' : defaultLinkType);
    notes.push(NO_TEAMS_LINK);
  }
  switch (reply.kind) {
    case 'problem':
      return message(problemText(reply));
    case 'slots':
      return { kind: 'card', card: renderSlots(asker, reply) };
    case 'booked':
      return {
        kind: 'card',
        card: confirmationCard(reply.booking, [...notes, ...reply.notes]),
        everyone: true,
      };
  }
}
