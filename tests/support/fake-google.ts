// A local stand-in for the Google Calendar API v3 wire format, for googleapis to talk to.
//
// It speaks the documented requests and responses of freebusy.query and events.insert / get /
// patch / delete / list, checks what the client sent the way Google would (bearer token,
// at most 50 calendars per free/busy request, conferenceDataVersion for Meet), and records
// every request so tests can look at them.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { readBody } from './wire.ts';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string | undefined;
  body: unknown;
}

export interface StoredEvent {
  id: string;
  status: 'confirmed' | 'cancelled';
  summary?: string;
  description?: string;
  location?: string;
  start: { dateTime?: string; date?: string; timeZone?: string };
  end: { dateTime?: string; date?: string; timeZone?: string };
  attendees?: { email: string; displayName?: string; optional?: boolean; responseStatus: string }[];
  conferenceRequestId?: string;
  /** RRULE/EXDATE lines of a recurring event, as sent. */
  recurrence?: string[];
  /** Changed instances of a recurring event by original start (ISO, UTC). */
  instances?: Map<
    string,
    { status: 'cancelled' } | { status: 'confirmed'; start: string; end: string }
  >;
  /** Reads left before a Meet conference stops being `pending` (Google creates them async). */
  pendingReads: number;
}

export interface FakeGoogle {
  /** The API root to give googleapis as `rootUrl`. */
  rootUrl: string;
  requests: RecordedRequest[];
  /** Bearer tokens the fake accepts; any other gets 401 like an expired token. */
  acceptedTokens: Set<string>;
  /** Busy periods of the calendars the user may read; any other id answers `notFound`. */
  busy: Map<string, { start: string; end: string }[]>;
  /** Stored events by id (all in the calendar the tests use). */
  events: Map<string, StoredEvent>;
  /** Every response waits this long (a slow server). */
  delayMs: number;
  /** How many reads a new Meet conference stays `pending`. */
  conferencePendingReads: number;
  /** The calendar's zone, reported by events.list. */
  timeZone: string;
  /** Requests the client gave up on before the answer came. */
  abandoned: number;
  /** A recurring event's occurrences as Google would list them (singleEvents), start and end in UTC. */
  occurrencesOf(eventId: string): { start: string; end: string }[];
  close(): Promise<void>;
}

const FREEBUSY_MAX_ITEMS = 50;

const rfc3339 = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)) && /T.*(Z|[+-]\d\d:\d\d)$/.test(s), {
    message: 'must be an RFC 3339 date-time with an offset',
  });

const freeBusyRequest = z.object({
  timeMin: rfc3339,
  timeMax: rfc3339,
  timeZone: z.string().optional(),
  items: z.array(z.object({ id: z.string().min(1) })),
});

const eventTime = z.object({ dateTime: rfc3339, timeZone: z.string().optional() });
const eventBody = z.object({
  id: z.string().optional(),
  recurrence: z.array(z.string().regex(/^(RRULE|EXRULE|RDATE|EXDATE)[:;]/)).optional(),
  summary: z.string().optional(),
  description: z.string().nullish(),
  location: z.string().nullish(),
  start: eventTime,
  end: eventTime,
  attendees: z
    .array(
      z.object({
        email: z.email(),
        displayName: z.string().optional(),
        optional: z.boolean().optional(),
      }),
    )
    .optional(),
  conferenceData: z
    .object({
      createRequest: z.object({
        requestId: z.string().min(1),
        conferenceSolutionKey: z.object({
          type: z.enum(['hangoutsMeet', 'eventHangout', 'eventNamedHangout', 'addOn']),
        }),
      }),
    })
    .optional(),
});
const patchBody = eventBody.partial();

