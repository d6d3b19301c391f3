// Microsoft Graph's calendar payloads: the shapes Quorum reads (checked with zod) and writes.
import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import { describeWithLink } from '../../../core/calendars/event-input.ts';
import {
  ProviderError,
  type BusyStatus,
  type CreatedEvent,
  type EventInput,
  type UpcomingEvent,
} from '../../../core/calendars/provider.ts';

/** Asks Graph to answer every dateTime in UTC, so no Windows zone names need translating. */
export const PREFER_UTC = 'outlook.timezone="UTC"';

const dateTimeTimeZone = z.object({ dateTime: z.string(), timeZone: z.string() });

export const scheduleResponse = z.object({
  value: z.array(
    z.object({
      scheduleId: z.string(),
      scheduleItems: z
        .array(z.object({ status: z.string(), start: dateTimeTimeZone, end: dateTimeTimeZone }))
        .nullish(),
      error: z
        .object({ message: z.string().nullish(), responseCode: z.string().nullish() })
        .nullish(),
    }),
  ),
});

export const graphEvent = z.object({
  id: z.string(),
  subject: z.string().nullish(),
  webLink: z.string().nullish(),
  iCalUId: z.string().nullish(),
  isCancelled: z.boolean().nullish(),
  start: dateTimeTimeZone.nullish(),
  end: dateTimeTimeZone.nullish(),
  onlineMeeting: z.object({ joinUrl: z.string().nullish() }).nullish(),
  attendees: z
    .array(z.object({ emailAddress: z.object({ address: z.string().nullish() }).nullish() }))
    .nullish(),
});
export type GraphEvent = z.infer<typeof graphEvent>;

export const eventPage = z.object({
  value: z.array(graphEvent),
  '@odata.nextLink': z.string().nullish(),
});

/**
 * scheduleItem.status (freeBusyStatus): free, tentative, busy, oof, workingElsewhere, unknown.
 * Working elsewhere is still working, so it does not block; unknown counts as tentative.
 */
const STATUS: Record<string, BusyStatus> = {
  free: 'free',
  workingelsewhere: 'free',
  tentative: 'tentative',
  busy: 'busy',
  oof: 'oof',
  unknown: 'tentative',
};

export function busyStatus(status: string): BusyStatus {
  return STATUS[status.toLowerCase()] ?? 'busy';
}

/** Milliseconds since the epoch of a Graph dateTimeTimeZone ("2019-03-15T12:00:00.0000000"). */
export function graphInstant(value: z.infer<typeof dateTimeTimeZone>): number {
  const zone = /^(utc|etc\/utc|gmt|etc\/gmt)$/i.test(value.timeZone) ? 'utc' : value.timeZone;
  if (zone !== 'utc' && !IANAZone.isValidZone(zone)) {
    throw new ProviderError(
      `Microsoft Graph answered in time zone "${value.timeZone}" instead of the UTC Quorum asked for`,
    );
  }
  const parsed = DateTime.fromISO(value.dateTime, { zone });
  if (!parsed.isValid) {
    throw new ProviderError(`Microsoft Graph sent an unreadable dateTime "${value.dateTime}"`);
  }
  return parsed.toMillis();
}

/**
 * The event as Graph expects it. Times go as UTC: Graph takes Windows zone names and only a
 * fixed list of IANA ones, and Outlook shows every event in the viewer's own zone anyway.
 */
export function graphEventBody(input: EventInput, externalJoinUrl: string | undefined) {
  const location = input.location ?? externalJoinUrl;
  return {
    subject: input.title,
    body: {
      contentType: 'text',
      content: describeWithLink(input.description, externalJoinUrl) ?? '',
    },
    start: { dateTime: utcWallClock(input.start), timeZone: 'UTC' },
    end: { dateTime: utcWallClock(input.end), timeZone: 'UTC' },
    ...(location ? { location: { displayName: location } } : {}),
    attendees: input.attendees.map((a) => ({
      emailAddress: { address: a.email, ...(a.name ? { name: a.name } : {}) },
      type: a.optional ? 'optional' : 'required',
    })),
    ...(input.onlineMeeting === 'teams'
      ? { isOnlineMeeting: true, onlineMeetingProvider: 'teamsForBusiness' }
      : {}),
  };
}

export function toCreatedEvent(
  event: GraphEvent,
  externalJoinUrl: string | undefined,
): CreatedEvent {
  const joinUrl = event.onlineMeeting?.joinUrl ?? externalJoinUrl;
  return {
    providerEventId: event.id,
    ...(joinUrl ? { joinUrl } : {}),
    ...(event.webLink ? { webLink: event.webLink } : {}),
    ...(event.iCalUId ? { iCalUid: event.iCalUId } : {}),
  };
}

export function toUpcomingEvent(event: GraphEvent): UpcomingEvent | undefined {
  if (event.isCancelled || !event.start || !event.end) return undefined;
  const joinUrl = event.onlineMeeting?.joinUrl;
  return {
    providerEventId: event.id,
    title: event.subject ?? '',
    start: new Date(graphInstant(event.start)),
    end: new Date(graphInstant(event.end)),
    attendees: (event.attendees ?? []).flatMap((a) =>
      a.emailAddress?.address ? [a.emailAddress.address] : [],
    ),
    ...(joinUrl ? { joinUrl } : {}),
  };
}

/** "2025-03-04T09:30:00": the UTC wall clock, for a dateTimeTimeZone whose zone is UTC. */
export function utcWallClock(instant: Date): string {
  return instant.toISOString().slice(0, 19);
}
