// How Quorum's request paths hold up as one organization's data grows, on the embedded
// database: `npm run bench -- scale [--scale-sizes=100,1000,10000]`.
//
// One tenant is grown through the real server (a child process, as `npm start` runs it, on its
// own embedded FerretDB): meetings are created over HTTP and given a 300-cue WebVTT transcript,
// which the server's own pipeline transcribes, seals, summarizes (extractive) and indexes. At
// each size it prints p50 and p95 of: opening a meeting with its transcript, listing my
// meetings, searching, finding times for 5 people, booking, and Slack's acknowledgement of
// `/meet find`. At the end the server is stopped and the same data folder is opened in this
// process to purge every meeting as expired (a retention clock a year ahead). Figures only;
// nothing here asserts on time.
import { cpSync, rmSync } from 'node:fs';
import { Writable } from 'node:stream';
import { loadConfig } from '../../infra/server/config.ts';
import { createLogger } from '../../core/logger.ts';
import { purgeExpiredForTenant } from '../../core/meetings/retention/retention.ts';
import { verifiedTenantContext } from '../../core/store/tenant-context.ts';
import { startQuorum } from '../../infra/server/quorum.ts';
import { SlackSender, startFakeSlack, type FakeSlack } from '../support/fake-slack.ts';
import { percentile, startChildServer } from './child-server.ts';

export const SECRET = 'bench-signing-secret-0123456789ab';
const TOKEN = 'xoxb-9999-8888-benchscale';
const TEAM = 'T0SCALE';
export const PASSWORD = 'copper-meadow-signal-58';
export const PEOPLE = [
  { name: 'Ana Lopez', email: 'ana@scale.example', slack: 'U0ANA' },
  { name: 'Raj Patel', email: 'raj@scale.example', slack: 'U0RAJ' },
  { name: 'Maya Cohen', email: 'maya@scale.example', slack: 'U0MAYA' },
  { name: 'Lee Park', email: 'lee@scale.example', slack: 'U0LEE' },
  { name: 'Mei Chen', email: 'mei@scale.example', slack: 'U0MEI' },
];
/**
 * Meetings being made at once while growing (people adding meetings and uploading captions at
 * the same moment). 24: at 8 the server answered each request in ~250 ms while a core stayed
 * ~30% idle, so the figure measured the bench's own waiting (1,000 meetings: 101 s with 8
 * clients, 92 s with 16, 73 s with 24 and the pipeline's twelve runs).
 */
const GROW_CONCURRENCY = 24;
const SEGMENTS = 300;
const HOUR = 3_600_000;

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

// A vocabulary of 3,000 made-up words, drawn with a Zipf-like skew, so a 300-cue transcript has
// several hundred distinct words, as real talk does, and some words are rare across a tenant.
const SYLLABLES = 'ka lo mi ne ru sa te vo zi pa ber dan fel gor hin jul kem lor mun'.split(' ');
const VOCABULARY = Array.from({ length: 3000 }, (_, i) => {
  let word = '';
  for (let n = i + 7; n > 0; n = Math.floor(n / SYLLABLES.length))
    word += SYLLABLES[n % SYLLABLES.length];
  return word;
});

function word(next: () => number): string {
  return VOCABULARY[Math.floor(VOCABULARY.length * next() ** 3)]!;
}

/** A WebVTT transcript of SEGMENTS cues by four speakers; `marker` is said once in the middle. */
export function webvtt(seed: number, marker: string): string {
  const next = random(seed);
  const two = (n: number) => String(n).padStart(2, '0');
  const at = (ms: number) =>
    `${two(Math.floor(ms / HOUR))}:${two(Math.floor(ms / 60_000) % 60)}:${two(Math.floor(ms / 1000) % 60)}.${String(ms % 1000).padStart(3, '0')}`;
  const lines = ['WEBVTT', ''];
  for (let i = 0; i < SEGMENTS; i++) {
    const words = Array.from({ length: 14 }, () => word(next));
    if (i === SEGMENTS / 2) words[2] = marker;
    if (i % 37 === 5) words.push('I will send the report by Friday');
    const speaker = PEOPLE[i % 4]!.name;
    lines.push(
      `${at(i * 6000)} --> ${at(i * 6000 + 5500)}`,
      `<v ${speaker}>${words.join(' ')}.`,
      '',
    );
  }
  return lines.join('\n');
}

function figure(name: string, size: number, values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (v: number) => Math.round(v * 10) / 10;
  return {
    bench: `scale.${name}`,
    unit: 'ms',
    meetings: size,
    samples: values.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    max: round(sorted.at(-1)!),
  };
}

async function timed<T>(samples: number[], fn: () => Promise<T>): Promise<T> {
  const begun = performance.now();
  const result = await fn();
  samples.push(performance.now() - begun);
  return result;
}

