// find: the best times for a meeting, offered as a proposal to choose from.
//
//   const reply = await assistant.find.offer(asker, {
//     origin: { platform: 'slack', reference: `${teamId}:${channelId}`, thread: null },
//     attendees: [{ email, name?, optional }],   // never the organizer: see attendeesWithout
//     durationMinutes: 30,
//     window: { start, end },                    // searched when no exactStart
//     exactStart?: Date,                         // checked first; taken -> nearest times ±1 day
//     preferences?, title: string | null, followUpOf?, rescheduleOf?,
//     understood: 'I understood: …', notes?: string[], unresolved?: string[],
//     found?: FindTimesResult,                   // slots already found: no new search
//   }, { limit: 8 });                            // how many slots the surface shows
//   // -> SlotsReply (replies.ts); a choice is { proposalId, start } for `book.fromProposal`.
//   // When no time lies inside every required person's working hours, the least-burden times
//   // (`leastBurden: true`), each slot with every person's own clock (`people`).
import type { SlotPreferences } from '../scheduling/availability/index.ts';
import { findTimes, type FindTimesResult, type SchedulingDeps } from '../scheduling/find-times.ts';
import type { Asker, Origin } from './asker.ts';
import type { ProposalStore } from './proposals/store.ts';
import type { Person, SlotsReply } from './replies.ts';
import type { RecurrenceRule } from '../scheduling/recurrence/rule.ts';
import { seriesSlots } from '../scheduling/series-times.ts';
import { firstMeetingWindow } from '../scheduling/recurrence/expand.ts';

export interface FindRequest {
  origin: Origin;
  attendees: Person[];
  unresolved?: string[];
  durationMinutes: number;
  window: { start: Date; end: Date };
  preferences?: SlotPreferences;
  /** One specific time was asked for: check it, and offer others only when it is taken. */
  exactStart?: Date;
  title: string | null;
  followUpOf?: string;
  rescheduleOf?: string;
  /** "I understood: …", plain text. */
  understood: string;
  notes?: string[];
  /** Slots already found (a follow-up or "taken meanwhile"): no new search. */
  found?: FindTimesResult;
  /** A repeating meeting ("weekly", "every other Tuesday"): only first times whose every meeting works. */
  recurrence?: RecurrenceRule;
}

/** First times looked at for a series before its meetings are checked. */
const SERIES_CANDIDATES = 200;

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

export class FindTimes {
  readonly #scheduling: SchedulingDeps;
  readonly #proposals: ProposalStore;

  constructor(deps: { scheduling: SchedulingDeps; proposals: ProposalStore }) {
    this.#scheduling = deps.scheduling;
    this.#proposals = deps.proposals;
  }

  /** Searches (unless `found` is given), stores the proposal and returns the times offered. */
  async offer(asker: Asker, input: FindRequest, options: { limit: number }): Promise<SlotsReply> {
    const searched = input.found
      ? { result: input.found, taken: false }
      : await this.#search(
          asker,
          // A monthly series starts on its rule's day: search the next one if the window has none.
          input.recurrence
            ? {
                ...input,
                window: firstMeetingWindow(input.recurrence, input.window, asker.settings.timeZone),
              }
            : input,
          input.recurrence ? SERIES_CANDIDATES : options.limit,
        );
    const { result, taken } = input.recurrence
      ? { ...searched, result: await this.#series(asker, input, searched.result, options.limit) }
      : searched;
    const proposal = await this.#proposals.save(asker.ctx, {
      organizerId: asker.user._id,
      origin: {
        platform: input.origin.platform,
        reference: input.origin.reference,
        thread: input.origin.thread ?? null,
      },
      title: input.title,
      durationMinutes: input.durationMinutes,
      attendees: input.attendees,
      followUpOf: input.followUpOf ?? null,
      rescheduleOf: input.rescheduleOf ?? null,
      slots: result.slots.map((s) => ({ start: new Date(s.start), end: new Date(s.end) })),
      recurrence: input.recurrence ?? null,
    });
    const optional = input.attendees.filter((a) => a.optional).map((a) => a.email.toLowerCase());
    return {
      kind: 'slots',
      proposalId: proposal._id,
      taken,
      durationMinutes: input.durationMinutes,
      timeZone: result.timeZone,
      title: input.title,
      attendees: input.attendees,
      slots: result.slots.map((slot) => ({
        start: slot.start,
        end: slot.end,
        optionalFree: optional.filter((e) => slot.available.includes(e)),
        optionalBusy: optional.filter((e) => !slot.available.includes(e)),
        people: slot.people ?? [],
      })),
      leastBurden: result.leastBurden ?? false,
      unknown: result.unknown,
      ownCalendarUnreadable: result.unknown.some((u) => u.email === asker.user.email),
      unresolved: input.unresolved ?? [],
      understood: input.understood,
      notes: input.notes ?? [],
      ...(input.recurrence ? { recurrence: input.recurrence } : {}),
    };
  }

  /** Of the first times found, those whose every meeting is free (series-times.ts). */
  async #series(
    asker: Asker,
    input: FindRequest,
    found: FindTimesResult,
    limit: number,
  ): Promise<FindTimesResult> {
    const slots = await seriesSlots(
      this.#scheduling,
      asker.ctx,
      {
        organizerEmail: asker.user.email,
        attendees: input.attendees.map((a) => ({ email: a.email, optional: a.optional })),
        durationMinutes: input.durationMinutes,
        rule: input.recurrence!,
        timeZone: found.timeZone,
      },
      found.slots,
    );
    return { ...found, slots: slots.slice(0, limit) };
  }

  /** The exact time asked for when it is free; else the nearest free times a day around it. */
  async #search(asker: Asker, input: FindRequest, limit: number) {
    const request = {
      organizerEmail: asker.user.email,
      attendees: input.attendees.map((a) => ({ email: a.email, optional: a.optional })),
      durationMinutes: input.durationMinutes,
      ...(input.preferences ? { preferences: input.preferences } : {}),
      // A team across zones may share no working hour: then the times that cost least.
      leastBurden: 'when-needed' as const,
    };
    if (input.exactStart) {
      const start = input.exactStart;
      const end = new Date(start.getTime() + input.durationMinutes * 60_000);
      // The time someone named is checked for conflicts only, even outside working hours.
      const exact = await findTimes(this.#scheduling, asker.ctx, {
        ...request,
        leastBurden: 'never',
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
      const others = await findTimes(this.#scheduling, asker.ctx, {
        ...request,
        window: dayAround,
        limit,
      });
      return { result: others, taken: true };
    }
    const result = await findTimes(this.#scheduling, asker.ctx, {
      ...request,
      window: input.window,
      limit,
    });
    return { result, taken: false };
  }
}
