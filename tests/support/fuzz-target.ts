// A Quorum made ready for generated requests: an organization with an administrator, a member,
// an API key, and one of each thing a route can name by id (a meeting, a booking, a poll with a
// guest link, a booking page with a guest's booking); and a sender that turns a generated
// request's caller into headers. Works against any running Quorum (in the test process or a
// child process), over HTTP only.
import http from 'node:http';
import { API_KEY_PERMISSIONS } from '../../core/identity/api-keys.ts';
import type { Credential, Fixtures, GeneratedRequest } from './bad-requests.ts';
import { sealAppContext } from './fake-zoom.ts';

export const FUZZ_PASSWORD = 'plum-orbit-canvas-97';

/** A response, and how long it took from sending to its last byte. */
export interface Answer {
  status: number;
  text: string;
  ms: number;
}

export interface FuzzTarget {
  fixtures: Fixtures;
  /** Headers for a caller (cookies, Origin, API key, Zoom context). */
  headersFor(credential: Credential): Record<string, string>;
  send(request: GeneratedRequest): Promise<Answer>;
  /** A signed-in request as the administrator, JSON in and out. */
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

function sessionCookie(res: Response): string {
  const line = res.headers.getSetCookie().find((c) => c.startsWith('quorum_session='));
  if (!line) throw new Error(`no session cookie (status ${res.status})`);
  return line.split(';')[0]!;
}

/** The next Monday at 09:00 UTC at least a week away: bookings there are in the future. */
export function nextMonday(): Date {
  const d = new Date(Date.now() + 7 * 86_400_000);
  d.setUTCHours(9, 0, 0, 0);
  while (d.getUTCDay() !== 1) d.setUTCDate(d.getUTCDate() + 1);
  return d;
}

export async function prepareFuzzTarget(
  url: string,
  options: { zoomClientSecret?: string; domain?: string } = {},
): Promise<FuzzTarget> {
  const domain = options.domain ?? 'fuzz.example';
  const adminEmail = `ana@${domain}`;
  const memberEmail = `raj@${domain}`;
  const origin = new URL(url).origin;
  const call = async (method: string, path: string, cookie: string | undefined, body?: unknown) => {
    const res = await fetch(url + path, {
      method,
      headers: {
        origin,
        ...(cookie ? { cookie } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: 'manual',
    });
    const text = await res.text();
    return { res, status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const must = <T extends { status: number; body: unknown }>(
    what: string,
    r: T,
    ok = [200, 201],
  ) => {
    if (!ok.includes(r.status)) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
    return r;
  };

  const signup = must(
    'sign-up',
    await call('POST', '/auth/signup', undefined, {
      organization: 'Fuzz',
      name: 'Ana Admin',
      email: adminEmail,
      password: FUZZ_PASSWORD,
    }),
  );
  const adminCookie = sessionCookie(signup.res);
  const admin = (method: string, path: string, body?: unknown) =>
    call(method, path, adminCookie, body);
  must(
    'member',
    await admin('POST', '/api/admin/people', {
      name: 'Raj Member',
      email: memberEmail,
      password: FUZZ_PASSWORD,
    }),
  );
  const memberCookie = sessionCookie(
    must(
      'member sign-in',
      await call('POST', '/auth/signin', undefined, {
        email: memberEmail,
        password: FUZZ_PASSWORD,
      }),
    ).res,
  );
  const allDay = {
    timeZone: 'UTC',
    workingHours: [
      {
        days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
        start: '00:00',
        end: '24:00',
      },
    ],
    defaultLinkType: 'none',
  };
  must('settings', await admin('PUT', '/api/me/settings', allDay));
  const key = must(
    'api key',
    await admin('POST', '/api/admin/api-keys', {
      name: 'fuzz',
      permissions: [...API_KEY_PERMISSIONS],
    }),
  ).body.key as string;

  const base = nextMonday();
  const at = (minutes: number) => new Date(base.getTime() + minutes * 60_000).toISOString();
  const meeting = must(
    'meeting',
    await admin('POST', '/api/meetings', {
      title: 'Fuzz review',
      startsAt: at(0),
      endsAt: at(30),
      participants: [{ email: memberEmail }],
    }),
  ).body.id as string;
  const booking = must(
    'booking',
    await admin('POST', '/api/bookings', {
      title: 'Fuzz booking',
      start: at(60),
      end: at(90),
      attendees: [{ email: memberEmail }],
    }),
  ).body.booking._id as string;
  const poll = must(
    'poll',
    await admin('POST', '/api/polls', {
      title: 'Fuzz poll',
      options: [
        { start: at(120), end: at(150) },
        { start: at(180), end: at(210) },
      ],
      participants: [{ email: `guest@elsewhere.example` }],
    }),
  ).body;
  const pollToken = new URL(poll.links[0].url as string).searchParams.get('t')!;
  const slug = 'fuzz-intro';
  must(
    'booking page',
    await admin('POST', '/api/booking-pages', { slug, title: 'Intro', durationMinutes: 30 }),
  );
  const page = must(
    'booking page view',
    await call('GET', `/api/public/booking-pages/${slug}`, undefined),
  ).body;
  const guest = must(
    'guest booking',
    await call('POST', `/api/public/booking-pages/${slug}/bookings`, undefined, {
      name: 'Gus Guest',
      email: 'gus@elsewhere.example',
      start: page.slots[0].start,
    }),
  ).body;
  const icsToken = new URL(guest.icsUrl as string).searchParams.get('t')!;

  const fixtures: Fixtures = {
    emails: [adminEmail, memberEmail, 'gus@elsewhere.example'],
    base,
    fields: {
      timeZone: ['UTC', 'Europe/Berlin', 'Asia/Kolkata', 'America/New_York', 'Australia/Sydney'],
      bookingId: [booking],
      followUpOf: [booking],
    },
    ids: { booking, poll: poll.poll._id, meeting, slug, guestBooking: guest.booking.id },
    tokens: { poll: pollToken, ics: icsToken },
  };

  const zoomContext = () =>
    options.zoomClientSecret
      ? sealAppContext(
          { typ: 'panel', uid: 'fuzzZoomUser', ts: Date.now(), exp: Date.now() + 3_600_000 },
          options.zoomClientSecret,
        )
      : 'not-configured';
  const headersFor = (credential: Credential): Record<string, string> => {
    switch (credential) {
      case 'admin':
        return { cookie: adminCookie, origin };
      case 'member':
        return { cookie: memberCookie, origin };
      case 'api-key':
        return { authorization: `Bearer ${key}` };
      case 'zoom':
        return { 'x-zoom-app-context': zoomContext() };
      case 'bad-zoom':
        return { 'x-zoom-app-context': Buffer.from('not sealed at all').toString('base64') };
      default:
        return {};
    }
  };

  // A plain keep-alive client: it sends exactly the bytes and headers it is given.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const target = new URL(url);
  const send = (request: GeneratedRequest) =>
    new Promise<Answer>((resolve, reject) => {
      const begun = performance.now();
      const body = request.body === undefined ? undefined : Buffer.from(request.body);
      const req = http.request(
        {
          host: target.hostname,
          port: target.port,
          method: request.method,
          path: request.url,
          agent,
          headers: {
            ...request.headers,
            ...headersFor(request.credential),
            ...(body ? { 'content-length': body.length } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              text: Buffer.concat(chunks).toString(),
              ms: performance.now() - begun,
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  return { fixtures, headersFor, send, admin: (m, p, b) => admin(m, p, b) };
}

/** Sends requests with at most `concurrency` under way; calls `each` with every answer. */
export async function sendAll(
  requests: GeneratedRequest[],
  send: FuzzTarget['send'],
  concurrency: number,
  each: (request: GeneratedRequest, answer: Answer | Error) => void,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const request = requests[next++]!;
      try {
        each(request, await send(request));
      } catch (error) {
        each(request, error as Error);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** A stack frame in a response: an error's internals leaking out. */
export const STACK_TRACE = /\n\s+at \S.*(?::\d+:\d+\)?|\(native\))|node:internal\//;
