// Events of the local calendar: the only calendar contents Quorum keeps, because it is the
// calendar (the embedded default and demos, where no Google/Microsoft/CalDAV account exists).
//
// Two collections:
// - `local_calendar_events`: one document per event. Its `_id` is an ObjectId derived from the
//   owner's calendar id and the request that made it (`localEventId`), so a retried create finds
//   its event by exact `_id` and a unique insert is what makes it once.
// - `local_calendar_weeks`: per person and week (`<email>:<monday yyyy-mm-dd>`, UTC), the events
//   that block that person that week (owned or attended), as `{events: {<event id>: {start,
//   end}}}`. Free/busy reads these by exact `_id` for the weeks a range covers, and never the
//   whole collection.
import { createHash } from 'node:crypto';
import { Schema, Types } from 'mongoose';
import { defineModel } from '../../store/store.ts';
import { occurrencesOf } from '../../scheduling/recurrence/series.ts';
import type { RecurrenceRule } from '../../scheduling/recurrence/rule.ts';
import type { SeriesExceptions } from '../../scheduling/recurrence/series.ts';

export interface LocalEventDoc {
  _id: Types.ObjectId;
  /** The owner's calendar id: their email, lower-cased. */
  calendarId: string;
  /** The booking request that made the event; with the owner it makes the event's `_id`. */
  requestId: string;
  /** Stored sealed, like `description` (LOCAL_EVENT_TITLES). */
  title: string;
  start: Date;
  end: Date;
  timeZone: string;
  attendees: { email: string; name?: string; optional?: boolean }[];
  description?: string;
  location?: string;
  joinUrl?: string;
  /** A series: `start`/`end` are its first occurrence, the wall-clock time kept in `timeZone`. */
  recurrence?: RecurrenceRule;
  /** The series' cancelled and moved occurrences, by original start. */
  exceptions?: SeriesExceptions;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * How an event's title and description are sealed (core/privacy/sealed-titles.ts): they say
 * what a meeting is about ("Board prep"), and a booking's description is its agenda.
 */
export const LOCAL_EVENT_TITLES = {
  collection: 'local_calendar_events',
  what: 'calendar event',
  fields: ['title', 'description'],
} as const;

export const LocalEvent = defineModel<LocalEventDoc>(
  'LocalCalendarEvent',
  new Schema<LocalEventDoc>(
    {
      calendarId: { type: String, required: true, lowercase: true, trim: true },
      requestId: { type: String, required: true },
      title: { type: String, required: true },
      start: { type: Date, required: true },
      end: { type: Date, required: true },
      timeZone: { type: String, required: true },
      attendees: {
        type: [
          {
            _id: false,
            email: { type: String, required: true, lowercase: true, trim: true },
            name: String,
            optional: Boolean,
          },
        ],
        default: [],
      },
      description: String,
      location: String,
      joinUrl: String,
      recurrence: { type: Schema.Types.Mixed, default: undefined },
      exceptions: { type: Schema.Types.Mixed, default: undefined },
    },
    { collection: 'local_calendar_events', versionKey: false, timestamps: true },
  ),
);

/** The event's `_id`: the same owner and request always name the same event. */
export function localEventId(calendarId: string, requestId: string): Types.ObjectId {
  const digest = createHash('sha256')
    .update(`${calendarId.trim().toLowerCase()}\n${requestId}`)
    .digest('hex');
  return new Types.ObjectId(digest.slice(0, 24));
}

/** An event's place in a week document: what free/busy needs, nothing else. */
export interface WeekEntry {
  start: Date;
  end: Date;
}

export interface LocalWeekDoc {
  /** `<email>:<yyyy-mm-dd of the week's Monday, UTC>`. */
  _id: string;
  /** Event id (hex) -> its times. */
  events: Record<string, WeekEntry>;
}

export const LocalWeek = defineModel<LocalWeekDoc>(
  'LocalCalendarWeek',
  new Schema<LocalWeekDoc>(
    {
      _id: { type: String, required: true },
      events: { type: Schema.Types.Mixed, default: {} },
    },
    { collection: 'local_calendar_weeks', versionKey: false, minimize: false },
  ),
);

const WEEK_MS = 7 * 86_400_000;
/** 1970-01-05 was a Monday. */
const FIRST_MONDAY_MS = 4 * 86_400_000;

/** The Mondays (UTC, as yyyy-mm-dd) of every week that [start, end) touches. */
export function weeksOf(start: Date, end: Date): string[] {
  const first =
    Math.floor((start.getTime() - FIRST_MONDAY_MS) / WEEK_MS) * WEEK_MS + FIRST_MONDAY_MS;
  const weeks: string[] = [];
  for (let monday = first; monday < end.getTime(); monday += WEEK_MS) {
    weeks.push(new Date(monday).toISOString().slice(0, 10));
  }
  return weeks;
}

export function weekDocId(email: string, week: string): string {
  return `${email}:${week}`;
}

/** Everyone an event blocks: its owner and every attendee. */
export function blockedBy(event: Pick<LocalEventDoc, 'calendarId' | 'attendees'>): string[] {
  return [...new Set([event.calendarId, ...event.attendees.map((a) => a.email)])];
}

type Placed = Pick<
  LocalEventDoc,
  '_id' | 'calendarId' | 'attendees' | 'start' | 'end' | 'timeZone' | 'recurrence' | 'exceptions'
>;

/**
 * The busy entries of an event: one for a single event (keyed by its id), one per occurrence of a
 * series that is not cancelled (keyed `<id>_<occurrence index>`, at its moved time if moved).
 */
export function busyEntriesOf(event: Placed): { key: string; start: Date; end: Date }[] {
  const id = event._id.toHexString();
  if (!event.recurrence) return [{ key: id, start: event.start, end: event.end }];
  const spec = {
    rule: event.recurrence,
    timeZone: event.timeZone,
    start: event.start,
    durationMinutes: (event.end.getTime() - event.start.getTime()) / 60_000,
  };
  return occurrencesOf(spec, event.exceptions ?? { cancelled: [], moved: [] })
    .filter((o) => o.status !== 'cancelled')
    .map((o) => ({ key: `${id}_${o.index}`, start: o.start, end: o.end }));
}

/** The event id a busy entry's key belongs to. */
export function eventIdOfEntry(key: string): string {
  return key.split('_')[0]!;
}

/** Week document id -> `events.<entry key>` -> entry: where an event's busy entries belong. */
export function placementsOf(event: Placed): Map<string, Record<string, WeekEntry>> {
  const placed = new Map<string, Record<string, WeekEntry>>();
  const people = blockedBy(event);
  for (const entry of busyEntriesOf(event)) {
    for (const week of weeksOf(entry.start, entry.end)) {
      for (const email of people) {
        const doc = weekDocId(email, week);
        placed.set(doc, {
          ...placed.get(doc),
          [`events.${entry.key}`]: { start: entry.start, end: entry.end },
        });
      }
    }
  }
  return placed;
}
