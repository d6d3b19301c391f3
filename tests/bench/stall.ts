// Does any request block the server's event loop? The real server runs as a child process; while
// this sends the worst inputs it can find, one phase at a time, `GET /healthz` is asked every
// 20 ms and its latency recorded: a loop blocked for 300 ms shows up as a health check that took
// 300 ms. Prints, per phase, the health checks' p50/p99/max and the requests' own times.
//
//   npm run bench -- stall [--generated=2000] [--captions-mb=0.1,1]
import http from 'node:http';
import fc from 'fast-check';
import { badRequests, type GeneratedRequest } from '../support/bad-requests.ts';
import {
  FUZZ_PASSWORD,
  prepareFuzzTarget,
  sendAll,
  type FuzzTarget,
} from '../support/fuzz-target.ts';
import { spread, startChildServer } from './child-server.ts';

const ZONES = ['UTC', 'Europe/Berlin', 'Asia/Kolkata', 'America/New_York', 'Australia/Sydney'];
const DAY = 86_400_000;

export interface StallOptions {
  generated: number;
  captionsMb: number[];
}

export function stallOptionsFromArgs(args: string[]): StallOptions {
  const value = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  return {
    generated: Number(value('generated') ?? 2000),
    captionsMb: (value('captions-mb') ?? '0.1,1').split(',').map(Number),
  };
}

/** Health checks every 20 ms until stopped; their latencies in ms. */
function watchHealth(url: string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const target = new URL(url);
  const latencies: number[] = [];
  let pending = 0;
  const check = () => {
    const begun = performance.now();
    pending += 1;
    http
      .get({ host: target.hostname, port: target.port, path: '/healthz', agent }, (res) => {
        res.resume();
        res.on('end', () => {
          latencies.push(performance.now() - begun);
          pending -= 1;
        });
      })
      .on('error', () => {
        pending -= 1;
      });
  };
  const timer = setInterval(check, 20);
  return {
    async stop() {
      clearInterval(timer);
      while (pending > 0) await new Promise((r) => setTimeout(r, 5));
      agent.destroy();
      return latencies;
    },
  };
}

function json(route: string, method: GeneratedRequest['method'], url: string, body: unknown) {
  return {
    route,
    method,
    url,
    credential: 'admin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  } satisfies GeneratedRequest;
}

/** 99 colleagues across five zones, so searches have real people to weigh. */
async function addColleagues(target: FuzzTarget, url: string, count: number): Promise<string[]> {
  const emails: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const email = `person${i}@fuzz.example`;
    const made = await target.admin('POST', '/api/admin/people', {
      name: `Person ${i}`,
      email,
      password: FUZZ_PASSWORD,
    });
    if (made.status !== 201) throw new Error(`colleague: ${made.status}`);
    const signin = await fetch(`${url}/auth/signin`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: url,
        'x-forwarded-for': `203.0.113.${i % 250}`,
      },
      body: JSON.stringify({ email, password: FUZZ_PASSWORD }),
    });
    const cookie = signin.headers.getSetCookie()[0]?.split(';')[0];
    if (!cookie) throw new Error(`colleague sign-in: ${signin.status}`);
    await fetch(`${url}/api/me/settings`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', origin: url, cookie },
      body: JSON.stringify({
        timeZone: ZONES[i % ZONES.length],
        workingHours: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00' }],
        defaultLinkType: 'none',
      }),
    });
    emails.push(email);
  }
  return emails;
}