export async function startFakeGoogle(): Promise<FakeGoogle> {
  const fake: Omit<FakeGoogle, 'rootUrl' | 'close'> = {
    occurrencesOf: () => [],
    requests: [],
    acceptedTokens: new Set(),
    busy: new Map(),
    events: new Map(),
    delayMs: 0,
    conferencePendingReads: 0,
    timeZone: 'UTC',
    abandoned: 0,
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, googleError(500, 'backendError', String(error)));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = await readBody(req);
    const body: unknown = raw ? JSON.parse(raw) : undefined;
    fake.requests.push({
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization,
      body,
    });
    let answered = false;
    res.on('close', () => {
      if (!answered) fake.abandoned++;
    });
    if (fake.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, fake.delayMs));
    if (res.destroyed) return;
    const [status, payload] = route(req.method ?? '', url, body, req.headers.authorization);
    answered = true;
    send(res, status, payload);
  }

  function route(
    method: string,
    url: URL,
    body: unknown,
    authorization: string | undefined,
  ): [number, unknown] {
    const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    if (!token || !fake.acceptedTokens.has(token)) {
      return [401, googleError(401, 'authError', 'Invalid Credentials')];
    }
    if (method === 'POST' && url.pathname === '/calendar/v3/freeBusy') return freeBusy(body);
    const events = /^\/calendar\/v3\/calendars\/([^/]+)\/events(?:\/([^/]+))?$/.exec(url.pathname);
    if (events) {
      const eventId = events[2] ? decodeURIComponent(events[2]) : undefined;
      const instance = eventId ? /^([a-v0-9]{5,1024})_(\d{8}T\d{6}Z)$/.exec(eventId) : null;
      if (instance && (method === 'PATCH' || method === 'DELETE')) {
        return changeInstance(method, instance[1]!, instance[2]!, body);
      }
      if (method === 'POST' && !eventId) return insert(url, body);
      if (method === 'GET' && !eventId) return list(url);
      if (method === 'GET' && eventId) return get(eventId);
      if (method === 'PATCH' && eventId) return patch(eventId, url, body);
      if (method === 'DELETE' && eventId) return remove(eventId);
    }
    return [404, googleError(404, 'notFound', 'Not Found')];
  }

  function freeBusy(body: unknown): [number, unknown] {
    const parsed = freeBusyRequest.safeParse(body);
    if (!parsed.success) return [400, googleError(400, 'invalid', parsed.error.message)];
    const { timeMin, timeMax, items } = parsed.data;
    if (items.length > FREEBUSY_MAX_ITEMS) {
      return [
        400,
        googleError(
          400,
          'tooManyCalendarsRequested',
          'The number of calendars requested is too large.',
        ),
      ];
    }
    const calendars: Record<string, unknown> = {};
    for (const { id } of items) {
      const busy = fake.busy.get(id);
      calendars[id] = busy
        ? {
            busy: busy.filter(
              (b) =>
                Date.parse(b.start) < Date.parse(timeMax) &&
                Date.parse(b.end) > Date.parse(timeMin),
            ),
          }
        : { errors: [{ domain: 'global', reason: 'notFound' }], busy: [] };
    }
    return [200, { kind: 'calendar#freeBusy', timeMin, timeMax, calendars }];
  }

  // An instance of a recurring event is addressed as `<event id>_<original start, basic UTC>`;
  // deleting it cancels that occurrence, patching it moves it (Google's documented behaviour).
  function changeInstance(
    method: string,
    id: string,
    basic: string,
    body: unknown,
  ): [number, unknown] {
    const event = fake.events.get(id);
    if (!event || event.status === 'cancelled' || !event.recurrence) {
      return [404, googleError(404, 'notFound', 'Not Found')];
    }
    const original = new Date(
      basic.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'),
    ).toISOString();
    if (!ruleStarts(event).some((o) => o.start === original)) {
      return [404, googleError(404, 'notFound', 'Not Found')];
    }
    event.instances ??= new Map();
    if (method === 'DELETE') {
      event.instances.set(original, { status: 'cancelled' });
      return [204, undefined];
    }
    const parsed = patchBody.safeParse(body);
    if (!parsed.success || !parsed.data.start || !parsed.data.end) {
      return [400, googleError(400, 'invalid', 'an instance patch needs start and end')];
    }
    event.instances.set(original, {
      status: 'confirmed',
      start: new Date(parsed.data.start.dateTime).toISOString(),
      end: new Date(parsed.data.end.dateTime).toISOString(),
    });
    return [
      200,
      {
        ...represent(event),
        id: `${id}_${basic}`,
        recurringEventId: id,
        originalStartTime: { dateTime: original },
      },
    ];
  }

  function insert(url: URL, body: unknown): [number, unknown] {
    const parsed = eventBody.safeParse(body);
    if (!parsed.success) return [400, googleError(400, 'invalid', parsed.error.message)];
    const input = parsed.data;
    if (input.recurrence && (!input.start.timeZone || !input.end.timeZone)) {
      return [400, googleError(400, 'invalid', 'Missing time zone definition for start time.')];
    }
    const id =
      input.id ?? createHash('sha256').update(String(Math.random())).digest('hex').slice(0, 26);
    if (!/^[a-v0-9]{5,1024}$/.test(id))
      return [400, googleError(400, 'invalid', 'Invalid resource id value.')];
    if (fake.events.has(id)) {
      return [409, googleError(409, 'duplicate', 'The requested identifier already exists.')];
    }
    const event: StoredEvent = {
      id,
      status: 'confirmed',
      pendingReads: 0,
      ...fields(input),
      start: input.start,
      end: input.end,
    };
    // Without conferenceDataVersion=1 Google ignores conferenceData entirely.
    if (input.conferenceData && url.searchParams.get('conferenceDataVersion') === '1') {
      event.conferenceRequestId = input.conferenceData.createRequest.requestId;
      event.pendingReads = fake.conferencePendingReads;
    }
    fake.events.set(id, event);
    return [200, represent(event)];
  }

  function get(eventId: string): [number, unknown] {
    const event = fake.events.get(eventId);
    if (!event) return [404, googleError(404, 'notFound', 'Not Found')];
    if (event.pendingReads > 0) event.pendingReads--;
    return [200, represent(event)];
  }

  function patch(eventId: string, url: URL, body: unknown): [number, unknown] {
    const event = fake.events.get(eventId);
    if (!event || event.status === 'cancelled')
      return [404, googleError(404, 'notFound', 'Not Found')];
    const parsed = patchBody.safeParse(body);
    if (!parsed.success) return [400, googleError(400, 'invalid', parsed.error.message)];
    Object.assign(event, fields(parsed.data));
    const request = parsed.data.conferenceData?.createRequest;
    if (
      request &&
      url.searchParams.get('conferenceDataVersion') === '1' &&
      !event.conferenceRequestId
    ) {
      event.conferenceRequestId = request.requestId;
    }
    return [200, represent(event)];
  }

  function remove(eventId: string): [number, unknown] {
    const event = fake.events.get(eventId);
    if (!event) return [404, googleError(404, 'notFound', 'Not Found')];
    if (event.status === 'cancelled')
      return [410, googleError(410, 'deleted', 'Resource has been deleted')];
    event.status = 'cancelled';
    return [204, undefined];
  }

  function list(url: URL): [number, unknown] {
    const q = url.searchParams;
    if (q.get('orderBy') === 'startTime' && q.get('singleEvents') !== 'true') {
      return [
        400,
        googleError(
          400,
          'invalid',
          'The requested ordering is not available for the particular query.',
        ),
      ];
    }
    const timeMin = Date.parse(q.get('timeMin') ?? '');
    const timeMax = Date.parse(q.get('timeMax') ?? '');
    const startOf = (e: StoredEvent) => Date.parse(e.start.dateTime ?? `${e.start.date}T00:00:00Z`);
    const endOf = (e: StoredEvent) => Date.parse(e.end.dateTime ?? `${e.end.date}T00:00:00Z`);
    const matching = [...fake.events.values()]
      .filter((e) => e.status !== 'cancelled' && startOf(e) < timeMax && endOf(e) > timeMin)
      .sort((a, b) => startOf(a) - startOf(b));
    const offset = Number(q.get('pageToken') ?? 0);
    const size = Math.min(Number(q.get('maxResults') ?? 250), 2500);
    const page = matching.slice(offset, offset + size);
    const next = offset + size < matching.length ? String(offset + size) : undefined;
    return [
      200,
      {
        kind: 'calendar#events',
        summary: 'ana@example.com',
        timeZone: fake.timeZone,
        items: page.map(represent),
        ...(next ? { nextPageToken: next } : {}),
      },
    ];
  }

  fake.occurrencesOf = (eventId: string) => {
    const event = fake.events.get(eventId);
    if (!event || event.status === 'cancelled') return [];
    if (!event.recurrence)
      return [
        {
          start: new Date(event.start.dateTime!).toISOString(),
          end: new Date(event.end.dateTime!).toISOString(),
        },
      ];
    return ruleStarts(event).flatMap((o) => {
      const changed = event.instances?.get(o.start);
      if (changed?.status === 'cancelled') return [];
      return [changed ?? o].map(({ start, end }) => ({ start, end }));
    });
  };

  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    rootUrl: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

