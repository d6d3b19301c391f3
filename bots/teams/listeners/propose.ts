// Finding times and offering them as a card: find, book, follow-up, reschedule and "taken
// meanwhile" all end here. The proposal is stored in the tenant's database, so a button carries
// only its id and the slot's start.
import { randomUUID } from 'node:crypto';
import type { SlotPreferences } from '../../../core/scheduling/availability/index.ts';
import type { ParsedCommand } from '../../../core/scheduling/command-text/index.ts';
import { findTimes, type FindTimesResult } from '../../../core/scheduling/find-times.ts';
import type { Asker, TeamsActivity as Activity, TeamsDeps } from '../middleware/context.ts';
import { peopleOf } from '../middleware/people.ts';
import type { AdaptiveCard } from '../render/card.ts';
import { proposalCard, type ProposalShown } from '../render/slots.ts';
import { TeamsProposal, type TeamsProposalDoc } from '../store/proposals.ts';

export const MAX_SLOTS_SHOWN = 5;
/** Proposals last a week; the proposal-expiry job removes them after (never a request). */
const LIFETIME_MS = 7 * 86_400_000;

export interface ProposeInput extends ProposalShown {
  window: { start: Date; end: Date };
  preferences?: SlotPreferences;
  exactStart?: Date;
  title: string | null;
  followUpOf?: string;
  rescheduleOf?: string;
  /** Slots already found (follow-up, "taken meanwhile"): no new search. */
  found?: FindTimesResult;
}

/** "find …" and "book …": the people and time asked for, offered as times to book. */
export async function findCommand(
  deps: TeamsDeps,
  asker: Asker,
  activity: Activity,
  command: ParsedCommand,
  text: string,
): Promise<AdaptiveCard> {
  const people = await peopleOf(deps, asker, activity, command, text);
  return proposeTimes(deps, asker, {
    ...people,
    durationMinutes: command.durationMinutes,
    window: command.window,
    preferences: command.preferences,
    ...(command.exactStart ? { exactStart: command.exactStart } : {}),
    title: command.title ?? null,
    describe: describe(command),
    notes: ignoredNote(command),
  });
}

function describe(parsed: ParsedCommand): string {
  return `I understood: ${parsed.understood.join('; ')}`;
}

function ignoredNote(parsed: ParsedCommand): string[] {
  const ignored = parsed.ignored.filter((w) => !/^optional(ly)?:?$/i.test(w));
  return ignored.length > 0
    ? [`I left out words I did not understand: ${ignored.join(', ')}.`]
    : [];
}

async function search(deps: TeamsDeps, asker: Asker, input: ProposeInput) {
  const request = {
    organizerEmail: asker.user.email,
    attendees: input.attendees.map((a) => ({ email: a.email, optional: a.optional })),
    durationMinutes: input.durationMinutes,
    ...(input.preferences ? { preferences: input.preferences } : {}),
  };
  if (input.exactStart) {
    const start = input.exactStart;
    const end = new Date(start.getTime() + input.durationMinutes * 60_000);
    // The time someone named is checked for conflicts only, even outside working hours.
    const exact = await findTimes(deps.scheduling, asker.ctx, {
      ...request,
      window: { start, end },
      granularityMinutes: 1,
      limit: 1,
      ignoreWorkingHours: true,
      now: new Date(Math.min(Date.now(), start.getTime())),
    });
    if (exact.slots.some((s) => s.start === start.getTime()))
      return { result: exact, taken: false };
    const others = await findTimes(deps.scheduling, asker.ctx, {
      ...request,
      window: {
        start: new Date(Math.max(Date.now(), start.getTime() - 86_400_000)),
        end: new Date(start.getTime() + 3 * 86_400_000),
      },
      limit: MAX_SLOTS_SHOWN,
    });
    return { result: others, taken: true };
  }
  const result = await findTimes(deps.scheduling, asker.ctx, {
    ...request,
    window: input.window,
    limit: MAX_SLOTS_SHOWN,
  });
  return { result, taken: false };
}

export async function proposeTimes(
  deps: TeamsDeps,
  asker: Asker,
  input: ProposeInput,
): Promise<AdaptiveCard> {
  const { result, taken } = input.found
    ? { result: input.found, taken: false }
    : await search(deps, asker, input);
  const Proposals = await deps.scheduling.store.tenantModel(asker.ctx, TeamsProposal);
  const now = new Date();
  const proposal: TeamsProposalDoc = {
    _id: randomUUID(),
    organizerId: asker.user._id,
    conversationId: asker.conversationId,
    title: input.title,
    durationMinutes: input.durationMinutes,
    attendees: input.attendees,
    followUpOf: input.followUpOf ?? null,
    rescheduleOf: input.rescheduleOf ?? null,
    slots: result.slots.map((s) => ({ start: new Date(s.start), end: new Date(s.end) })),
    createdAt: now,
    expiresAt: new Date(now.getTime() + LIFETIME_MS),
  };
  await Proposals.create(proposal);

  return proposalCard(input, result, {
    proposalId: proposal._id,
    askerEmail: asker.user.email,
    taken,
  });
}
