// rotation: a weekly meeting for a team whose working hours share no time, as two or three times
// taking turns, so the meetings outside someone's hours are shared fairly — and remembered per
// team, so the next rotation starts with whoever carried least taking the first late turn.
//
//   const reply = await assistant.rotation.plan(asker, {
//     attendees: [{ email, name?, optional }],   // never the organizer
//     durationMinutes: 30,
//     window: { start, end },                    // the first week (first 7 days used)
//     count: 12,                                 // meetings in all, one a week
//     title: string | null, preferences?,
//   });
//   // -> RotationReply | Problem ('no-times': no time works every week)
//
//   const booked = await assistant.rotation.book(asker, {
//     ...reply.booking,                          // as the plan gave it
//     title, linkType, idempotencyKey?,          // from the surface's form
//     origin: { platform: 'slack', reference, thread },
//   });
//   // -> RotationBookedReply | Problem ('slot-taken': a time was taken meanwhile, nothing stays
//   //    booked; 'invalid-series': the times do not make a rotation; 'cancelled', …)
//
// A rotation is booked as one series per time, each every k weeks (k = number of times), the
// i-th starting in week i, so they interleave. If a later series fails, the earlier are cancelled.
import { randomUUID } from 'node:crypto';
import type { LinkType } from '../identity/user-settings.ts';
import type { Logger } from '../logger.ts';
import type { SlotPreferences } from '../scheduling/availability/index.ts';
import type { BookingService } from '../scheduling/booking/booking-service.ts';
import type { BookingDoc } from '../scheduling/booking/booking-model.ts';
import type { SchedulingDeps, Unreadable } from '../scheduling/find-times.ts';
import type { LocalTime } from '../scheduling/local-times.ts';
import { addCarried, carriedBy } from '../scheduling/rotation/burden.ts';
import {
  outsideCounts,
  rotationCandidates,
  type RotationCandidates,
} from '../scheduling/rotation/candidates.ts';
import { DateTime } from 'luxon';
import { zoneNamed } from '../time-zones.ts';
import { planRotation, shareOf } from '../scheduling/rotation/plan.ts';
import { MAX_HORIZON_DAYS, type RecurrenceRule } from '../scheduling/recurrence/rule.ts';
import { expandSeries } from '../scheduling/recurrence/expand.ts';
import type { Store } from '../store/store.ts';
import type { Asker, Origin } from './asker.ts';
import { bookingProblem, type Book } from './book.ts';
import { problem, type Person, type Problem, type SlotsReply } from './replies.ts';

export interface RotationRequest {
  attendees: Person[];
  durationMinutes: number;
  window: { start: Date; end: Date };
  /** Meetings in all, one a week (2–60). */
  count: number;
  title: string | null;
  preferences?: SlotPreferences;
}

/** What booking a plan takes: hand it back to `rotation.book` with the surface's form. */
export interface RotationBooking {
  attendees: Person[];
  durationMinutes: number;
  count: number;
  /** Each time's first meeting (epoch ms), in turn order: the i-th is in week i. */
  starts: number[];
}

export interface RotationBookRequest extends RotationBooking {
  title: string;
  linkType: LinkType;
  description?: string;
  /** The same key books once (a double click); absent: every call is a new attempt. */
  idempotencyKey?: string;
  origin: Origin;
}

/** Said above every rotation plan, the same on every surface. */
export const ROTATION_INTRO =
  'No single time lies inside everyone’s working hours every week. These times take turns, so the meetings outside someone’s hours are shared.';

/**
 * A rotation plan. `times` are the times taking turns (label "A", "B", "C"), each with its
 * first meeting on every person's clock; `meetings` says, week by week, which time it is and
 * who is outside their hours then; `people` has, for each person counted, their meetings outside
 * hours in this series (`outside`) and in the team's booked rotations before (`carriedBefore`).
 * `largest` is the largest `outside` (kept as small as possible) and `singleTimeLargest` what the
 * best single time would ask of someone (the count). `oneTimeSuits`: some time is inside
 * everyone's hours every week, so no rotation is needed (then `times` has that one time).
 * Instants are epoch ms; show them in `timeZone` (the organizer's) or the viewer's own.
 *
 * For renderers: say `intro` and `summary`; list `times[].text` (or its `start`/`end` in the
 * viewer's zone with `times[].people[].text`, each person's clock, under it); show `people[].text`
 * (or a table of name, `outside`, `carriedBefore`); and offer a button that hands `booking` back
 * to `rotation.book` with a title, link type and idempotency key (it is small: two or three
 * instants, the attendees, the count). When `oneTimeSuits`, book the one time as an ordinary
 * weekly series instead (`book.direct` with a recurrence); `rotation.book` refuses one time.
 */
