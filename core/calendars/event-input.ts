// Checks an EventInput before any provider sends it, and decides where its meeting link comes from.
import { IANAZone } from 'luxon';
import { ProviderError, type EventInput, type OnlineMeetingKind } from './provider.ts';

/**
 * Validates `input` and returns the join URL the provider must put into the event itself
 * (a Zoom link made elsewhere), or undefined when there is none or the provider makes its own
 * (`native`: Meet for Google, Teams for Microsoft).
 */
export function checkEventInput(
  input: EventInput,
  native: OnlineMeetingKind | undefined,
  service: string,
): string | undefined {
  if (input.title.trim() === '') throw new RangeError('event title must not be empty');
  if (input.requestId.trim() === '') {
    throw new RangeError('event requestId must not be empty: it keeps retried creates idempotent');
  }
  const start = input.start.getTime();
  const end = input.end.getTime();
  if (Number.isNaN(start) || Number.isNaN(end) || start >= end) {
    throw new RangeError('event start must be a valid date before its end');
  }
  if (!IANAZone.isValidZone(input.timeZone)) {
    throw new RangeError(
      `event timeZone ${JSON.stringify(input.timeZone)} is not an IANA zone (e.g. "Europe/Paris")`,
    );
  }
  if (input.joinUrl !== undefined && !/^https:\/\//i.test(input.joinUrl)) {
    throw new RangeError(
      `event joinUrl must be an https URL, got ${JSON.stringify(input.joinUrl)}`,
    );
  }
  if (input.onlineMeeting === native) return undefined;
  if (input.onlineMeeting === 'none') return input.joinUrl;
  if (input.joinUrl === undefined) {
    throw new ProviderError(
      `${service} cannot create a ${input.onlineMeeting} meeting itself; create it first and pass its joinUrl`,
    );
  }
  return input.joinUrl;
}

/** The description with the join URL appended, so attendees see the link in every client. */
export function describeWithLink(description: string | undefined, joinUrl: string | undefined) {
  if (joinUrl === undefined) return description;
  const line = `Join: ${joinUrl}`;
  return description ? `${description}\n\n${line}` : line;
}
