// The assistant's answers as plain data: what a surface shows, never how. Slack renders them
// as Block Kit (bots/slack/render/), Teams as Adaptive Cards, the web app as JSON. Times are
// epoch milliseconds with the zone to show them in; text is plain (a renderer escapes it for
// its markup); a problem says what happened and what the person can do about it.
import type { RecurrenceRule } from '../scheduling/recurrence/rule.ts';
import type { OccurrenceConflict } from '../scheduling/series-times.ts';
import type { Slot } from '../scheduling/availability/index.ts';
import type { Unreadable } from '../scheduling/find-times.ts';
import type { LocalTime } from '../scheduling/local-times.ts';
import type { BookingDoc } from '../scheduling/booking/booking-model.ts';

export interface Person {
  email: string;
  name?: string;
  optional: boolean;
}

/** Something that went wrong that the person can act on. */
export interface Problem {
  kind: 'problem';
  /**
   * `expired`: the offered times are gone; `not-yours`: offered to someone else;
   * `link-unavailable`: the meeting link needs another calendar connected; `calendar-busy`:
   * the provider refused just now; `in-progress`: the same booking is being made; `not-found`,
   * `not-organizer`, `cancelled`, `not-a-colleague`: as the booking service says;
   * `no-meeting`: nothing to act on (no meeting booked, none recorded); polls: `no-people`
   * (nobody to vote), `no-times` (nothing to vote on), `not-invited`, `closed`, `bad-vote`.
   */
  code:
    | 'expired'
    | 'not-yours'
    | 'link-unavailable'
    | 'calendar-busy'
    | 'in-progress'
    | 'not-found'
    | 'not-organizer'
    | 'cancelled'
    | 'not-a-colleague'
    | 'no-meeting'
    | 'no-people'
    | 'no-times'
    | 'not-invited'
    | 'closed'
    | 'invalid-link'
    | 'bad-vote'
    | 'invalid-series'
    | 'not-a-series';
  message: string;
  /** What the person can do about it, when there is something (plain text). */
  whatToDo?: string;
  /** The person should connect a calendar (a surface adds its connect buttons). */
  connectCalendar?: boolean;
}

/** A plain notice: nothing to choose, nothing wrong. */
export interface Notice {
  kind: 'notice';
  message: string;
}

export interface OfferedSlot {
  start: number;
  end: number;
  /** Optional people (emails) free then, and busy then. */
  optionalFree: string[];
  optionalBusy: string[];
  /** Each person whose calendar was read, on their own clock and against their hours. */
  people: LocalTime[];
}

/** Said above least-burden times, the same on every surface. */
export const LEAST_BURDEN_INTRO =
  'No time lies inside everyone’s working hours. These ask the least time outside them; nobody’s “never” hours are used.';

/** Times offered to choose from, stored as a proposal so a choice names only its id. */
export interface SlotsReply {
  kind: 'slots';
  proposalId: string;
  /** An exact time was asked for and is not free for everyone: these are the nearest. */
  taken: boolean;
  durationMinutes: number;
  timeZone: string;
  title: string | null;
  attendees: Person[];
  slots: OfferedSlot[];
  /**
   * No time lay inside every required person's working hours: these slots ask the least time
   * outside them (each slot's `people` say whose and how long). Surfaces say LEAST_BURDEN_INTRO.
   */
  leastBurden: boolean;
  /** Calendars that could not be read (guests included), the asker's own among them if so. */
  unknown: Unreadable[];
  /** Whether the asker's own calendar could not be read (a surface offers to connect it). */
  ownCalendarUnreadable: boolean;
  /** Mentions that could not be turned into people. */
  unresolved: string[];
  /** What was understood ("I understood: …"), plain text. */
  understood: string;
  notes: string[];
  /** The times are first meetings of this series; every meeting of each is free. */
  recurrence?: RecurrenceRule;
}

/** A booking made (or found already made for the same request). */
export interface BookedReply {
  kind: 'booked';
  booking: BookingDoc;
  alreadyBooked: boolean;
  /** A series booked with conflicts allowed: the meetings someone required is busy for. */
  conflicts?: OccurrenceConflict[];
  /** Whether a meeting record goes with it (agenda, summaries). */
  meetingId: string | null;
  /**
   * Where to announce it: the origin of the times offered (a surface posts the confirmation
   * there, and to the organizer when it may not). Absent when nothing is to be announced.
   */
  announce: { platform: string; reference: string; thread: string | null } | null;
  notes: string[];
}

/**
 * How a new poll's voting links reach people: `emailed` got their own link by email (queued
 * once per person); `shareByHand` must be given theirs by the organizer (email is off, or the
 * person was not emailed). People who vote in the asking chat are in neither.
 */
export interface PollLinksSent {
  emailOn: boolean;
  emailed: string[];
  shareByHand: Array<{ email: string; url: string }>;
}

/** The next meeting of the person, with its join link. */
export interface NextReply {
  kind: 'next';
  meeting: {
    bookingId: string;
    title: string;
    start: number;
    end: number;
    timeZone: string;
    joinUrl: string | null;
    organizerEmail: string;
    attendees: Person[];
  } | null;
}

/** The time chosen is no longer free (or the same booking is being made right now). */
export interface UnavailableReply {
  kind: 'unavailable';
  reason: 'slot-taken' | 'in-progress';
  message: string;
  alternatives: Slot[];
}

export type Reply = Problem | Notice | SlotsReply | BookedReply | UnavailableReply | NextReply;

export function problem(
  code: Problem['code'],
  message: string,
  whatToDo?: string,
  extra: Partial<Pick<Problem, 'connectCalendar'>> = {},
): Problem {
  return { kind: 'problem', code, message, ...(whatToDo ? { whatToDo } : {}), ...extra };
}

export function notice(message: string): Notice {
  return { kind: 'notice', message };
}