export interface RotationReply {
  kind: 'rotation';
  intro: string;
  /** "With one time, someone would be outside their hours at all 12 meetings; taking turns, …" */
  summary: string;
  oneTimeSuits: boolean;
  timeZone: string;
  title: string | null;
  durationMinutes: number;
  count: number;
  attendees: Person[];
  times: Array<{
    label: string;
    /** First meeting of this time (week `firstWeek`, 0-based). */
    start: number;
    end: number;
    firstWeek: number;
    everyWeeks: number;
    meetings: number;
    /** Emails of the people outside their hours at this time (in any week). */
    outside: string[];
    /** Every person's clock at its first meeting. */
    people: LocalTime[];
    /** "Time A: Tue 8 Dec 15:00–15:30 Europe/Berlin, then every 2 weeks (6 meetings); outside hours for Lee Wong" */
    text: string;
  }>;
  meetings: Array<{ index: number; time: string; start: number; end: number; outside: string[] }>;
  people: Array<{
    email: string;
    name: string;
    timeZone: string;
    outside: number;
    carriedBefore: number;
    /** "Lee Wong: 3 of 6 meetings outside working hours (4 in rotations booked before)" */
    text: string;
  }>;
  largest: number;
  total: number;
  singleTimeLargest: number;
  unknown: Unreadable[];
  booking: RotationBooking;
}

/** What a chat surface asked for, as far as offering a rotation beside it goes. */
export interface RotationAsk {
  attendees: Person[];
  durationMinutes: number;
  window: { start: Date; end: Date };
  title: string | null;
  recurrence?: RecurrenceRule | undefined;
  exactStart?: Date | undefined;
  preferences?: SlotPreferences | undefined;
}

export interface RotationBookedReply {
  kind: 'rotation-booked';
  /** One series per time, in turn order. */
  bookings: BookingDoc[];
  alreadyBooked: boolean;
  /** Meetings outside hours per person in this rotation, and carried in all after it. */
  counts: Record<string, number>;
  carried: Record<string, number>;
  message: string;
}

const LABELS = ['A', 'B', 'C'];

/** A weekly rotation's meetings all lie within a series' horizon (400 days: 58 weeks). */
export const MAX_ROTATION_MEETINGS = Math.floor(MAX_HORIZON_DAYS / 7) + 1;
const WEEK_MS = 7 * 86_400_000;

export interface RotationDeps {
  store: Store;
  scheduling: SchedulingDeps;
  bookings: BookingService;
  /** Every series goes through `book.direct`, so each has its meeting record. */
  book: Book;
  logger: Logger;
}

export class Rotation {
  readonly #deps: RotationDeps;

  constructor(deps: RotationDeps) {
    this.#deps = deps;
  }