/**
 * The occurrences a recurring event's RRULE makes, read with ical.js on the wall clock of the
 * event's zone (as Google expands in start.timeZone) and placed in that zone with luxon.
 */
function ruleStarts(event: StoredEvent): { start: string; end: string }[] {
  const zone = event.start.timeZone!;
  const first = DateTime.fromISO(event.start.dateTime!, { zone });
  const length = Date.parse(event.end.dateTime!) - Date.parse(event.start.dateTime!);
  const line = (event.recurrence ?? []).find((r) => r.startsWith('RRULE:'))!;
  const rule = ICAL.Recur.fromString(line.slice('RRULE:'.length));
  // UNTIL is an instant: compare it to each occurrence's instant, not the floating clock.
  const until = rule.until ? rule.until.toJSDate().getTime() : Infinity;
  rule.until = null;
  const dtstart = ICAL.Time.fromData({
    year: first.year,
    month: first.month,
    day: first.day,
    hour: first.hour,
    minute: first.minute,
    second: first.second,
  });
  const iterator = rule.iterator(dtstart);
  const found: { start: string; end: string }[] = [];
  for (let next = iterator.next(); next && found.length < 500; next = iterator.next()) {
    const start = DateTime.fromObject(
      {
        year: next.year,
        month: next.month,
        day: next.day,
        hour: next.hour,
        minute: next.minute,
        second: next.second,
      },
      { zone },
    );
    if (start.toMillis() > until) break;
    found.push({
      start: start.toUTC().toISO()!,
      end: new Date(start.toMillis() + length).toISOString(),
    });
  }
  return found;
}

