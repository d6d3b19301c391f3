// A local stand-in for Microsoft Graph's calendar endpoints, for the Graph client to talk to.
//
// It serves HTTPS with a throwaway self-signed certificate because the Graph client attaches
// the bearer token only to https URLs; the certificate is added to this process's trusted CAs.
// It speaks the documented calendar: getSchedule, event create / update / delete and
// calendarView, checks what the client sent the way Graph would (token, at most 20 schedules
// per getSchedule, dateTimeTimeZone values), and records every request.
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { readBody, selfSignedCertificate } from './wire.ts';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string | undefined;
  prefer: string | undefined;
  body: unknown;
}

export interface ScheduleItem {
  status: 'free' | 'tentative' | 'busy' | 'oof' | 'workingElsewhere' | 'unknown' | string;
  start: string;
  end: string;
}

export interface StoredEvent {
  id: string;
  subject: string;
  start: string;
  end: string;
  attendees: { emailAddress: { address: string; name?: string }; type: string }[];
  isOnlineMeeting: boolean;
  transactionId?: string;
  body: { contentType: string; content: string };
  location?: { displayName: string };
  /** A series master: its patternedRecurrence as sent, and the zone its wall clock is in. */
  recurrence?: z.infer<typeof patternedRecurrence>;
  timeZone?: string;
  /** Changed occurrences of a series by original start (ISO, UTC). */
  exceptions?: Map<string, { deleted: true } | { start: string; end: string }>;
}

export interface FakeGraph {
  /** The root to give the Graph client as `baseUrl`. */
  baseUrl: string;
  requests: RecordedRequest[];
  acceptedTokens: Set<string>;
  /** Schedules the user may read; any other answers with a freeBusyError. */
  schedules: Map<string, ScheduleItem[]>;
  events: Map<string, StoredEvent>;
  delayMs: number;
  abandoned: number;
  /**
   * Online-meeting transcripts by `${organizerId}/${onlineMeetingId}`: metadata as the
   * transcripts list returns it, and the WebVTT content. Meetings in `transcriptsForbidden`
   * answer 403 as Graph does when the tenant's policy or a missing permission blocks access.
   */
  transcripts: Map<string, Array<{ id: string; createdDateTime: string; vtt: string }>>;
  transcriptsForbidden: Set<string>;
  /** A series' occurrences as Outlook shows them (start and end in UTC). */
  occurrencesOf(eventId: string): { start: string; end: string }[];
  close(): Promise<void>;
}

const SCHEDULE_MAX = 20;

const dateTimeTimeZone = z.object({
  dateTime: z
    .string()
    .regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?$/, 'a wall-clock date-time without offset'),
  timeZone: z.string().min(1),
});
const getScheduleBody = z.object({
  schedules: z.array(z.string().min(1)).min(1),
  startTime: dateTimeTimeZone,
  endTime: dateTimeTimeZone,
  availabilityViewInterval: z.number().int().min(5).max(1440).optional(),
});
const DAYS = [
  'sunday',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
] as const;
// patternedRecurrence: recurrencePattern + recurrenceRange, as documented.
const patternedRecurrence = z.object({
  pattern: z.object({
    type: z.enum([
      'daily',
      'weekly',
      'absoluteMonthly',
      'relativeMonthly',
      'absoluteYearly',
      'relativeYearly',
    ]),
    interval: z.number().int().min(1),
    daysOfWeek: z.array(z.enum(DAYS)).optional(),
    firstDayOfWeek: z.enum(DAYS).optional(),
    index: z.enum(['first', 'second', 'third', 'fourth', 'last']).optional(),
  }),
  range: z.object({
    type: z.enum(['endDate', 'noEnd', 'numbered']),
    startDate: z.string().regex(/^\d{4}-\d\d-\d\d$/),
    endDate: z
      .string()
      .regex(/^\d{4}-\d\d-\d\d$/)
      .optional(),
    numberOfOccurrences: z.number().int().min(1).optional(),
    recurrenceTimeZone: z.string().optional(),
  }),
});

