// The CalendarProvider port: what the scheduler needs from any calendar system.
//
// Calendar contents are never persisted by Quorum: providers are asked for free/busy and
// upcoming events on demand, and only the events Quorum creates are remembered (by the caller).

import type { RecurrenceRule } from '../scheduling/recurrence/rule.ts';

export type ProviderKind = 'google' | 'microsoft' | 'caldav' | 'local';

/** `busy` and `oof` block a slot; `tentative` lowers its score; `free` is ignored. */
export type BusyStatus = 'busy' | 'oof' | 'tentative' | 'free';

/** A half-open interval [start, end) in epoch milliseconds. */
export interface BusyInterval {
  start: number;
  end: number;
  status: BusyStatus;
}

export type CalendarLookup =
  | { ok: true; busy: BusyInterval[] }
  | { ok: false; reason: 'not-found' | 'forbidden' | 'timeout' | 'error'; message: string };

export interface FreeBusyRequest {
  /** Calendar ids as the provider knows them (usually email addresses). */
  calendars: string[];
  start: Date;
  end: Date;
}

/** Result per requested calendar id; a calendar the provider could not read says why. */
export type FreeBusyResult = Record<string, CalendarLookup>;

export type OnlineMeetingKind = 'teams' | 'meet' | 'zoom' | 'none';

export interface EventAttendee {
  email: string;
  name?: string;
  optional?: boolean;
}

export interface EventInput {
  title: string;
  start: Date;
  end: Date;
  /** The organizer's IANA zone, so the event shows in local time in their calendar. */
  timeZone: string;
  attendees: EventAttendee[];
  description?: string;
  location?: string;
  onlineMeeting: OnlineMeetingKind;
  /** A join URL made elsewhere (a Zoom meeting) to put into the event. */
  joinUrl?: string;
  /** Stable id for the request, so a retried create never makes two events. */
  requestId: string;
  /**
   * Makes the event a series (RRULE, Graph recurrence pattern): `start`/`end` are then its first
   * occurrence and the wall-clock time is kept in `timeZone`.
   */
  recurrence?: RecurrenceRule;
}

/** A series as made by createEvent: the first occurrence, its rule and zone. */
export interface SeriesOnCalendar {
  rule: RecurrenceRule;
  timeZone: string;
  start: Date;
  end: Date;
}

/**
 * One change of a booked series. An occurrence is named by its original start (RECURRENCE-ID,
 * Google's originalStartTime, Graph's occurrence start), whether or not it was moved since.
 */
export type SeriesChange =
  | { kind: 'cancel-occurrence'; original: Date }
  | { kind: 'move-occurrence'; original: Date; start: Date; end: Date }
  /** Cancels the occurrence at `original` and every one after it (the series ends before it). */
  | { kind: 'end-series'; original: Date };

export interface CreatedEvent {
  providerEventId: string;
  joinUrl?: string;
  webLink?: string;
  iCalUid?: string;
}

export interface UpcomingEvent {
  providerEventId: string;
  title: string;
  start: Date;
  end: Date;
  attendees: string[];
  joinUrl?: string;
}

export interface CalendarProvider {
  readonly kind: ProviderKind;
  freeBusy(request: FreeBusyRequest, signal?: AbortSignal): Promise<FreeBusyResult>;
  createEvent(input: EventInput, signal?: AbortSignal): Promise<CreatedEvent>;
  updateEvent(
    providerEventId: string,
    input: EventInput,
    signal?: AbortSignal,
  ): Promise<CreatedEvent>;
  deleteEvent(providerEventId: string, signal?: AbortSignal): Promise<void>;
  /** Cancels or moves one occurrence of a series, or ends it early. */
  changeSeries(
    providerEventId: string,
    series: SeriesOnCalendar,
    change: SeriesChange,
    signal?: AbortSignal,
  ): Promise<void>;
  upcoming(
    range: { start: Date; end: Date; limit?: number },
    signal?: AbortSignal,
  ): Promise<UpcomingEvent[]>;
}

/**
 * Where a provider gets its OAuth access token. The identity layer implements it over the
 * encrypted grant; `refresh` is called at most once per request after a 401.
 */
export interface AccessTokenSource {
  accessToken(): Promise<string>;
  refresh(): Promise<string>;
}

/** The user revoked access (or the refresh token expired): the connection needs reconnecting. */
export class GrantRevokedError extends Error {
  override name = 'GrantRevokedError';
}

/** A provider call failed in a way the caller can report ("availability unknown for X"). */
export class ProviderError extends Error {
  override name = 'ProviderError';
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super(message);
    this.status = status;
  }
}
