import type { RecurrenceRule } from '../recurrence/rule.ts';

/** What the speaker's request is relative to: their clock and their time zone. */
export interface ParseContext {
  now: Date;
  /** The speaker's IANA time zone, e.g. "Europe/Berlin". */
  timeZone: string;
  /** Used when the text names no duration. Default 30. */
  defaultDurationMinutes?: number;
}

export type Mention =
  | { kind: 'user'; /** platform id or handle, e.g. 'U123ABC' or 'ana' */ ref: string }
  | { kind: 'email'; email: string };

export const VERBS = [
  'find',
  'book',
  'poll',
  'followup',
  'agenda',
  'summary',
  'connect',
  'help',
  'cancel',
  'reschedule',
] as const;
export type Verb = (typeof VERBS)[number];

export type PartOfDay = 'morning' | 'afternoon' | 'evening';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type WeekdayName = (typeof WEEKDAYS)[number];

export interface ParsedCommand {
  verb: Verb;
  durationMinutes: number;
  /**
   * Where to search, as instants. Day-sized phrases cover whole local days ("next week" is
   * Monday 00:00 to the following Monday 00:00 in the speaker's zone); no date phrase means
   * now → now + 7 days. For verbs that schedule something the window never starts before `now`.
   */
  window: { start: Date; end: Date };
  /** Set when one specific time was given ("tomorrow 2pm"); the window is then that slot. */
  exactStart?: Date;
  attendees: Mention[];
  preferences: { partOfDay?: PartOfDay; days?: WeekdayName[] };
  /** Text the speaker put in quotes. */
  title?: string;
  /**
   * A repetition ("every other Tuesday for 8 weeks"): the window then bounds the first meeting,
   * and a named weekday is also in `preferences.days`.
   */
  recurrence?: RecurrenceRule;
  /** The speaker's zone the command was read in, for showing times back to them. */
  timeZone: string;
  /** Human-readable list of what was understood, for confirm and error messages. */
  understood: string[];
  /** Words that were not understood and were left out, so an adapter can say so. */
  ignored: string[];
}

export type ParseResult =
  | { ok: true; command: ParsedCommand }
  | { ok: false; error: string; understood: string[]; example: string };