  /** The fairest rotation for the team, its order set by the burden the team carried. */
  async plan(asker: Asker, request: RotationRequest): Promise<RotationReply | Problem> {
    if (request.count < 4 || request.count > MAX_ROTATION_MEETINGS) {
      return problem(
        'invalid-series',
        `A rotation has 4 to ${MAX_ROTATION_MEETINGS} meetings (a series spans at most 400 days).`,
      );
    }
    const question = {
      organizerEmail: asker.user.email,
      attendees: request.attendees.map((a) => ({ email: a.email, optional: a.optional })),
      durationMinutes: request.durationMinutes,
      window: request.window,
      count: request.count,
      ...(request.preferences ? { preferences: request.preferences } : {}),
    };
    const found = await rotationCandidates(this.#deps.scheduling, asker.ctx, question);
    const emails = found.counted.map((p) => p.email);
    const carried = await carriedBy(this.#deps.store, asker.ctx, teamOf(asker, request.attendees));
    const plan = planRotation({
      people: emails,
      candidates: found.times.map((t) => ({ id: String(t.start), outside: t.outside })),
      count: request.count,
      carried,
      // Each time of a rotation meets at least twice (a series has two meetings or more).
      maxTimes: Math.floor(request.count / 2),
    });
    if (!plan) {
      return problem(
        'no-times',
        'No time is free for everyone every week of the series.',
        'Try another week, fewer meetings or a shorter meeting.',
      );
    }
    return replyOf(request, found, carried, plan.times);
  }

  /**
   * The rotation to offer beside a find's reply, the one rule every chat surface follows: a
   * weekly series (every week, 4 meetings or more) whose search found no time inside everyone's
   * hours — or none at all — is also offered as a fair rotation. Undefined when one time suits
   * everyone, nothing works every week, or a named time was asked for (it is checked as asked).
   */
  async alongside(
    asker: Asker,
    ask: RotationAsk,
    found: Pick<SlotsReply, 'leastBurden' | 'slots'>,
  ): Promise<RotationReply | undefined> {
    const rule = ask.recurrence;
    if (rule?.frequency !== 'weekly' || rule.interval !== 1 || !rule.count || rule.count < 4) {
      return undefined;
    }
    if (ask.exactStart || (!found.leastBurden && found.slots.length > 0)) return undefined;
    const plan = await this.plan(asker, {
      attendees: ask.attendees,
      durationMinutes: ask.durationMinutes,
      window: ask.window,
      count: rule.count,
      title: ask.title,
      ...(ask.preferences ? { preferences: ask.preferences } : {}),
    });
    if (plan.kind === 'problem' || plan.oneTimeSuits || plan.times.length < 2) return undefined;
    return plan;
  }

  /**
   * Books the rotation as one series per time; all or nothing (a failed series cancels the ones
   * booked before it). The team's record grows only when every series was newly booked.
   */
  async book(asker: Asker, request: RotationBookRequest): Promise<RotationBookedReply | Problem> {
    const invalid = invalidRotation(request);
    if (request.count > MAX_ROTATION_MEETINGS) {
      return problem('invalid-series', `A rotation has at most ${MAX_ROTATION_MEETINGS} meetings.`);
    }
    if (invalid) return problem('invalid-series', invalid);
    const key = request.idempotencyKey ?? randomUUID();
    const booked: BookingDoc[] = [];
    let alreadyBooked = true;
    const k = request.starts.length;
    for (const [j, start] of request.starts.entries()) {
      const result = await this.#bookOne(asker, request, key, j, start).catch(bookingProblem);
      if (result.kind === 'problem' || result.kind === 'unavailable') {
        const undone = await this.#undo(asker, booked);
        return problem(
          result.kind === 'problem' ? result.code : 'calendar-busy',
          `Time ${LABELS[j]} could not be booked: ${result.message}${undone}`,
          'Ask for the plan again: the times are checked anew.',
        );
      }
      if (result.booking.status === 'cancelled') {
        return problem('cancelled', 'This rotation was booked and cancelled before.');
      }
      alreadyBooked &&= result.alreadyBooked;
      booked.push(result.booking);
    }
    const meetings = booked.flatMap((b) => meetingsOf(b, asker.settings.timeZone));
    const counts = await outsideCounts(
      this.#deps.scheduling,
      asker.ctx,
      { organizerEmail: asker.user.email, attendees: request.attendees },
      meetings,
    );
    const team = teamOf(asker, request.attendees);
    // A repeated request (same key) books nothing new, so it adds nothing to the record.
    const carried = alreadyBooked
      ? await carriedBy(this.#deps.store, asker.ctx, team)
      : await addCarried(this.#deps.store, asker.ctx, team, counts);
    return {
      kind: 'rotation-booked',
      bookings: booked,
      alreadyBooked,
      counts,
      carried,
      message: `Booked ${request.count} meetings as ${k} times taking turns.`,
    };
  }

  async #bookOne(
    asker: Asker,
    request: RotationBookRequest,
    key: string,
    j: number,
    start: number,
  ) {
    const k = request.starts.length;
    const share = shareOf(j, k, request.count);
    const rule: RecurrenceRule = { frequency: 'weekly', interval: k, count: share };
    return this.#deps.book.direct(asker, {
      title: request.title,
      start: new Date(start),
      end: new Date(start + request.durationMinutes * 60_000),
      attendees: request.attendees,
      linkType: request.linkType,
      ...(request.description ? { description: request.description } : {}),
      idempotencyKey: `${key}:rotation:${j}`,
      origin: request.origin,
      // A time with one meeting (few meetings, three times) is a single booking.
      ...(share > 1 ? { recurrence: rule } : {}),
    });
  }

  /** Cancels what was booked of a rotation that could not be booked whole; says so. */
  async #undo(asker: Asker, booked: BookingDoc[]): Promise<string> {
    if (booked.length === 0) return ' Nothing was booked.';
    for (const booking of booked) {
      await this.#deps.bookings.cancel(asker.ctx, booking._id, asker.user._id).catch((error) => {
        this.#deps.logger.warn({ err: error, bookingId: booking._id }, 'rotation undo failed');
      });
    }
    return ` The time${booked.length > 1 ? 's' : ''} booked before (${booked
      .map((_, i) => LABELS[i])
      .join(
        ', ',
      )}) ${booked.length > 1 ? 'were' : 'was'} cancelled again, so nothing stays booked.`;
  }
}

/** The organizer and the required attendees: whose burden is remembered together. */
function teamOf(asker: Asker, attendees: readonly Person[]): string[] {
  return [asker.user.email, ...attendees.filter((a) => !a.optional).map((a) => a.email)].map((e) =>
    e.toLowerCase(),
  );
}