const eventBody = z.object({
  subject: z.string(),
  recurrence: patternedRecurrence.optional(),
  body: z
    .object({ contentType: z.enum(['text', 'html', 'Text', 'HTML']), content: z.string() })
    .optional(),
  start: dateTimeTimeZone,
  end: dateTimeTimeZone,
  location: z.object({ displayName: z.string() }).optional(),
  attendees: z
    .array(
      z.object({
        emailAddress: z.object({ address: z.email(), name: z.string().optional() }),
        type: z.enum(['required', 'optional', 'resource']),
      }),
    )
    .optional(),
  isOnlineMeeting: z.boolean().optional(),
  onlineMeetingProvider: z
    .enum(['teamsForBusiness', 'skypeForBusiness', 'skypeForConsumer', 'unknown'])
    .optional(),
  transactionId: z.string().optional(),
});

export async function startFakeGraph(): Promise<FakeGraph> {
  const { key, cert } = selfSignedCertificate();
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), cert]);

  const fake: Omit<FakeGraph, 'baseUrl' | 'close'> = {
    occurrencesOf: () => [],
    requests: [],
    acceptedTokens: new Set(),
    schedules: new Map(),
    events: new Map(),
    delayMs: 0,
    abandoned: 0,
    transcripts: new Map(),
    transcriptsForbidden: new Set(),
  };
  let origin = '';

  const server = createServer({ key, cert }, (req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, graphError('generalException', String(error)));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', origin);
    const raw = await readBody(req);
    const body: unknown = raw ? JSON.parse(raw) : undefined;
    const recorded: RecordedRequest = {
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization,
      prefer: typeof req.headers.prefer === 'string' ? req.headers.prefer : undefined,
      body,
    };
    fake.requests.push(recorded);
    let answered = false;
    res.on('close', () => {
      if (!answered) fake.abandoned++;
    });
    if (fake.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, fake.delayMs));
    if (res.destroyed) return;
    const [status, payload] = route(recorded, url);
    answered = true;
    if (payload instanceof TextContent) {
      res.writeHead(status, { 'content-type': payload.type }).end(payload.text);
      return;
    }
    send(res, status, payload);
  }

  function route(request: RecordedRequest, url: URL): [number, unknown] {
    const token = /^Bearer (.+)$/.exec(request.authorization ?? '')?.[1];
    if (!token || !fake.acceptedTokens.has(token)) {
      return [
        401,
        graphError('InvalidAuthenticationToken', 'Access token has expired or is not yet valid.'),
      ];
    }
    const { method, path } = request;
    const transcripts =
      /^\/v1\.0\/users\/([^/]+)\/onlineMeetings\/([^/]+)\/transcripts(?:\/([^/]+)\/content)?$/.exec(
        path,
      );
    if (method === 'GET' && transcripts) {
      return transcriptRoute(
        decodeURIComponent(transcripts[1]!),
        decodeURIComponent(transcripts[2]!),
        transcripts[3] ? decodeURIComponent(transcripts[3]) : undefined,
        url,
      );
    }
    if (method === 'POST' && path === '/v1.0/me/calendar/getSchedule') return getSchedule(request);
    if (method === 'POST' && path === '/v1.0/me/events') return create(request);
    if (method === 'GET' && path === '/v1.0/me/calendarView') return calendarView(url);
    const instances = /^\/v1\.0\/me\/events\/([^/]+)\/instances$/.exec(path);
    if (method === 'GET' && instances) return listInstances(decodeURIComponent(instances[1]!), url);
    const one = /^\/v1\.0\/me\/events\/([^/]+)$/.exec(path);
    if (one && occurrenceOf(decodeURIComponent(one[1]!))) {
      return changeOccurrence(method, decodeURIComponent(one[1]!), request);
    }
    if (one) {
      const id = decodeURIComponent(one[1]!);
      if (method === 'PATCH') return update(id, request);
      if (method === 'DELETE') return remove(id);
    }
    return [404, graphError('ResourceNotFound', `Resource not found for the segment '${path}'.`)];
  }

  // GET /users/{id}/onlineMeetings/{meetingId}/transcripts and …/transcripts/{id}/content
  // (callTranscript: id, meetingId, createdDateTime, …; content as text/vtt when asked).
  function transcriptRoute(
    organizer: string,
    meetingId: string,
    transcriptId: string | undefined,
    url: URL,
  ): [number, unknown] {
    const key = `${organizer}/${meetingId}`;
    if (fake.transcriptsForbidden.has(key)) {
      return [
        403,
        graphError(
          'Forbidden',
          'Application does not have permission to read transcripts of this online meeting.',
        ),
      ];
    }
    const list = fake.transcripts.get(key) ?? [];
    if (!transcriptId) {
      return [
        200,
        {
          '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users('${organizer}')/onlineMeetings('${meetingId}')/transcripts`,
          value: list.map((t) => ({
            id: t.id,
            meetingId,
            callId: null,
            contentCorrelationId: randomUUID(),
            transcriptContentUrl: `https://graph.microsoft.com/v1.0/users/${organizer}/onlineMeetings/${meetingId}/transcripts/${t.id}/content`,
            createdDateTime: t.createdDateTime,
            endDateTime: t.createdDateTime,
            meetingOrganizer: { user: { id: organizer, tenantId: null, displayName: null } },
          })),
        },
      ];
    }
    const found = list.find((t) => t.id === transcriptId);
    if (!found) return [404, graphError('NotFound', 'The transcript was not found.')];
    if (url.searchParams.get('$format') !== 'text/vtt') {
      return [400, graphError('BadRequest', 'This fake serves transcripts as text/vtt only.')];
    }
    return [200, new TextContent('text/vtt', found.vtt)];
  }

  function getSchedule(request: RecordedRequest): [number, unknown] {
    const parsed = getScheduleBody.safeParse(request.body);
    if (!parsed.success) return [400, graphError('ErrorInvalidRequest', parsed.error.message)];
    const { schedules, startTime, endTime } = parsed.data;
    if (schedules.length > SCHEDULE_MAX) {
      return [
        400,
        graphError(
          'ErrorInvalidParameter',
          `Too many schedules: at most ${SCHEDULE_MAX} per request.`,
        ),
      ];
    }
    const from = instant(startTime);
    const to = instant(endTime);
    const zone = replyZone(request.prefer);
    return [
      200,
      {
        '@odata.context':
          'https://graph.microsoft.com/v1.0/$metadata#Collection(microsoft.graph.scheduleInformation)',
        value: schedules.map((scheduleId) => {
          const items = fake.schedules.get(scheduleId);
          if (!items) {
            return {
              scheduleId,
              availabilityView: '',
              scheduleItems: [],
              error: {
                message: 'The specified user or resource could not be found.',
                responseCode: 'ErrorMailRecipientNotFound',
              },
            };
          }
          const inRange = items.filter((i) => Date.parse(i.start) < to && Date.parse(i.end) > from);
          return {
            scheduleId,
            availabilityView: '0',
            scheduleItems: inRange.map((i) => ({
              isPrivate: false,
              status: i.status,
              start: wire(i.start, zone),
              end: wire(i.end, zone),
            })),
            workingHours: {
              daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
              startTime: '08:00:00.0000000',
              endTime: '17:00:00.0000000',
              timeZone: { name: 'Pacific Standard Time' },
            },
          };
        }),
      },
    ];
  }

  /** An occurrence's id (opaque to the client): its master's id and original start. */
  function occurrenceId(masterId: string, original: string): string {
    return `AAMkOcc${Buffer.from(`${masterId}|${original}`).toString('base64url')}`;
  }

  function occurrenceOf(id: string): { master: StoredEvent; original: string } | undefined {
    if (!id.startsWith('AAMkOcc')) return undefined;
    const [masterId, original] = Buffer.from(id.slice(7), 'base64url').toString().split('|');
    const master = fake.events.get(masterId ?? '');
    return master && original ? { master, original } : undefined;
  }

  function listInstances(id: string, url: URL): [number, unknown] {
    const master = fake.events.get(id);
    if (!master?.recurrence) {
      return [
        404,
        graphError('ErrorItemNotFound', 'The specified object was not found in the store.'),
      ];
    }
    const from = Date.parse(url.searchParams.get('startDateTime') ?? '');
    const to = Date.parse(url.searchParams.get('endDateTime') ?? '');
    if (Number.isNaN(from) || Number.isNaN(to)) {
      return [
        400,
        graphError('ErrorInvalidParameter', 'startDateTime and endDateTime are required.'),
      ];
    }
    const value = seriesOccurrences(master)
      .filter((o) => Date.parse(o.start) < to && Date.parse(o.end) > from)
      .map((o) => ({
        id: occurrenceId(master.id, o.original),
        type: o.moved ? 'exception' : 'occurrence',
        seriesMasterId: master.id,
        originalStart: `${o.original.slice(0, 19)}Z`,
        start: wire(o.start, 'UTC'),
        end: wire(o.end, 'UTC'),
      }));
    return [200, { value }];
  }

  function changeOccurrence(
    method: string,
    id: string,
    request: RecordedRequest,
  ): [number, unknown] {
    const { master, original } = occurrenceOf(id)!;
    master.exceptions ??= new Map();
    if (method === 'DELETE') {
      master.exceptions.set(original, { deleted: true });
      return [204, undefined];
    }
    const parsed = eventBody.partial().safeParse(request.body);
    if (method !== 'PATCH' || !parsed.success || !parsed.data.start || !parsed.data.end) {
      return [400, graphError('ErrorInvalidRequest', 'an occurrence PATCH needs start and end')];
    }
    master.exceptions.set(original, {
      start: new Date(instant(parsed.data.start)).toISOString(),
      end: new Date(instant(parsed.data.end)).toISOString(),
    });
    return [200, { id, type: 'exception', seriesMasterId: master.id }];
  }

  fake.occurrencesOf = (eventId: string) => {
    const master = fake.events.get(eventId);
    return master ? seriesOccurrences(master).map(({ start, end }) => ({ start, end })) : [];
  };

  function create(request: RecordedRequest): [number, unknown] {
    const parsed = eventBody.safeParse(request.body);
    if (!parsed.success) return [400, graphError('ErrorInvalidRequest', parsed.error.message)];
    const input = parsed.data;
    // A retried POST with a known transactionId gets the event the first one made.
    const known = [...fake.events.values()].find(
      (e) => input.transactionId && e.transactionId === input.transactionId,
    );
    if (known) return [201, represent(known, request.prefer)];
    const event: StoredEvent = {
      id: `AAMkAGI1${createHash('sha256').update(randomUUID()).digest('base64url').slice(0, 20)}=`,
      subject: input.subject,
      start: new Date(instant(input.start)).toISOString(),
      end: new Date(instant(input.end)).toISOString(),
      attendees: input.attendees ?? [],
      isOnlineMeeting:
        input.isOnlineMeeting === true && input.onlineMeetingProvider === 'teamsForBusiness',
      body: input.body ?? { contentType: 'text', content: '' },
      ...(input.transactionId ? { transactionId: input.transactionId } : {}),
      ...(input.location ? { location: input.location } : {}),
      ...(input.recurrence ? { recurrence: input.recurrence, timeZone: input.start.timeZone } : {}),
    };
    if (input.recurrence && input.recurrence.range.recurrenceTimeZone !== input.start.timeZone) {
      return [
        400,
        graphError('ErrorInvalidRequest', 'recurrenceTimeZone must match the start time zone.'),
      ];
    }
    fake.events.set(event.id, event);
    return [201, represent(event, request.prefer)];
  }

  function update(id: string, request: RecordedRequest): [number, unknown] {
    const event = fake.events.get(id);
    if (!event)
      return [
        404,
        graphError('ErrorItemNotFound', 'The specified object was not found in the store.'),
      ];
    const parsed = eventBody.partial().safeParse(request.body);
    if (!parsed.success) return [400, graphError('ErrorInvalidRequest', parsed.error.message)];
    const input = parsed.data;
    if (input.subject !== undefined) event.subject = input.subject;
    if (input.start) event.start = new Date(instant(input.start)).toISOString();
    if (input.end) event.end = new Date(instant(input.end)).toISOString();
    if (input.attendees) event.attendees = input.attendees;
    // A recurrence PATCH replaces the whole pattern and range; occurrences it drops are gone.
    if (input.recurrence) event.recurrence = input.recurrence;
    // Once online, an event stays online (Outlook ignores turning isOnlineMeeting off).
    if (input.isOnlineMeeting && input.onlineMeetingProvider === 'teamsForBusiness')
      event.isOnlineMeeting = true;
    return [200, represent(event, request.prefer)];
  }

  function remove(id: string): [number, unknown] {
    if (!fake.events.delete(id)) {
      return [
        404,
        graphError('ErrorItemNotFound', 'The specified object was not found in the store.'),
      ];
    }
    return [204, undefined];
  }

  function calendarView(url: URL): [number, unknown] {
    const q = url.searchParams;
    const from = Date.parse(q.get('startDateTime') ?? '');
    const to = Date.parse(q.get('endDateTime') ?? '');
    if (Number.isNaN(from) || Number.isNaN(to)) {
      return [
        400,
        graphError('ErrorInvalidParameter', 'startDateTime and endDateTime are required.'),
      ];
    }
    const matching = [...fake.events.values()]
      .filter((e) => Date.parse(e.start) < to && Date.parse(e.end) > from)
      .sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
    const top = Number(q.get('$top') ?? 10);
    const skip = Number(q.get('$skip') ?? 0);
    const page = matching.slice(skip, skip + top);
    const next = new URL(url);
    next.searchParams.set('$skip', String(skip + top));
    return [
      200,
      {
        '@odata.context': "https://graph.microsoft.com/v1.0/$metadata#users('ana')/calendarView",
        value: page.map((e) => represent(e, 'outlook.timezone="UTC"')),
        ...(skip + top < matching.length ? { '@odata.nextLink': next.href } : {}),
      },
    ];
  }

  function represent(event: StoredEvent, prefer: string | undefined) {
    const zone = replyZone(prefer);
    return {
      '@odata.context': "https://graph.microsoft.com/v1.0/$metadata#users('ana')/events/$entity",
      '@odata.etag': 'W/"ZlnW4RIAV06KYYwlrfNZvQAALfZeRQ=="',
      id: event.id,
      subject: event.subject,
      bodyPreview: event.body.content.slice(0, 255),
      body: event.body,
      start: wire(event.start, zone),
      end: wire(event.end, zone),
      location: event.location ?? { displayName: '' },
      attendees: event.attendees.map((a) => ({
        ...a,
        status: { response: 'none', time: '0001-01-01T00:00:00Z' },
      })),
      organizer: { emailAddress: { name: 'Ana', address: 'ana@contoso.com' } },
      iCalUId: `040000008200E00074C5B7101A82E008${createHash('sha256').update(event.id).digest('hex').slice(0, 32).toUpperCase()}`,
      webLink: `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(event.id)}&exvsurl=1&path=/calendar/item`,
      isCancelled: false,
      isOrganizer: true,
      showAs: 'busy',
      type: 'singleInstance',
      isOnlineMeeting: event.isOnlineMeeting,
      onlineMeetingProvider: event.isOnlineMeeting ? 'teamsForBusiness' : 'unknown',
      onlineMeeting: event.isOnlineMeeting ? { joinUrl: teamsJoinUrl(event.id) } : null,
      ...(event.transactionId ? { transactionId: event.transactionId } : {}),
    };
  }

  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  origin = `https://localhost:${port}`;
  return Object.assign(fake, {
    baseUrl: `${origin}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

export function teamsJoinUrl(eventId: string): string {
  const thread = createHash('sha256').update(eventId).digest('hex').slice(0, 24);
  return `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${thread}%40thread.v2/0`;
}

/** Graph answers in the zone of `Prefer: outlook.timezone`, UTC by default; the fake knows UTC only. */
function replyZone(prefer: string | undefined): 'UTC' {
  const asked = /outlook\.timezone="([^"]+)"/.exec(prefer ?? '')?.[1];
  if (asked && asked !== 'UTC')
    throw new Error(`fake Graph only answers in UTC, was asked for ${asked}`);
  return 'UTC';
}

/** An ISO instant as Graph writes a dateTimeTimeZone: seven fractional digits, no offset. */
function wire(iso: string, zone: 'UTC') {
  return { dateTime: `${new Date(iso).toISOString().slice(0, 19)}.0000000`, timeZone: zone };
}

function instant(value: z.infer<typeof dateTimeTimeZone>): number {
  if (value.timeZone === 'UTC') return Date.parse(`${value.dateTime}Z`);
  // A series is written in the organizer's zone (Graph takes IANA names besides Windows ones).
  const local = DateTime.fromISO(value.dateTime, { zone: value.timeZone });
  if (!local.isValid)
    throw new Error(`fake Graph cannot read ${value.dateTime} in ${value.timeZone}`);
  return local.toMillis();
}

/**
 * A series' occurrences, expanded the way Outlook does: the master's wall-clock time on each day
 * the pattern names, in recurrenceTimeZone; deleted ones left out, moved ones at their new time.
 */
function seriesOccurrences(master: StoredEvent) {
  const { pattern, range } = master.recurrence!;
  const zone = range.recurrenceTimeZone ?? master.timeZone ?? 'UTC';
  const first = DateTime.fromISO(master.start, { zone });
  const length = Date.parse(master.end) - Date.parse(master.start);
  const days: DateTime[] = [];
  const limit = range.type === 'numbered' ? range.numberOfOccurrences! : 500;
  const endDate = range.type === 'endDate' ? range.endDate! : '9999-12-31';
  const cursor = DateTime.fromISO(range.startDate, { zone: 'UTC' });
  for (let step = 0; days.length < limit && step < 1000; step++) {
    if (pattern.type === 'weekly') {
      const week = cursor.plus({ weeks: step * pattern.interval }).startOf('week');
      if (week.toISODate()! > endDate) break;
      for (const name of pattern.daysOfWeek ?? []) {
        const day = week.plus({ days: (DAYS.indexOf(name) + 6) % 7 });
        if (day >= cursor && day.toISODate()! <= endDate && days.length < limit) days.push(day);
      }
    } else if (pattern.type === 'relativeMonthly') {
      const month = cursor.startOf('month').plus({ months: step * pattern.interval });
      if (month.toISODate()! > endDate) break;
      const weekday = ((DAYS.indexOf(pattern.daysOfWeek![0]!) + 6) % 7) + 1;
      const matching = Array.from({ length: month.daysInMonth! }, (_, i) =>
        month.plus({ days: i }),
      ).filter((d) => d.weekday === weekday);
      const order = ['first', 'second', 'third', 'fourth'].indexOf(pattern.index ?? 'first');
      const day = pattern.index === 'last' ? matching.at(-1)! : matching[order]!;
      if (day >= cursor && day.toISODate()! <= endDate) days.push(day);
    } else throw new Error(`fake Graph does not expand ${pattern.type}`);
  }
  return days.flatMap((day) => {
    const start = DateTime.fromObject(
      { year: day.year, month: day.month, day: day.day, hour: first.hour, minute: first.minute },
      { zone },
    );
    const original = start.toUTC().toISO()!;
    const change =
      master.exceptions?.get(`${original.slice(0, 19)}Z`) ?? master.exceptions?.get(original);
    if (change && 'deleted' in change) return [];
    if (change) return [{ original, start: change.start, end: change.end, moved: true }];
    return [
      {
        original,
        start: original,
        end: new Date(start.toMillis() + length).toISOString(),
        moved: false,
      },
    ];
  });
}

/** A response body that is not JSON (transcript content). */
class TextContent {
  readonly type: string;
  readonly text: string;
  constructor(type: string, text: string) {
    this.type = type;
    this.text = text;
  }
}

function graphError(code: string, message: string) {
  return {
    error: {
      code,
      message,
      innerError: {
        date: new Date().toISOString().slice(0, 19),
        'request-id': randomUUID(),
        'client-request-id': randomUUID(),
      },
    },
  };
}

function send(res: ServerResponse, status: number, payload: unknown) {
  if (payload === undefined) {
    res.writeHead(status).end();
    return;
  }
  res
    .writeHead(status, { 'content-type': 'application/json; odata.metadata=minimal' })
    .end(JSON.stringify(payload));
}
