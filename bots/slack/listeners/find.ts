// Finding times and offering them as buttons: `/meet find`, `/meet book`, follow-ups, the
// message shortcut and "taken meanwhile" all end here. The people are resolved, the core
// finds the slots, the proposal is stored and the buttons point at it.
import type { webApi } from '@slack/bolt';
import type { Slot, SlotPreferences } from '../../../core/scheduling/availability/index.ts';
import { findTimes, type FindTimesResult } from '../../../core/scheduling/find-times.ts';
import type { SlackMessage } from '../render/help.ts';
import { escapeText, fitList } from '../render/limits.ts';
import { connectCalendarButtons } from '../render/notices.ts';
import { MAX_SLOTS_SHOWN, slotListMessage } from '../render/slots.ts';
import type { Asker, SlackDeps } from '../middleware/context.ts';
import type { ProposalDoc } from '../store/polls.ts';

export const PICK_ACTION = 'quorum.slot.pick';

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
  /** Shown above the times ("I understood: …"), as mrkdwn already escaped. */
  describe: string;
  notes?: string[];
  /** Slots already found (a follow-up or "taken meanwhile"): no new search. */
  found?: FindTimesResult;
}

/** The organizer and the people asked, each once; never the organizer as their own attendee. */
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

async function search(deps: SlackDeps, asker: Asker, input: ProposeInput) {
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
    const dayAround = {
      start: new Date(Math.max(Date.now(), start.getTime() - 86_400_000)),
      end: new Date(start.getTime() + 3 * 86_400_000),
    };
    const others = await findTimes(deps.scheduling, asker.ctx, {
      ...request,
      window: dayAround,
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
  deps: SlackDeps,
  client: webApi.WebClient,
  asker: Asker,
  input: ProposeInput,
): Promise<SlackMessage> {
  const { result, taken } = input.found
    ? { result: input.found, taken: false }
    : await search(deps, asker, input);
  const proposal = await deps.proposals.save(asker.ctx, {
    organizerId: asker.user._id,
    teamId: asker.ws.teamId,
    channelId: input.channelId,
    threadTs: input.threadTs,
    title: input.title,
    durationMinutes: input.durationMinutes,
    attendees: input.attendees,
    followUpOf: input.followUpOf ?? null,
    slots: result.slots.map((s) => ({ start: new Date(s.start), end: new Date(s.end) })),
  });
  return slotMessage(deps, asker, input, result, proposal, taken);
}

function slotMessage(
  deps: SlackDeps,
  asker: Asker,
  input: ProposeInput,
  result: FindTimesResult,
  proposal: ProposalDoc,
  taken: boolean,
): SlackMessage {
  const names = new Map(input.attendees.map((a) => [a.email.toLowerCase(), a.name ?? a.email]));
  const name = (email: string) => escapeText(names.get(email) ?? email);
  const optional = input.attendees.filter((a) => a.optional).map((a) => a.email.toLowerCase());
  const people = input.attendees.map((a) => name(a.email.toLowerCase()));
  const organizerUnreadable = result.unknown.find((u) => u.email === asker.user.email);
  const intro = [
    taken
      ? ':hourglass: That time is not free for everyone. The nearest times that are:'
      : `*Best times for ${input.durationMinutes} min*${people.length > 0 ? ` with ${fitList(people, 1200)}` : ''}`,
    `_${input.describe}_`,
  ].join('\n');
  const notes = [...(input.notes ?? [])];
  return slotListMessage({
    intro,
    slots: result.slots.map((slot: Slot) => ({
      start: slot.start,
      end: slot.end,
      optionalFree: optional.filter((e) => slot.available.includes(e)).map(name),
      optionalBusy: optional.filter((e) => !slot.available.includes(e)).map(name),
      value: `${proposal._id}|${slot.start}`,
    })),
    actionId: PICK_ACTION,
    buttonText: 'Book…',
    unknown: result.unknown.map((u) => ({ ...u, name: names.get(u.email) ?? u.email })),
    unresolved: input.unresolved,
    notes,
    emptyHint:
      'No time in that window works for everyone required. Try a longer window ("next 2 weeks"), a shorter meeting, fewer required people, or `/meet poll …` to let people vote.',
    ...(organizerUnreadable
      ? { extraActions: connectCalendarButtons(deps.baseUrl, deps.calendars.oauthProviders) }
      : {}),
  });
}