/** The plan as every surface shows it: times, meetings week by week, each person's counts. */
function replyOf(
  request: RotationRequest,
  found: RotationCandidates,
  carried: Record<string, number>,
  order: readonly string[],
): RotationReply {
  const byStart = new Map(found.times.map((t) => [String(t.start), t]));
  const chosen = order.map((id) => byStart.get(id)!);
  const k = chosen.length;
  const names = new Map(found.counted.map((p) => [p.email, p.name]));
  const nameList = (emails: string[]) => emails.map((e) => names.get(e) ?? e).join(', ');
  // Week by week, as booked: a clock change can move someone in or out of hours for some weeks.
  const meetings = Array.from({ length: request.count }, (_, i) => {
    const week = chosen[i % k]!.weeks[i]!;
    const outside = week.people.filter((p) => p.minutesOutside > 0).map((p) => p.email);
    return { index: i, time: LABELS[i % k]!, start: week.start, end: week.end, outside };
  });
  const people = found.counted.map((p) => {
    const outside = meetings.filter((m) => m.outside.includes(p.email)).length;
    const before = carried[p.email] ?? 0;
    const text = `${p.name}: ${outside} of ${request.count} meetings outside working hours (${before} in rotations booked before)`;
    return { ...p, outside, carriedBefore: before, text };
  });
  const largest = Math.max(0, ...people.map((p) => p.outside));
  const singleTimeLargest = found.times.some((t) => t.outside.length === 0) ? 0 : request.count;
  const times = chosen.map((time, j) => {
    const first = time.weeks[j]!;
    const meetingsOfTime = shareOf(j, k, request.count);
    const outside = time.outside;
    const when = `${clockText(first.start, first.end, found.timeZone)} ${found.timeZone}`;
    const who =
      outside.length > 0 ? `outside hours for ${nameList(outside)}` : 'inside everyone’s hours';
    return {
      label: LABELS[j]!,
      start: first.start,
      end: first.end,
      firstWeek: j,
      everyWeeks: k,
      meetings: meetingsOfTime,
      outside,
      people: first.people,
      text: `Time ${LABELS[j]}: ${when}, then every ${k} weeks (${meetingsOfTime} meetings); ${who}`,
    };
  });
  return {
    kind: 'rotation',
    intro: ROTATION_INTRO,
    summary: `With one time, someone would be outside their hours at all ${singleTimeLargest} meetings; taking turns, nobody is outside them at more than ${largest}.`,
    oneTimeSuits: largest === 0,
    timeZone: found.timeZone,
    title: request.title,
    durationMinutes: request.durationMinutes,
    count: request.count,
    attendees: request.attendees,
    times,
    meetings,
    people,
    largest,
    total: people.reduce((sum, p) => sum + p.outside, 0),
    singleTimeLargest,
    unknown: found.unknown,
    booking: {
      attendees: request.attendees,
      durationMinutes: request.durationMinutes,
      count: request.count,
      starts: times.map((t) => t.start),
    },
  };
}

/** "Tue 8 Dec 15:00–15:30" in a zone. */
function clockText(start: number, end: number, timeZone: string): string {
  const zone = zoneNamed(timeZone);
  const from = DateTime.fromMillis(start, { zone }).setLocale('en-GB');
  return `${from.toFormat('ccc d LLL HH:mm')}–${DateTime.fromMillis(end, { zone }).toFormat('HH:mm')}`;
}

/** Why these starts do not make a rotation (each in its own week, in order), if they do not. */
function invalidRotation(request: RotationBookRequest): string | undefined {
  const { starts, count } = request;
  if (starts.length < 2 || starts.length > 3) return 'A rotation has 2 or 3 times.';
  if (count < starts.length * 2) {
    return `A rotation of ${starts.length} times needs at least ${starts.length * 2} meetings.`;
  }
  const first = starts[0]!;
  const apart = starts.every(
    (s, j) => s - first >= (j - 1) * WEEK_MS && s - first < (j + 1) * WEEK_MS,
  );
  const ordered = starts.every((s, j) => j === 0 || s > starts[j - 1]!);
  if (!apart || !ordered) return 'Each time of a rotation starts in the week after the one before.';
  return undefined;
}

/** The meetings of a booked series (or its one meeting). */
function meetingsOf(booking: BookingDoc, fallbackZone: string) {
  const start = new Date(booking.start);
  const end = new Date(booking.end);
  if (!booking.series) return [{ start: start.getTime(), end: end.getTime() }];
  return expandSeries({
    rule: booking.series.rule,
    timeZone: booking.series.timeZone || fallbackZone,
    start,
    durationMinutes: Math.round((end.getTime() - start.getTime()) / 60_000),
  }).map((o) => ({ start: o.start.getTime(), end: o.end.getTime() }));
}
