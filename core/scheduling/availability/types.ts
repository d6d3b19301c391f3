// The availability engine's typed API. Instants are epoch milliseconds; wall-clock times are
// "HH:MM" strings read in the attendee's own time zone.
import type { RecurrenceRule } from '../recurrence/rule.ts';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const BUSY_STATUSES = ['busy', 'oof', 'tentative', 'free'] as const;
/** `busy` and `oof` block a slot, `tentative` only lowers its score, `free` is ignored. */
export type BusyStatus = (typeof BUSY_STATUSES)[number];

export const PARTS_OF_DAY = ['morning', 'afternoon', 'evening'] as const;
export type PartOfDay = (typeof PARTS_OF_DAY)[number];

/**
 * One working period, applied to every local date whose weekday is in `days`. `end` may be
 * "24:00"; an `end` before `start` ends on the next day (22:00–06:00 is a night shift).
 */
export interface WorkingHoursRule {
  days: readonly Weekday[];
  start: string;
  end: string;
}

/**
 * Hours of every day, in the attendee's zone, outside which they are never to be asked to meet
 * ("never before 07:00, never after 21:00" is 07:00–21:00). An `end` before `start` crosses
 * midnight. Holds whatever the working-hours mode.
 */
export interface AcceptableHours {
  start: string;
  end: string;
}

/**
 * `required` (the default): a slot lies inside every required attendee's working hours.
 * `preferred`: working hours stop being a constraint; each slot says who it asks to meet
 * outside their hours and for how long (`Slot.outsideHours`), and the ranked slots put the
 * least time outside hours first.
 */
export const WORKING_HOURS_MODES = ['required', 'preferred'] as const;
export type WorkingHoursMode = (typeof WORKING_HOURS_MODES)[number];

export interface BusyInterval {
  start: number;
  end: number;
  status: BusyStatus;
}

export interface AttendeeAvailability {
  id: string;
  /** IANA zone the working hours are read in. */
  timeZone: string;
  /** Optional attendees never block a slot; they only affect its score. */
  optional: boolean;
  /** Empty means the attendee can meet at any time. */
  workingHours: readonly WorkingHoursRule[];
  /** When given, a slot must lie wholly inside these hours (both working-hours modes). */
  acceptableHours?: AcceptableHours;
  busy: readonly BusyInterval[];
}

export interface SlotPreferences {
  partOfDay?: PartOfDay;
  days?: readonly Weekday[];
}

export interface SlotSearch {
  /** Zone whose wall clock aligns slot starts and reads preferences (the organizer's). */
  timeZone: string;
  windowStart: number;
  windowEnd: number;
  durationMinutes: number;
  /** Slot starts fall on wall-clock minutes of the day (in `timeZone`) that are multiples of this. */
  granularityMinutes: number;
  /** Free time required before and after the slot, against blocking busy intervals. */
  bufferMinutes: number;
  minNoticeMinutes: number;
  now: number;
  attendees: readonly AttendeeAvailability[];
  preferences?: SlotPreferences;
  /** Whether working hours constrain slots or only measure them; `required` when absent. */
  workingHours?: WorkingHoursMode;
  /**
   * A series: a slot is its first occurrence, offered only when every occurrence is feasible
   * (see series.ts). The window bounds the first occurrence only.
   */
  recurrence?: RecurrenceRule;
}

/** One score component: `value` in [0, 1]; the slot's score is the sum of value × weight. */
export interface ScorePart {
  value: number;
  weight: number;
  note: string;
}

export interface Slot {
  start: number;
  end: number;
  /** In [0, 1], rounded to 4 decimals; ranking uses this rounded value, then the earlier start. */
  score: number;
  /** Attendee ids in request order: every required attendee, and the optional ones who can come. */
  available: string[];
  unavailable: string[];
  reasons: Record<string, ScorePart>;
  /**
   * With `workingHours: 'preferred'` only: each attendee (request order, required or optional)
   * asked to meet for at least one minute outside their working hours, and for how many (for a
   * series, summed over its occurrences).
   */
  outsideHours?: OutsideHours[];
  /** With a recurrence only: every occurrence, the first being the slot itself. */
  occurrences?: Array<{ start: number; end: number }>;
}

export interface OutsideHours {
  id: string;
  minutes: number;
}
