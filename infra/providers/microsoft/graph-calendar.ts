// Microsoft 365 calendars through the Graph client: getSchedule, events with Teams links, calendarView.
import { Client } from '@microsoft/microsoft-graph-client';
import type { z } from 'zod';
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
  type BusyInterval,
  type CalendarLookup,
  type CalendarProvider,
  type AccessTokenSource,
  type CreatedEvent,
  type EventInput,
  type FreeBusyRequest,
  type FreeBusyResult,
  type SeriesChange,
  type SeriesOnCalendar,
  type UpcomingEvent,
} from '../../../core/calendars/provider.ts';
import {
  PREFER_UTC,
  busyStatus,
  eventPage,
  graphEvent,
  graphEventBody,
  graphInstant,
  scheduleResponse,
  toCreatedEvent,
  toUpcomingEvent,
  utcWallClock,
} from './graph-wire.ts';
import { graphRecurrence, graphSeriesFields, instancePage, zonedDateTime } from './graph-series.ts';
import { ruleEndingBefore } from '../../../core/scheduling/recurrence/series.ts';

/** getSchedule "can support looking up free/busy information for up to 20 entities at once". */
export const GRAPH_SCHEDULE_BATCH = 20;
/** calendarView pages hold at most 1000 events. */
const VIEW_PAGE_MAX = 1000;
const GRAPH_ROOT = 'https://graph.microsoft.com/';

export interface MicrosoftCalendarOptions {
  tokens: AccessTokenSource;
  /** The Graph root (the client's `baseUrl`), e.g. a national cloud or a local test server. */
  baseUrl?: string;
}

export function microsoftCalendarProvider(options: MicrosoftCalendarOptions): CalendarProvider {
  return new GraphCalendar(options);
}

class GraphCalendar implements CalendarProvider {
  readonly kind = 'microsoft' as const;
  private readonly tokens: AccessTokenSource;
  private readonly baseUrl: string;
  private readonly customHosts: Set<string>;

  constructor(options: MicrosoftCalendarOptions) {
    const root = new URL(options.baseUrl ?? GRAPH_ROOT);
    // The Graph client attaches the token only to https URLs of hosts it knows or is told about.
    if (root.protocol !== 'https:') {
      throw new RangeError(`Graph baseUrl must be an https URL, got ${root.href}`);
    }
    this.tokens = options.tokens;
    this.baseUrl = root.href.endsWith('/') ? root.href : `${root.href}/`;
    this.customHosts = new Set([root.hostname]);
  }

  async freeBusy(request: FreeBusyRequest, signal?: AbortSignal): Promise<FreeBusyResult> {
    checkRange(request, 'free/busy request');
    const session = tokenSession(this.tokens);
    const window = {
      startTime: { dateTime: utcWallClock(request.start), timeZone: 'UTC' },
      endTime: { dateTime: utcWallClock(request.end), timeZone: 'UTC' },
    };
    return freeBusyInBatches(request.calendars, GRAPH_SCHEDULE_BATCH, signal, (batch) =>
      this.call('getSchedule', session, signal, async (graph) => {
        const body: unknown = await graph
          .api('/me/calendar/getSchedule')
          .header('Prefer', PREFER_UTC)
          .option('signal', signal)
          .post({ schedules: batch, ...window });
        const data = parse(scheduleResponse, body, 'getSchedule');
        return (id: string) => lookupOf(data, id, request);
      }),
    );
  }

