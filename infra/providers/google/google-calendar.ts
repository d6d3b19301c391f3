// Google Calendar through googleapis: free/busy, events with Meet links, upcoming events.
import { setTimeout as sleep } from 'node:timers/promises';
import { google, type calendar_v3 } from 'googleapis';
import { freeBusyInBatches } from '../../../core/calendars/batching.ts';
import { checkRange, clipToRange, upcomingLimit } from '../../../core/calendars/busy-range.ts';
import { checkEventInput } from '../../../core/calendars/event-input.ts';
import {
  tokenSession,
  withTokenRetry,
  type TokenSession,
} from '../../../core/calendars/oauth-retry.ts';
import {
  GrantRevokedError,
  ProviderError,
  type AccessTokenSource,
  type CalendarLookup,
  type CalendarProvider,
  type CreatedEvent,
  type EventInput,
  type FreeBusyRequest,
  type FreeBusyResult,
  type SeriesChange,
  type SeriesOnCalendar,
  type UpcomingEvent,
} from '../../../core/calendars/provider.ts';
import { ruleEndingBefore, toRRule } from '../../../core/scheduling/recurrence/series.ts';
import {
  conferencePending,
  googleEventBody,
  googleEventId,
  googleInstanceId,
  meetRequest,
  zonedTime,
  toCreatedEvent,
  toUpcomingEvent,
} from './google-event.ts';

/** freebusy.query: "calendarExpansionMax … Maximum value is 50" calendars per request. */
export const GOOGLE_FREEBUSY_BATCH = 50;
type UpcomingRange = Parameters<CalendarProvider['upcoming']>[0];

/** events.list returns at most 2500 events per page. */
const LIST_PAGE_MAX = 2500;

export interface GoogleCalendarOptions {
  tokens: AccessTokenSource;
  /** The calendar Quorum books into and lists upcoming events from. Default: the user's primary. */
  calendarId?: string;
  /** The API root (googleapis `rootUrl`), e.g. a local test server. Default: Google's. */
  rootUrl?: string;
  /**
   * Meet conferences are made asynchronously; while one is `pending` the event is re-read this
   * many times, this far apart, to get its link. Default 5 times, 400 ms apart.
   */
  conferencePoll?: { attempts: number; intervalMs: number };
}

export function googleCalendarProvider(options: GoogleCalendarOptions): CalendarProvider {
  return new GoogleCalendar(options);
}

class GoogleCalendar implements CalendarProvider {
  readonly kind = 'google' as const;
  private readonly options: GoogleCalendarOptions;
  private readonly calendarId: string;
  private readonly poll: { attempts: number; intervalMs: number };

  constructor(options: GoogleCalendarOptions) {
    this.options = options;
    this.calendarId = options.calendarId ?? 'primary';
    this.poll = options.conferencePoll ?? { attempts: 5, intervalMs: 400 };
  }

  async freeBusy(request: FreeBusyRequest, signal?: AbortSignal): Promise<FreeBusyResult> {
    checkRange(request, 'free/busy request');
    const session = tokenSession(this.options.tokens);
    const timeMin = request.start.toISOString();
    const timeMax = request.end.toISOString();
    return freeBusyInBatches(request.calendars, GOOGLE_FREEBUSY_BATCH, signal, (batch) =>
      this.call('free/busy query', session, signal, async (calendar) => {
        const response = await calendar.freebusy.query(
          {
            requestBody: {
              timeMin,
              timeMax,
              timeZone: 'UTC',
              items: batch.map((id) => ({ id })),
            },
          },
          { signal },
        );
        return (id: string) => lookupOf(response.data, id, request);
      }),
    );
  }

  async createEvent(input: EventInput, signal?: AbortSignal): Promise<CreatedEvent> {
    const externalJoinUrl = checkEventInput(input, 'meet', 'Google Calendar');
    const { calendarId } = this;
    const eventId = googleEventId(input.requestId);
    const requestBody: calendar_v3.Schema$Event = {
      ...googleEventBody(input, externalJoinUrl),
      id: eventId,
      ...(input.onlineMeeting === 'meet' ? { conferenceData: meetRequest(input.requestId) } : {}),
    };
    const session = tokenSession(this.options.tokens);
    return this.call('event insert', session, signal, async (calendar) => {
      let event: calendar_v3.Schema$Event;
      try {
        const response = await calendar.events.insert(
          { calendarId, conferenceDataVersion: 1, sendUpdates: 'all', requestBody },
          { signal },
        );
        event = response.data;
      } catch (error) {
        // 409: an earlier attempt of this same request already made the event.
        if (statusOf(error) !== 409) throw error;
        event = (await calendar.events.get({ calendarId, eventId }, { signal })).data;
        if (event.status === 'cancelled') {
          throw new ProviderError(
            `the event for request ${input.requestId} was created and then deleted; use a new requestId`,
            409,
          );
        }
      }
      event = await this.awaitConference(calendar, event, input, signal);
      return toCreatedEvent(event, externalJoinUrl);
    });
  }