/** A signed-in person: keeps the session cookie and sends the Origin the API asks for. */
export class Client {
  readonly base: string;
  cookie = '';
  constructor(base: string) {
    this.base = base;
  }
  async call(method: string, pathname: string, body?: unknown, type = 'application/json') {
    const headers: Record<string, string> = { origin: this.base };
    if (this.cookie) headers.cookie = this.cookie;
    if (body !== undefined) headers['content-type'] = type;
    const res = await fetch(this.base + pathname, {
      method,
      headers,
      ...(body === undefined
        ? {}
        : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const set = res.headers.getSetCookie().map((c) => c.split(';')[0]!);
    if (set.length > 0) this.cookie = set.join('; ');
    const text = await res.text();
    if (res.status >= 400) throw new Error(`${method} ${pathname} answered ${res.status}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  }
}

interface Grown {
  ids: string[];
  markers: string[];
}

/** Meeting n of the tenant, created over HTTP; resolves to its id. */
export async function createMeeting(ana: Client, n: number, keyPrefix = 'scale'): Promise<string> {
  // Newest first as n grows backwards in time: one meeting every 1.75 hours, ~2 years.
  const startsAt = new Date(Date.UTC(2026, 10, 30, 9) - n * 1.75 * HOUR);
  const meeting = await ana.call('POST', '/api/meetings', {
    title: `Planning ${n}`,
    startsAt: startsAt.toISOString(),
    endsAt: new Date(startsAt.getTime() + HOUR).toISOString(),
    timeZone: 'Europe/Berlin',
    participants: PEOPLE.slice(1).map((p) => ({ email: p.email, name: p.name })),
    idempotencyKey: `${keyPrefix}-meeting-${n}`,
  });
  return meeting.id;
}

/** Adds meetings until the tenant has `size`, each summarized by the server's pipeline. */
async function grow(ana: Client, grown: Grown, size: number): Promise<void> {
  let next = grown.ids.length;
  const worker = async () => {
    while (next < size) {
      const n = next++;
      const marker = `zzmark${n}`;
      const id = await createMeeting(ana, n);
      await ana.call('POST', `/api/meetings/${id}/captions`, webvtt(n, marker), 'text/vtt');
      grown.ids[n] = id;
      grown.markers[n] = marker;
    }
  };
  await Promise.all(Array.from({ length: GROW_CONCURRENCY }, worker));
  // Wait for the pipeline to finish the newest ones (it works through them in order).
  for (const id of grown.ids.slice(-GROW_CONCURRENCY * 2)) {
    for (;;) {
      const meeting = await ana.call('GET', `/api/meetings/${id}`);
      if (meeting.status === 'ready') break;
      if (meeting.status === 'failed') throw new Error(`meeting ${id} failed`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

async function measure(
  size: number,
  ana: Client,
  grown: Grown,
  slack: SlackSender,
  fake: FakeSlack,
  round: number,
) {
  const next = random(size);
  const pick = () => Math.floor(next() * grown.ids.length);
  const open: number[] = [];
  const list: number[] = [];
  const search: number[] = [];
  const find: number[] = [];
  const book: number[] = [];
  const acks: number[] = [];
  for (let i = 0; i < 40; i++) {
    await timed(open, () => ana.call('GET', `/api/meetings/${grown.ids[pick()]}`));
    await timed(list, () => ana.call('GET', '/api/meetings'));
    const q = i % 2 === 0 ? grown.markers[pick()]! : `${VOCABULARY[3]} ${word(next)}`;
    await timed(search, () => ana.call('GET', `/api/search?q=${encodeURIComponent(q)}`));
  }
  const windowStart = new Date(Date.UTC(2027, 0, 4 + round * 7, 0));
  for (let i = 0; i < 20; i++) {
    await timed(find, () =>
      ana.call('POST', '/api/scheduling/find', {
        attendees: PEOPLE.slice(1).map((p) => ({ email: p.email })),
        durationMinutes: 30,
        window: {
          start: windowStart.toISOString(),
          end: new Date(windowStart.getTime() + 5 * 24 * HOUR).toISOString(),
        },
      }),
    );
  }
  for (let i = 0; i < 20; i++) {
    // Distinct half-hours of one night, so no booking meets another.
    const start = new Date(Date.UTC(2027, 1, 1 + round, 0) + i * 30 * 60_000);
    await timed(book, () =>
      ana.call('POST', '/api/bookings', {
        title: `Scale check ${round}-${i}`,
        start: start.toISOString(),
        end: new Date(start.getTime() + 30 * 60_000).toISOString(),
        attendees: [{ email: PEOPLE[1]!.email }],
        linkType: 'none',
      }),
    );
  }
  for (let i = 0; i < 40; i++) {
    const request = slack.commandRequest(
      { teamId: TEAM, userId: 'U0ANA' },
      'find 30m with <@U0RAJ|raj> <@U0MAYA|maya> next week',
    );
    await timed(acks, async () => {
      const res = await fetch(`${ana.base}/slack/events`, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
      });
      await res.text();
      if (res.status !== 200) throw new Error(`/meet find answered ${res.status}`);
    });
    await fake.waitFor(() => fake.responsesTo(request.responseUrl).length > 0, 60_000);
  }
  return [
    figure('open-meeting', size, open),
    figure('list-my-meetings', size, list),
    figure('search', size, search),
    figure('find-times-5-people', size, find),
    figure('book', size, book),
    figure('slack-find-ack', size, acks),
  ];
}

/** Opens the stopped server's data folder here and purges every meeting as expired. */
export async function purgeAll(dataDir: string, tenantId: string, size: number) {
  let output = '';
  const sink = new Writable({
    write(chunk, _e, done) {
      output = (output + String(chunk)).slice(-4000);
      done();
    },
  });
  const loaded = loadConfig({
    PORT: '0',
    QUORUM_DATA_DIR: dataDir,
    // No jobs here: the purge is called directly. (A worker's jobs start at once, and Agenda
    // leaves a timer of a job it ran that kept this process alive minutes after the purge.)
    QUORUM_ROLE: 'web',
    LOG_LEVEL: 'warn',
  });
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
  const quorum = await startQuorum(
    loaded.config,
    createLogger({ level: 'warn', destination: sink }),
  );
  try {
    const { kit } = quorum.services.meetings;
    const yearAhead = new Date(Date.now() + 400 * 24 * HOUR);
    const begun = performance.now();
    const report = await purgeExpiredForTenant(
      { kit: { ...kit, now: () => yearAhead } },
      verifiedTenantContext(tenantId, 'system'),
    );
    const seconds = (performance.now() - begun) / 1000;
    return {
      bench: 'scale.purge-expired',
      unit: 's',
      meetings: size,
      purged: report.purged,
      seconds: Math.round(seconds * 10) / 10,
      rate: Math.round((report.purged / seconds) * 10) / 10,
    };
  } catch (error) {
    throw new Error(`${String(error)}\n${output}`, { cause: error });
  } finally {
    await quorum.stop();
  }
}

export async function benchScale(
  sizes: number[] = [100, 1000, 10_000],
  options: { keepCopy?: string } = {},
) {
  const figures: Record<string, unknown>[] = [];
  const fake = await startFakeSlack();
  fake.tokens.set(TEAM, TOKEN);
  for (const p of PEOPLE) fake.addUser({ id: p.slack, teamId: TEAM, name: p.name, email: p.email });
  const server = await startChildServer('scale', {
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_BOT_TOKEN: TOKEN,
    SLACK_API_URL: fake.apiUrl,
  });
  const { dataDir } = server;
  let tenantId: string;
  const grown: Grown = { ids: [], markers: [] };
  try {
    const ana = new Client(server.url);
    await ana.call('POST', '/auth/signup', {
      organization: 'Scale',
      name: PEOPLE[0]!.name,
      email: PEOPLE[0]!.email,
      password: PASSWORD,
    });
    tenantId = (await ana.call('GET', '/api/me')).tenantId;
    for (const p of PEOPLE.slice(1)) {
      await ana.call('POST', '/api/admin/people', {
        email: p.email,
        name: p.name,
        password: PASSWORD,
      });
    }
    const slack = new SlackSender(server.url, SECRET, fake);
    let round = 0;
    for (const size of [...sizes].sort((a, b) => a - b)) {
      const begun = performance.now();
      const before = grown.ids.length;
      await grow(ana, grown, size);
      figures.push({
        bench: 'scale.grow',
        unit: 's',
        meetings: size,
        added: size - before,
        seconds: Math.round((performance.now() - begun) / 100) / 10,
      });
      figures.push(...(await measure(size, ana, grown, slack, fake, round++)));
      for (const f of figures.slice(-7)) process.stderr.write(`${JSON.stringify(f)}\n`);
    }
  } finally {
    // Stopped, not removed: the purge below opens the same data folder.
    const exited = new Promise((resolve) => server.child.once('exit', resolve));
    if (server.child.exitCode === null) server.child.kill('SIGTERM');
    await exited;
  }
  try {
    // `--keep-copy=DIR`: the grown data folder is copied there first, to study the purge again.
    if (options.keepCopy) cpSync(dataDir, options.keepCopy, { recursive: true });
    figures.push(await purgeAll(dataDir, tenantId, grown.ids.length));
  } finally {
    await fake.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return figures;
}

export function scaleSizesFromArgs(args: string[]): number[] | undefined {
  const given = args.find((a) => a.startsWith('--scale-sizes='));
  if (!given) return undefined;
  return given
    .slice('--scale-sizes='.length)
    .split(',')
    .map((s) => Number.parseInt(s, 10))
    .filter((n) => n > 0);
}

export function keepCopyFromArgs(args: string[]): string | undefined {
  return args.find((a) => a.startsWith('--keep-copy='))?.slice('--keep-copy='.length);
}

if (process.argv[1] === import.meta.filename) {
  const sizes = scaleSizesFromArgs(process.argv.slice(2));
  for (const f of await benchScale(sizes, { keepCopy: keepCopyFromArgs(process.argv.slice(2)) }))
    process.stdout.write(`${JSON.stringify(f)}\n`);
}