  async createEvent(input: EventInput, signal?: AbortSignal): Promise<CreatedEvent> {
    const externalJoinUrl = checkEventInput(input, 'teams', 'Microsoft 365');
    // transactionId lets Graph recognise a retried POST and return the event it already made.
    const body = {
      ...graphEventBody(input, externalJoinUrl),
      // A series is written in the organizer's zone, so Outlook keeps its wall-clock time.
      ...(input.recurrence
        ? graphSeriesFields({
            rule: input.recurrence,
            timeZone: input.timeZone,
            start: input.start,
            end: input.end,
          })
        : {}),
      transactionId: input.requestId,
    };
    return this.call('event create', tokenSession(this.tokens), signal, async (graph) => {
      const created = parse(
        graphEvent,
        await graph
          .api('/me/events')
          .header('Prefer', PREFER_UTC)
          .option('signal', signal)
          .post(body),
        'event create',
      );
      return toCreatedEvent(created, externalJoinUrl);
    });
  }

  async updateEvent(
    providerEventId: string,
    input: EventInput,
    signal?: AbortSignal,
  ): Promise<CreatedEvent> {
    const externalJoinUrl = checkEventInput(input, 'teams', 'Microsoft 365');
    const body = graphEventBody(input, externalJoinUrl);
    return this.call('event update', tokenSession(this.tokens), signal, async (graph) => {
      const updated = parse(
        graphEvent,
        await graph
          .api(`/me/events/${encodeURIComponent(providerEventId)}`)
          .header('Prefer', PREFER_UTC)
          .option('signal', signal)
          .patch(body),
        'event update',
      );
      return toCreatedEvent(updated, externalJoinUrl);
    });
  }

  async deleteEvent(providerEventId: string, signal?: AbortSignal): Promise<void> {
    await this.call('event delete', tokenSession(this.tokens), signal, async (graph) => {
      try {
        // Deleting the organizer's copy sends the attendees a cancellation.
        await graph
          .api(`/me/events/${encodeURIComponent(providerEventId)}`)
          .option('signal', signal)
          .delete();
      } catch (error) {
        if (statusOf(error) !== 404) throw error; // already gone: nothing left to do
      }
    });
  }

  /**
   * An occurrence is found among the series' instances by its original start, then deleted
   * (cancelled) or patched (moved). Ending the series early PATCHes the master's recurrence with
   * an end date: Graph removes the occurrences after it.
   */
  async changeSeries(
    providerEventId: string,
    series: SeriesOnCalendar,
    change: SeriesChange,
    signal?: AbortSignal,
  ): Promise<void> {
    const master = `/me/events/${encodeURIComponent(providerEventId)}`;
    await this.call('series change', tokenSession(this.tokens), signal, async (graph) => {
      if (change.kind === 'end-series') {
        const spec = {
          rule: series.rule,
          timeZone: series.timeZone,
          start: series.start,
          durationMinutes: (series.end.getTime() - series.start.getTime()) / 60_000,
        };
        const rule = ruleEndingBefore(spec, change.original);
        await graph
          .api(master)
          .option('signal', signal)
          .patch({ recurrence: graphRecurrence(rule, series.start, series.timeZone) });
        return;
      }
      // The window is the original day: an occurrence moved since is still listed by it.
      const day = 86_400_000;
      const page = parse(
        instancePage,
        await graph
          .api(`${master}/instances`)
          .header('Prefer', PREFER_UTC)
          .query({
            startDateTime: new Date(change.original.getTime() - day).toISOString(),
            endDateTime: new Date(change.original.getTime() + 2 * day).toISOString(),
          })
          .select(['id', 'originalStart', 'start'])
          .option('signal', signal)
          .get(),
        'instances',
      );
      const occurrence = page.value.find(
        (o) => o.originalStart && Date.parse(o.originalStart) === change.original.getTime(),
      );
      if (!occurrence) {
        throw new ProviderError(
          `the series has no occurrence starting ${change.original.toISOString()}`,
          404,
        );
      }
      const item = graph
        .api(`/me/events/${encodeURIComponent(occurrence.id)}`)
        .option('signal', signal);
      if (change.kind === 'cancel-occurrence') await item.delete();
      else
        await item.patch({
          start: zonedDateTime(change.start, series.timeZone),
          end: zonedDateTime(change.end, series.timeZone),
        });
    });
  }