  async updateEvent(
    providerEventId: string,
    input: EventInput,
    signal?: AbortSignal,
  ): Promise<CreatedEvent> {
    const externalJoinUrl = checkEventInput(input, 'meet', 'Google Calendar');
    const requestBody: calendar_v3.Schema$Event = {
      ...googleEventBody(input, externalJoinUrl),
      // Google ignores a createRequest whose requestId it has seen, so an event that already
      // has its Meet keeps it; one that had none gets one.
      ...(input.onlineMeeting === 'meet' ? { conferenceData: meetRequest(input.requestId) } : {}),
    };
    const session = tokenSession(this.options.tokens);
    return this.call('event patch', session, signal, async (calendar) => {
      const response = await calendar.events.patch(
        {
          calendarId: this.calendarId,
          eventId: providerEventId,
          conferenceDataVersion: 1,
          sendUpdates: 'all',
          requestBody,
        },
        { signal },
      );
      const event = await this.awaitConference(calendar, response.data, input, signal);
      return toCreatedEvent(event, externalJoinUrl);
    });
  }

  async deleteEvent(providerEventId: string, signal?: AbortSignal): Promise<void> {
    const session = tokenSession(this.options.tokens);
    await this.call('event delete', session, signal, async (calendar) => {
      try {
        await calendar.events.delete(
          { calendarId: this.calendarId, eventId: providerEventId, sendUpdates: 'all' },
          { signal },
        );
      } catch (error) {
        // Already gone (404) or already deleted (410): the caller's wish is fulfilled.
        const status = statusOf(error);
        if (status !== 404 && status !== 410) throw error;
      }
    });
  }

  /**
   * One occurrence is its instance (`<id>_<original start>`): deleted to cancel it, patched to
   * move it. Ending the series early rewrites the master's RRULE with an UNTIL.
   */
  async changeSeries(
    providerEventId: string,
    series: SeriesOnCalendar,
    change: SeriesChange,
    signal?: AbortSignal,
  ): Promise<void> {
    const { calendarId } = this;
    const session = tokenSession(this.options.tokens);
    const instance = googleInstanceId(providerEventId, change.original);
    await this.call('series change', session, signal, async (calendar) => {
      if (change.kind === 'cancel-occurrence') {
        await calendar.events.delete(
          { calendarId, eventId: instance, sendUpdates: 'all' },
          { signal },
        );
      } else if (change.kind === 'move-occurrence') {
        const requestBody = {
          start: zonedTime(change.start, series.timeZone),
          end: zonedTime(change.end, series.timeZone),
        };
        await calendar.events.patch(
          { calendarId, eventId: instance, sendUpdates: 'all', requestBody },
          { signal },
        );
      } else {
        const spec = {
          rule: series.rule,
          timeZone: series.timeZone,
          start: series.start,
          durationMinutes: (series.end.getTime() - series.start.getTime()) / 60_000,
        };
        const cut = { ...spec, rule: ruleEndingBefore(spec, change.original) };
        const requestBody = { recurrence: [`RRULE:${toRRule(cut)}`] };
        await calendar.events.patch(
          { calendarId, eventId: providerEventId, sendUpdates: 'all', requestBody },
          { signal },
        );
      }
    });
  }