function fields(input: z.infer<typeof patchBody>): Partial<StoredEvent> {
  return {
    ...(input.recurrence ? { recurrence: input.recurrence } : {}),
    ...(input.summary !== undefined ? { summary: input.summary } : {}),
    ...(input.description != null ? { description: input.description } : {}),
    ...(input.location != null ? { location: input.location } : {}),
    ...(input.start ? { start: input.start } : {}),
    ...(input.end ? { end: input.end } : {}),
    ...(input.attendees
      ? { attendees: input.attendees.map((a) => ({ ...a, responseStatus: 'needsAction' })) }
      : {}),
  };
}

/** The Event resource as Google returns it. */
function represent(event: StoredEvent) {
  const meetCode = event.conferenceRequestId ? meetCodeFor(event.conferenceRequestId) : undefined;
  const pending = event.pendingReads > 0;
  return {
    kind: 'calendar#event',
    etag: `"${event.id.slice(0, 16)}"`,
    id: event.id,
    status: event.status,
    htmlLink: `https://www.google.com/calendar/event?eid=${Buffer.from(event.id).toString('base64url')}`,
    created: '2025-01-01T00:00:00.000Z',
    updated: '2025-01-01T00:00:00.000Z',
    summary: event.summary,
    description: event.description,
    location: event.location,
    creator: { email: 'ana@example.com', self: true },
    organizer: { email: 'ana@example.com', self: true },
    start: event.start,
    end: event.end,
    ...(event.recurrence ? { recurrence: event.recurrence } : {}),
    iCalUID: `${event.id}@google.com`,
    sequence: 0,
    attendees: event.attendees,
    ...(meetCode && !pending ? { hangoutLink: `https://meet.google.com/${meetCode}` } : {}),
    ...(event.conferenceRequestId
      ? {
          conferenceData: {
            createRequest: {
              requestId: event.conferenceRequestId,
              conferenceSolutionKey: { type: 'hangoutsMeet' },
              status: { statusCode: pending ? 'pending' : 'success' },
            },
            ...(pending
              ? {}
              : {
                  entryPoints: [
                    {
                      entryPointType: 'video',
                      uri: `https://meet.google.com/${meetCode}`,
                      label: `meet.google.com/${meetCode}`,
                    },
                    { entryPointType: 'more', uri: `https://tel.meet/${meetCode}?pin=1234567890` },
                  ],
                  conferenceSolution: { key: { type: 'hangoutsMeet' }, name: 'Google Meet' },
                  conferenceId: meetCode,
                }),
          },
        }
      : {}),
    reminders: { useDefault: true },
    eventType: 'default',
  };
}

/** A stable "abc-defg-hij" code per conference request. */
export function meetCodeFor(requestId: string): string {
  const letters = [...createHash('sha256').update(requestId).digest()].map((b) =>
    String.fromCharCode(97 + (b % 26)),
  );
  return `${letters.slice(0, 3).join('')}-${letters.slice(3, 7).join('')}-${letters.slice(7, 10).join('')}`;
}

function googleError(code: number, reason: string, message: string) {
  return { error: { errors: [{ domain: 'global', reason, message }], code, message } };
}

function send(res: ServerResponse, status: number, payload: unknown) {
  if (payload === undefined) {
    res.writeHead(status).end();
    return;
  }
  res
    .writeHead(status, { 'content-type': 'application/json; charset=UTF-8' })
    .end(JSON.stringify(payload));
}