  async upcoming(range: UpcomingRange, signal?: AbortSignal): Promise<UpcomingEvent[]> {
    checkRange(range, 'upcoming range');
    const limit = upcomingLimit(range.limit);
    return this.call('calendarView', tokenSession(this.tokens), signal, async (graph) => {
      const found: UpcomingEvent[] = [];
      let page = parse(
        eventPage,
        await graph
          .api('/me/calendarView')
          .header('Prefer', PREFER_UTC)
          .query({
            startDateTime: range.start.toISOString(),
            endDateTime: range.end.toISOString(),
          })
          .select(['id', 'subject', 'start', 'end', 'attendees', 'onlineMeeting', 'isCancelled'])
          .orderby('start/dateTime')
          .top(Math.min(limit, VIEW_PAGE_MAX))
          .option('signal', signal)
          .get(),
        'calendarView',
      );
      for (;;) {
        for (const item of page.value) {
          const event = toUpcomingEvent(item);
          if (event && found.length < limit) found.push(event);
        }
        const next = page['@odata.nextLink'];
        if (!next || found.length >= limit) return found;
        page = parse(
          eventPage,
          await graph.api(next).header('Prefer', PREFER_UTC).option('signal', signal).get(),
          'calendarView',
        );
      }
    });
  }

  private client(accessToken: string): Client {
    return Client.init({
      authProvider: (done) => done(null, accessToken),
      baseUrl: this.baseUrl,
      customHosts: this.customHosts,
    });
  }

  /** One logical operation: token retry around it, errors turned into ProviderError. */
  private async call<T>(
    what: string,
    session: TokenSession,
    signal: AbortSignal | undefined,
    run: (graph: Client) => Promise<T>,
  ): Promise<T> {
    signal?.throwIfAborted();
    try {
      return await withTokenRetry(session, 'Microsoft Graph', isUnauthorized, (token) =>
        run(this.client(token)),
      );
    } catch (error) {
      throw graphFailure(error, what, signal);
    }
  }
}

type UpcomingRange = Parameters<CalendarProvider['upcoming']>[0];

function lookupOf(
  data: z.infer<typeof scheduleResponse>,
  id: string,
  range: { start: Date; end: Date },
): CalendarLookup {
  const info = data.value.find((v) => v.scheduleId.toLowerCase() === id.toLowerCase());
  if (!info)
    return { ok: false, reason: 'error', message: `Microsoft Graph returned nothing for ${id}` };
  if (info.error) {
    const code = info.error.responseCode ?? '';
    const reason = /notfound|invalidsmtp/i.test(code)
      ? 'not-found'
      : /access|denied|permission/i.test(code)
        ? 'forbidden'
        : 'error';
    const message = info.error.message ?? code;
    return { ok: false, reason, message: `Microsoft Graph could not read ${id}: ${message}` };
  }
  const busy: BusyInterval[] = (info.scheduleItems ?? []).map((item) => ({
    start: graphInstant(item.start),
    end: graphInstant(item.end),
    status: busyStatus(item.status),
  }));
  return { ok: true, busy: clipToRange(busy, range) };
}

function parse<S extends z.ZodType>(schema: S, body: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(body);
  if (!result.success) {
    throw new ProviderError(
      `Microsoft Graph sent an unexpected ${what} response: ${result.error.message}`,
    );
  }
  return result.data;
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status > 0 ? status : undefined;
}

function isUnauthorized(error: unknown): boolean {
  return statusOf(error) === 401;
}

function graphFailure(error: unknown, what: string, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) return signal.reason;
  if (error instanceof ProviderError || error instanceof GrantRevokedError) return error;
  const status = statusOf(error);
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const detail = typeof code === 'string' && code !== '' ? `${code}: ${message}` : message;
  return new ProviderError(
    `Microsoft Graph ${what} failed${status ? ` (HTTP ${status})` : ''}: ${detail}`,
    status,
  );
}
