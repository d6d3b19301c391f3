// Finding times and offering them as a card: find, book, follow-up, reschedule and "taken
// meanwhile" all end here. The proposal is stored in the tenant's database, so a button carries
// only its id and the slot's start.
import { randomUUID } from 'node:crypto';
import type { SlotPreferences } from '../../core/scheduling/availability/index.ts';
import { findTimes, type FindTimesResult } from '../../core/scheduling/find-times.ts';
import type { TenantContext } from '../../core/store/tenant-context.ts';
import { slotsCard, type AdaptiveCard } from './cards.ts';
import type { Asker, TeamsDeps } from './context.ts';
import { TeamsProposal, type TeamsProposalDoc } from './models.ts';

export const MAX_SLOTS_SHOWN = 5;
/** Proposals last a week; the proposal-expiry job removes them after (never a request). */
const LIFETIME_MS = 7 * 86_400_000;

export interface ProposeInput {
  attendees: Array<{ email: string; name?: string; optional: boolean }>;
  unresolved: string[];
  durationMinutes: number;
  window: { start: Date; end: Date };
  preferences?: SlotPreferences;
  exactStart?: Date;
  title: string | null;
  followUpOf?: string;
  rescheduleOf?: string;
  /** Shown under the title ("I understood: …"). */
  describe: string;
  notes?: string[];
  /** Slots already found (follow-up, "taken meanwhile"): no new search. */
  found?: FindTimesResult;
}

/** The people asked, each once, never the organizer as their own attendee. */
export function attendeesWithout<T extends { email: string }>(
  organizerEmail: string,
  attendees: readonly T[],
): T[] {
  const seen = new Set([organizerEmail.toLowerCase()]);
  return attendees.filter((a) => {
    const email = a.email.toLowerCase();
    if (seen.has(email)) return false;
    seen.add(email);
    return true;
  });
}

export async function proposalOf(
  deps: TeamsDeps,
  ctx: TenantContext,
  id: unknown,
): Promise<TeamsProposalDoc | undefined> {
  if (typeof id !== 'string' || id.length > 64) return undefined;
  const Proposals = await deps.scheduling.store.tenantModel(ctx, TeamsProposal);
  const doc = await Proposals.findById(id).lean();
  return doc && doc.expiresAt > new Date() ? doc : undefined;
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

  const names = new Map(input.attendees.map((a) => [a.email.toLowerCase(), a.name ?? a.email]));
  const name = (email: string) => names.get(email) ?? email;
  const optional = input.attendees.filter((a) => a.optional).map((a) => a.email.toLowerCase());
  const people = input.attendees.map((a) => a.name ?? a.email);
  const notes = [...(input.notes ?? [])];
  const unknown = result.unknown.filter((u) => u.email !== asker.user.email);
  if (unknown.length > 0) {
    notes.push(
      `Quorum cannot see the calendars of ${unknown.map((u) => name(u.email)).join(', ')}; these times fit everyone else.`,
    );
  }
  if (result.unknown.some((u) => u.email === asker.user.email)) {
    notes.push(
      'Quorum cannot read your own calendar right now: connect it again in Quorum (send "connect").',
    );
  }
  if (input.unresolved.length > 0) {
    notes.push(
      `Left out, as I could not tell who they are: ${input.unresolved.join(', ')}. Mention people so Teams links them, or write their email.`,
    );
  }
  return slotsCard({
    title: taken
      ? 'That time is not free for everyone. The nearest times that are:'
      : `Best times for ${input.durationMinutes} min${people.length > 0 ? ` with ${people.join(', ')}` : ''}`,
    understood: input.describe,
    slots: result.slots.map((slot) => {
      const busy = optional.filter((e) => !slot.available.includes(e)).map(name);
      return {
        start: slot.start,
        end: slot.end,
        data: { p: proposal._id, s: slot.start },
        ...(busy.length > 0 ? { detail: `Optional, busy: ${busy.join(', ')}` } : {}),
      };
    }),
    notes,
    emptyHint:
      'No time in that window works for everyone required. Try a longer window ("next 2 weeks"), a shorter meeting, fewer required people, or "poll …" to let people vote.',
  });
}