/** Waits (up to two minutes) until a meeting's pipeline has finished with its captions. */
async function settled(target: FuzzTarget, meetingId: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const { body } = await target.admin('GET', `/api/meetings/${meetingId}`);
    if (['ready', 'failed', 'deleted'].includes(body?.status)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

function captions(megabytes: number): string {
  const lines = ['WEBVTT', ''];
  let size = 8;
  for (let i = 0; size < megabytes * 1024 * 1024; i += 1) {
    const at = (s: number) => new Date(s * 1000).toISOString().slice(11, 23);
    const cue = `${at(i * 2)} --> ${at(i * 2 + 2)}\n<v Person ${i % 7}>We should decide on item ${i} and Ana will send the report by Friday.\n`;
    lines.push(cue);
    size += cue.length + 1;
  }
  return lines.join('\n');
}

export async function benchStall(
  options: StallOptions = stallOptionsFromArgs([]),
): Promise<Record<string, unknown>[]> {
  const server = await startChildServer('stall');
  const figures: Record<string, unknown>[] = [];
  try {
    const target = await prepareFuzzTarget(server.url);
    const colleagues = await addColleagues(target, server.url, 99);
    const attendees = colleagues.map((email) => ({ email }));
    const base = target.fixtures.base;
    const iso = (ms: number) => new Date(ms).toISOString();
    const widest = { start: iso(base.getTime()), end: iso(base.getTime() + 62 * DAY) };
    const wide = await target.admin('POST', '/api/booking-pages', {
      slug: 'stall-wide',
      title: 'Wide',
      durationMinutes: 5,
      windowDays: 60,
      minNoticeMinutes: 0,
      hostEmails: colleagues.slice(0, 20),
    });
    if (wide.status !== 201) throw new Error(`booking page: ${JSON.stringify(wide.body)}`);

    let unique = 0;
    const times = (n: number, make: () => GeneratedRequest) => Array.from({ length: n }, make);
    const phases: Array<{
      name: string;
      requests: GeneratedRequest[];
      concurrency: number;
      /** A meeting whose pipeline (transcript, summary) is watched until it settles. */
      meetingId?: string;
    }> = [
      // The floor: health checks alone, on a machine whose cores other work shares.
      { name: 'idle', concurrency: 1, requests: [] },
      {
        name: 'find.100-attendees.62-days.5-minutes',
        concurrency: 2,
        requests: times(10, () =>
          json('find', 'POST', '/api/scheduling/find', {
            attendees: [...attendees, { email: 'outside@elsewhere.example' }],
            durationMinutes: 5,
            window: widest,
            limit: 50,
          }),
        ),
      },
      {
        name: 'availability.30-people.14-days',
        concurrency: 2,
        requests: times(10, () =>
          json('availability', 'POST', '/api/scheduling/availability', {
            emails: colleagues.slice(0, 30),
            window: { start: widest.start, end: iso(base.getTime() + 14 * DAY) },
          }),
        ),
      },
      {
        name: 'booking-page.20-hosts.60-days.public-view',
        concurrency: 2,
        requests: times(10, () => ({
          route: 'page',
          method: 'GET',
          url: '/api/public/booking-pages/stall-wide',
          credential: 'none',
          headers: {},
        })),
      },
      {
        name: 'bookings.24-hours.100-attendees.at-the-bounds',
        concurrency: 2,
        requests: times(10, () => {
          unique += 1;
          const start =
            unique % 2 ? Date.UTC(2099, 11, 30, 0, unique) : Date.UTC(2000, 0, 1, 0, unique);
          return json('book', 'POST', '/api/bookings', {
            title: `Edge ${unique}`,
            start: iso(start),
            end: iso(start + DAY),
            attendees,
          });
        }),
      },
      {
        name: 'polls.20-options-of-24-hours.100-participants',
        concurrency: 2,
        requests: times(5, () =>
          json('poll', 'POST', '/api/polls', {
            title: 'Edge poll',
            options: Array.from({ length: 20 }, (_, i) => ({
              start: iso(Date.UTC(2099, 10, 1) + i * DAY),
              end: iso(Date.UTC(2099, 10, 2) + i * DAY),
            })),
            participants: [...attendees, { email: 'outside@elsewhere.example' }],
          }),
        ),
      },
      {
        name: 'parse.1000-characters',
        concurrency: 2,
        requests: times(10, () =>
          json('parse', 'POST', '/api/scheduling/parse', {
            text: '30m with ana@fuzz.example next tuesday afternoon or friday at 3pm '
              .repeat(200)
              .slice(0, 1_000),
          }),
        ),
      },
      {
        // New passwords go through the core's strength check (zxcvbn) on the event loop; 64
        // characters is the most the web edge lets through, digits being its slowest case.
        name: 'add-person.64-character-password',
        concurrency: 1,
        requests: times(3, () => {
          unique += 1;
          return json('people', 'POST', '/api/admin/people', {
            email: `pw${unique}@fuzz.example`,
            name: 'Long Password',
            password: `${unique}`.padEnd(64, '1984123120200101'),
          });
        }),
      },
      {
        name: 'sign-up.closed.long-password',
        concurrency: 1,
        requests: times(3, () => ({
          ...json('signup', 'POST', '/auth/signup', {
            organization: 'Other',
            name: 'Olga',
            email: 'olga@elsewhere.example',
            password: '1984123120200101'.repeat(4),
          }),
          credential: 'none' as const,
        })),
      },
      {
        name: 'search.500-characters',
        concurrency: 2,
        requests: times(20, () => ({
          route: 'search',
          method: 'GET',
          url: `/api/search?q=${encodeURIComponent(
            Array.from({ length: 70 }, (_, i) => `word${i}`)
              .join(' ')
              .slice(0, 500),
          )}`,
          credential: 'admin',
          headers: {},
        })),
      },
      {
        name: 'previous.200-attendees',
        concurrency: 2,
        requests: times(10, () => ({
          route: 'previous',
          method: 'GET',
          url: `/api/meetings/previous?attendees=${encodeURIComponent(
            Array.from({ length: 200 }, (_, i) => `p${i}@elsewhere.example`).join(','),
          )}`,
          credential: 'admin',
          headers: {},
        })),
      },
      {
        name: 'certificate-verify.64-KiB',
        concurrency: 2,
        requests: times(10, () =>
          json('verify', 'POST', '/api/public/certificates/verify', {
            certificate: JSON.stringify({ payload: 'x'.repeat(64 * 1024 - 40), signature: 'y' }),
          }),
        ),
      },
    ];
    fc.configureGlobal({ seed: 4242, numRuns: options.generated });
    phases.push({
      name: `generated-bad-input.${options.generated}`,
      concurrency: 8,
      requests: fc.sample(badRequests(target.fixtures)),
    });

    for (const megabytes of options.captionsMb) {
      const meeting = await target.admin('POST', '/api/meetings', {
        title: `Captions ${megabytes} MB`,
        startsAt: iso(base.getTime()),
        endsAt: iso(base.getTime() + 3_600_000),
      });
      phases.push({
        name: `captions.${megabytes}-MB.and-its-pipeline`,
        concurrency: 1,
        meetingId: meeting.body.id as string,
        requests: [
          {
            route: 'captions',
            method: 'POST',
            url: `/api/meetings/${meeting.body.id}/captions`,
            credential: 'admin',
            headers: { 'content-type': 'text/vtt' },
            body: captions(megabytes),
          },
        ],
      });
    }
    const all: number[] = [];
    for (const phase of phases) {
      const watch = watchHealth(server.url);
      const took: number[] = [];
      const statuses = new Map<number, number>();
      if (phase.requests.length === 0) await new Promise((r) => setTimeout(r, 3000));
      await sendAll(phase.requests, target.send, phase.concurrency, (_request, answer) => {
        if (answer instanceof Error) return;
        took.push(answer.ms);
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      });
      // The work a request leaves behind (jobs it queued) is watched too.
      if (phase.meetingId) await settled(target, phase.meetingId);
      await new Promise((r) => setTimeout(r, 1000));
      const health = await watch.stop();
      all.push(...health);
      figures.push({
        bench: 'stall',
        input: phase.name,
        unit: 'ms',
        healthz: spread(health),
        requests: { ...spread(took), statuses: Object.fromEntries(statuses) },
      });
    }
    figures.push({ bench: 'stall', input: 'all', unit: 'ms', healthz: spread(all) });
    return figures;
  } finally {
    await server.stop();
  }
}