  async upcoming(range: UpcomingRange, signal?: AbortSignal): Promise<UpcomingEvent[]> {
    checkRange(range, 'upcoming range');
    const limit = upcomingLimit(range.limit);
    const session = tokenSession(this.options.tokens);
    return this.call('event list', session, signal, async (calendar) => {
      const found: UpcomingEvent[] = [];
      let pageToken: string | undefined;
      do {
        const response = await calendar.events.list(
          {
            calendarId: this.calendarId,
            timeMin: range.start.toISOString(),
            timeMax: range.end.toISOString(),
            singleEvents: true,
            orderBy: 'startTime',
            maxResults: Math.min(limit - found.length, LIST_PAGE_MAX),
            ...(pageToken ? { pageToken } : {}),
          },
          { signal },
        );
        const zone = response.data.timeZone ?? 'UTC';
        for (const item of response.data.items ?? []) {
          const event = toUpcomingEvent(item, zone);
          if (event && found.length < limit) found.push(event);
        }
        pageToken = response.data.nextPageToken ?? undefined;
      } while (pageToken && found.length < limit);
      return found;
    });
  }

  private api(accessToken: string): calendar_v3.Calendar {
    const auth = new google.auth.OAuth2();
    auth.setCredentials({ access_token: accessToken });
    return google.calendar({
      version: 'v3',
      auth,
      ...(this.options.rootUrl ? { rootUrl: this.options.rootUrl } : {}),
    });
  }

  /** One logical operation: token retry around it, errors turned into ProviderError. */
  private async call<T>(
    what: string,
    session: TokenSession,
    signal: AbortSignal | undefined,
    run: (calendar: calendar_v3.Calendar) => Promise<T>,
  ): Promise<T> {
    signal?.throwIfAborted();
    try {
      return await withTokenRetry(session, 'Google Calendar', isUnauthorized, (token) =>
        run(this.api(token)),
      );
    } catch (error) {
      throw googleFailure(error, what, signal);
    }
  }

  /** Re-reads an event whose Meet conference is still being created, until it has its link. */
  private async awaitConference(
    calendar: calendar_v3.Calendar,
    first: calendar_v3.Schema$Event,
    input: EventInput,
    signal: AbortSignal | undefined,
  ): Promise<calendar_v3.Schema$Event> {
    const { poll, calendarId } = this;
    let event = first;
    for (
      let i = 0;
      i < poll.attempts && input.onlineMeeting === 'meet' && conferencePending(event);
      i++
    ) {
      await sleep(poll.intervalMs, undefined, { signal });
      if (!event.id) break;
      event = (await calendar.events.get({ calendarId, eventId: event.id }, { signal })).data;
    }
    return event;
  }
}

function lookupOf(
  data: calendar_v3.Schema$FreeBusyResponse,
  id: string,
  range: { start: Date; end: Date },
): CalendarLookup {
  const calendars = data.calendars ?? {};
  const entry =
    calendars[id] ??
    Object.entries(calendars).find(([key]) => key.toLowerCase() === id.toLowerCase())?.[1];
  if (!entry) return { ok: false, reason: 'error', message: `Google returned nothing for ${id}` };
  const errors = entry.errors ?? [];
  if (errors.length > 0) {
    const reasons = errors.map((e) => e.reason ?? 'unknown');
    const reason = reasons.includes('notFound')
      ? 'not-found'
      : reasons.some((r) => r === 'forbidden' || r === 'accessDenied')
        ? 'forbidden'
        : 'error';
    return { ok: false, reason, message: `Google could not read ${id}: ${reasons.join(', ')}` };
  }
  const busy = (entry.busy ?? []).flatMap((b) =>
    b.start && b.end
      ? [{ start: Date.parse(b.start), end: Date.parse(b.end), status: 'busy' as const }]
      : [],
  );
  return { ok: true, busy: clipToRange(busy, range) };
}

function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { status?: unknown; response?: { status?: unknown } };
  const status = typeof e.status === 'number' ? e.status : e.response?.status;
  return typeof status === 'number' ? status : undefined;
}

function isUnauthorized(error: unknown): boolean {
  return statusOf(error) === 401;
}

function googleFailure(error: unknown, what: string, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) return signal.reason;
  if (error instanceof ProviderError || error instanceof GrantRevokedError) return error;
  const status = statusOf(error);
  const data = (error as { response?: { data?: { error?: { message?: unknown } } } }).response
    ?.data;
  const apiMessage = typeof data?.error?.message === 'string' ? data.error.message : undefined;
  const detail = apiMessage ?? (error instanceof Error ? error.message : String(error));
  return new ProviderError(
    `Google Calendar ${what} failed${status ? ` (HTTP ${status})` : ''}: ${detail}`,
    status,
  );
}
