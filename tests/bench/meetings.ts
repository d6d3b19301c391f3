// Meeting storage figures on the real database (the embedded FerretDB, or MONGODB_URI):
//
// - transcript segments stored per second, sealed in chunks, against the same segments stored
//   in plaintext and against sealing alone;
// - a tenant built through the real services (create, captions, the pipeline), each meeting
//   with a 300-segment transcript, a summary and action items: time and database statements
//   per meeting; then, at that size, opening a meeting (p50/p95, statements), listing a
//   person's meetings, and the retention purge of all of them;
// - search: the keyed blind index against decrypt-and-scan, over one person's meetings.
//
// `node tests/bench/meetings.ts [sizes…]` prints one JSON line per figure; through
// `npm run bench -- meetings --purge-sizes=10000 --purge-only` the tenant figures alone, at
// chosen sizes.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createExtractiveSummarizer } from '../../core/ai/index.ts';
import { Tenant } from '../../core/identity/models.ts';
import { createJobRunner } from '../../core/jobs/runner.ts';
import { JobRegistry } from '../../core/jobs/registry.ts';
import { createLogger } from '../../core/logger.ts';
import { createMeetings, type Meetings } from '../../core/meetings/index.ts';
import { moveRetention } from '../../core/meetings/listing.ts';
import { CHUNK_SIZE } from '../../core/meetings/models.ts';
import { normalizedTerms } from '../../core/meetings/search/search-index.ts';
import {
  readTranscript,
  sealChunk,
  storeTranscript,
} from '../../core/meetings/transcript-store.ts';
import { findByIds } from '../../core/store/by-id.ts';
import { createAuditLog } from '../../core/privacy/audit-log.ts';
import { createDeletionCertificates } from '../../core/privacy/deletion-certificates.ts';
import { createEnvelope } from '../../core/privacy/envelope.ts';
import { openLocalKeyring } from '../../core/privacy/local-keyring.ts';
import { purgeExpiredForTenant } from '../../core/meetings/retention/retention.ts';
import { loadSigningKey } from '../../core/privacy/signing-key.ts';
import { createCaptionsTranscriber, type Segment } from '../../core/speech/index.ts';
import { openStore, type Store } from '../../core/store/store.ts';
import { verifiedTenantContext, type TenantContext } from '../../core/store/tenant-context.ts';
import { startEmbeddedDb } from '../../infra/local/embedded-db.ts';

const PERSON = { kind: 'user' as const, userId: 'ubench', email: 'ana@bench.example', name: 'Ana' };
const WORDS = (
  'budget forecast hiring launch pricing roadmap security support contract vendor customer ' +
  'onboarding dashboard review migration invoice quarter release testing design metrics'
).split(' ');
const SPEAKERS = ['Ana Lopez', 'Raj Patel', 'Mei Chen', 'Tom Becker'];

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

/** A transcript of `count` turns of about 18 words; `rare` is said once, in the middle. */
function transcript(count: number, seed: number, rare?: string): Segment[] {
  const next = random(seed);
  return Array.from({ length: count }, (_, i) => {
    const words = Array.from({ length: 18 }, () => WORDS[Math.floor(next() * WORDS.length)]!);
    if (rare && i === Math.floor(count / 2)) words[3] = rare;
    return {
      speaker: SPEAKERS[i % SPEAKERS.length]!,
      startMs: i * 6000,
      endMs: i * 6000 + 5500,
      text: `We should look at the ${words.join(' ')}.`,
      confidence: null,
    };
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const round = (n: number) => Math.round(n * 10) / 10;

interface Bench {
  store: Store;
  meetings: Meetings;
  tenant(name: string): Promise<TenantContext>;
  /** Database statements sent since the bench started (every database). */
  statements(): number;
}

/** Counts the statements the driver sends (every database). */
function commandCounter(store: Store): () => number {
  const client = store.connection.getClient();
  let count = 0;
  client.on('commandStarted', (event) => {
    if (['hello', 'ismaster', 'ping', 'endSessions'].includes(event.commandName)) return;
    // Statements, as the embedded database runs them: each update or delete of a bulk is its
    // own transaction; an insert of many documents is one.
    const cmd = event.command as { updates?: unknown[]; deletes?: unknown[] };
    count += cmd.updates?.length ?? cmd.deletes?.length ?? 1;
    if (process.env.BENCH_TRACE) {
      const cmd = event.command as Record<string, unknown>;
      process.stderr.write(
        `${performance.now().toFixed(1)} ${event.commandName} ${event.databaseName.slice(0, 8)} ${String(cmd[event.commandName])} ${JSON.stringify(cmd.filter ?? cmd.q ?? (cmd.updates as unknown[])?.length ?? (cmd.deletes as unknown[])?.length ?? (cmd.documents as unknown[])?.length ?? '').slice(0, 100)}\n`,
      );
    }
  });
  return () => count;
}

/** WebVTT captions of `count` turns, two speakers taking turns (so no turns are merged). */
function captions(segments: Segment[]): string {
  const time = (ms: number) => {
    const date = new Date(ms);
    return `${String(date.getUTCHours()).padStart(2, '0')}:${String(date.getUTCMinutes()).padStart(2, '0')}:${String(date.getUTCSeconds()).padStart(2, '0')}.${String(date.getUTCMilliseconds()).padStart(3, '0')}`;
  };
  const cues = segments.map(
    (s, i) =>
      `c${i}\n${time(s.startMs)} --> ${time(s.endMs)}\n<v ${i % 2 ? 'Raj Patel' : 'Ana Lopez'}>${s.text}</v>`,
  );
  return `WEBVTT\n\n${cues.join('\n\n')}\n`;
}

/** The start of the `index`th meeting: one each working hour from Monday 1 January 2024. */
function startOf(index: number): Date {
  const hour = index % 8;
  const day = Math.floor(index / 8);
  const week = Math.floor(day / 5);
  return new Date(Date.UTC(2024, 0, 1 + week * 7 + (day % 5), 9 + hour));
}

async function newMeeting(bench: Bench, ctx: TenantContext, title: string, index = 0) {
  const startsAt = startOf(index);
  const { meeting } = await bench.meetings.service.create(ctx, PERSON, {
    title,
    startsAt,
    endsAt: new Date(startsAt.getTime() + 3_000_000),
    timeZone: 'UTC',
    participants: [{ email: 'raj@bench.example', name: 'Raj Patel' }],
  });
  return meeting.id;
}

/** A meeting made as people make it: created, given captions, and through the pipeline. */
async function processedMeeting(
  bench: Bench,
  ctx: TenantContext,
  index: number,
  segments: Segment[],
): Promise<string> {
  const { service, pipeline } = bench.meetings;
  const id = await newMeeting(bench, ctx, `Sync ${index}`, index);
  await service.addCaptions(ctx, PERSON, id, { format: 'webvtt', text: captions(segments) });
  const outcome = await pipeline.process(ctx.tenantId, id);
  if (outcome !== 'done') throw new Error(`meeting ${index}: the pipeline said ${outcome}`);
  return id;
}

async function benchSegments(bench: Bench): Promise<Record<string, unknown>[]> {
  const ctx = await bench.tenant('segments');
  const { kit } = bench.meetings;
  const count = 2000;
  const segments = transcript(count, 7);
  const sealedRates: number[] = [];
  const sealOnlyRates: number[] = [];
  const plainRates: number[] = [];
  const plain = bench.store.connection.useDb(`quorum_t_${ctx.tenantId}`).collection('bench_plain');
  for (let run = 0; run < 3; run++) {
    const id = await newMeeting(bench, ctx, `Segments ${run}`);
    let begun = performance.now();
    await storeTranscript(kit, ctx, { _id: id, chunkCount: 0, segmentCount: null }, segments);
    sealedRates.push(count / ((performance.now() - begun) / 1000));

    begun = performance.now();
    await Promise.all(
      Array.from({ length: count / CHUNK_SIZE }, (_, n) =>
        sealChunk(kit, ctx, `${id}x`, n, segments.slice(n * CHUNK_SIZE, (n + 1) * CHUNK_SIZE)),
      ),
    );
    sealOnlyRates.push(count / ((performance.now() - begun) / 1000));

    begun = performance.now();
    await plain.insertMany(
      Array.from({ length: count / CHUNK_SIZE }, (_, n) => ({
        _id: `${id}:${n}` as never,
        segments: segments.slice(n * CHUNK_SIZE, (n + 1) * CHUNK_SIZE),
      })),
    );
    plainRates.push(count / ((performance.now() - begun) / 1000));
  }
  return [
    {
      bench: 'meetings.segments-stored',
      unit: 'segments/s',
      encryption: `AES-256-GCM, one sealed field per chunk of ${CHUNK_SIZE} segments`,
      segments: count,
      runs: 3,
      median: Math.round(median(sealedRates)),
      sealOnly: Math.round(median(sealOnlyRates)),
      plaintextInsert: Math.round(median(plainRates)),
    },
  ];
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

/** Times `fn` `runs` times; the statements it sent each time, on average. */
async function timed(bench: Bench, runs: number, fn: (run: number) => Promise<unknown>) {
  const times: number[] = [];
  const before = bench.statements();
  for (let run = 0; run < runs; run++) {
    const begun = performance.now();
    await fn(run);
    times.push(performance.now() - begun);
  }
  return { times, statements: (bench.statements() - before) / runs };
}

async function benchTenant(
  bench: Bench,
  sizes: number[],
  expiredAtMost = Infinity,
): Promise<Record<string, unknown>[]> {
  const figures: Record<string, unknown>[] = [];
  for (const size of sizes) {
    const ctx = await bench.tenant(`tenant${size}`);
    const { kit, service } = bench.meetings;
    const segments = transcript(300, size);
    const ids: string[] = [];
    const phases = { create: 0, captions: 0, pipeline: 0 };
    const phaseMs = { create: 0, captions: 0, pipeline: 0 };
    const begun = performance.now();
    for (let i = 0; i < size; i++) {
      let mark = bench.statements();
      let at = performance.now();
      const id = await newMeeting(bench, ctx, `Sync ${i}`, i);
      phases.create += bench.statements() - mark;
      phaseMs.create += performance.now() - at;
      mark = bench.statements();
      at = performance.now();
      await service.addCaptions(ctx, PERSON, id, { format: 'webvtt', text: captions(segments) });
      phases.captions += bench.statements() - mark;
      phaseMs.captions += performance.now() - at;
      mark = bench.statements();
      at = performance.now();
      const outcome = await bench.meetings.pipeline.process(ctx.tenantId, id);
      if (outcome !== 'done') throw new Error(`meeting ${i}: the pipeline said ${outcome}`);
      phases.pipeline += bench.statements() - mark;
      phaseMs.pipeline += performance.now() - at;
      ids.push(id);
    }
    const buildSeconds = (performance.now() - begun) / 1000;
    const sample = Array.from({ length: Math.min(200, size) }, (_, i) => ids[(i * 7919) % size]!);
    const open = await timed(bench, sample.length, (run) => service.get(ctx, PERSON, sample[run]!));
    const person = { userId: PERSON.userId, email: PERSON.email };
    const list = await timed(bench, 20, () => service.listMine(ctx, person, { limit: 50 }));
    const listOlder = await timed(bench, 20, () =>
      service.listMine(ctx, person, { limit: 50, before: startOf(Math.floor(size / 2)) }),
    );

    // Everything transcribed now, or (--purge-expired=N) the first N, is past its retention
    // when the purge runs 31 days from now.
    const expired = ids.slice(0, Math.min(size, expiredAtMost));
    const keep = ids.slice(expired.length);
    const { Meetings, lists } = await kit.models(ctx);
    for (const id of keep) {
      const meeting = (await Meetings.findById(id).lean())!;
      const later = new Date(Date.now() + 60 * 86_400_000);
      await Meetings.updateOne({ _id: id }, { $set: { retainFrom: later } });
      await moveRetention(lists, id, meeting.retainFrom, later);
    }
    const purgeKit = { ...kit, now: () => new Date(Date.now() + 31 * 86_400_000) };
    const mark = bench.statements();
    const purgeBegun = performance.now();
    const report = await purgeExpiredForTenant({ kit: purgeKit }, ctx);
    const purgeSeconds = (performance.now() - purgeBegun) / 1000;
    const perMeeting = (n: number) => round(n / size);
    figures.push({
      bench: 'meetings.tenant',
      meetings: size,
      segmentsPerMeeting: segments.length,
      build: {
        seconds: round(buildSeconds),
        msPerMeeting: round((buildSeconds * 1000) / size),
        statementsPerMeeting: {
          create: perMeeting(phases.create),
          captions: perMeeting(phases.captions),
          pipeline: perMeeting(phases.pipeline),
        },
        msPerMeetingByPhase: {
          create: perMeeting(phaseMs.create),
          captions: perMeeting(phaseMs.captions),
          pipeline: perMeeting(phaseMs.pipeline),
        },
      },
      open: {
        p50Ms: round(percentile(open.times, 0.5)),
        p95Ms: round(percentile(open.times, 0.95)),
        statements: round(open.statements),
      },
      listMine: {
        limit: 50,
        medianMs: round(median(list.times)),
        olderPageMedianMs: round(median(listOlder.times)),
        statements: round(list.statements),
      },
      purge: {
        expired: expired.length,
        purged: report.purged,
        seconds: round(purgeSeconds),
        rate: round(report.purged / purgeSeconds),
        statementsPerMeeting: round((bench.statements() - mark) / Math.max(1, report.purged)),
      },
    });
  }
  return figures;
}

async function benchSearch(bench: Bench): Promise<Record<string, unknown>[]> {
  const ctx = await bench.tenant('search');
  const { kit, service } = bench.meetings;
  const meetingCount = 200;
  const perMeeting = 50;
  const ids: string[] = [];
  for (let i = 0; i < meetingCount; i++) {
    // Every 40th meeting mentions the word searched for.
    ids.push(
      await processedMeeting(
        bench,
        ctx,
        i,
        transcript(perMeeting, i, i % 40 === 0 ? 'kubernetes' : undefined),
      ),
    );
  }
  const person = { userId: PERSON.userId, email: PERSON.email };
  const query = 'kubernetes';

  const indexTimes: number[] = [];
  const searchTimes: number[] = [];
  const scanTimes: number[] = [];
  let found = 0;
  let scanned = 0;
  for (let run = 0; run < 3; run++) {
    let begun = performance.now();
    found = (await kit.search.find(ctx, normalizedTerms(query))).length;
    indexTimes.push(performance.now() - begun);

    begun = performance.now();
    const results = await service.search(ctx, person, query);
    searchTimes.push(performance.now() - begun);
    if (results.results.length !== found) throw new Error('search found a different set');

    // Decrypt-and-scan, at its best: every transcript of the person's meetings, read by
    // chunk ids, each segment searched.
    begun = performance.now();
    const { Meetings } = await kit.models(ctx);
    const mine = await findByIds(Meetings, ids);
    const transcripts = await Promise.all(mine.map((m) => readTranscript(kit, ctx, m)));
    scanned = transcripts.flat().length;
    const hits = transcripts.filter((segments) =>
      segments.some((s) => normalizedTerms(s.text).includes(query)),
    ).length;
    scanTimes.push(performance.now() - begun);
    if (hits !== found) throw new Error(`decrypt-and-scan found ${hits}, the index ${found}`);
  }
  return [
    {
      bench: 'meetings.search',
      unit: 'ms',
      meetings: meetingCount,
      segmentsPerMeeting: perMeeting,
      matchingMeetings: found,
      blindIndexLookup: round(median(indexTimes)),
      blindIndexWithSnippets: round(median(searchTimes)),
      decryptAndScan: round(median(scanTimes)),
      segmentsDecryptedByScan: scanned,
    },
  ];
}

/** `--purge-sizes=100,10000` and `--purge-only` from the command line. */
export function purgeOptionsFromArgs(args: readonly string[]): {
  sizes: number[] | undefined;
  purgeOnly: boolean;
  purgeExpired: number | undefined;
} {
  const sizesArg = args.find((a) => a.startsWith('--purge-sizes='));
  const sizes = sizesArg
    ?.slice('--purge-sizes='.length)
    .split(',')
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
  const expiredArg = args.find((a) => a.startsWith('--purge-expired='));
  const purgeExpired = expiredArg ? Number(expiredArg.slice('--purge-expired='.length)) : NaN;
  return {
    sizes: sizes?.length ? sizes : undefined,
    purgeOnly: args.includes('--purge-only'),
    purgeExpired: purgeExpired > 0 ? purgeExpired : undefined,
  };
}

export async function benchMeetings(
  purgeSizes: number[] = [100, 1000],
  options: { purgeOnly?: boolean; purgeExpired?: number | undefined } = {},
): Promise<Record<string, unknown>[]> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'quorum-bench-meetings-'));
  const database = process.env.MONGODB_URI
    ? undefined
    : await startEmbeddedDb({ dataDir: path.join(dataDir, 'db') });
  const uri = process.env.MONGODB_URI ?? database!.uri;
  const store = await openStore({
    uri: `${uri}${uri.includes('?') ? '&' : '?'}monitorCommands=true`,
    controlDbName: `qbench_${Date.now().toString(36)}`,
  });
  try {
    const logger = createLogger({ level: 'silent' });
    const keys = await openLocalKeyring({ dataDir });
    const envelope = createEnvelope({ store, keys });
    const audit = createAuditLog({ store });
    const certificates = createDeletionCertificates({
      store,
      // Each certificate waits for the embedded database's checkpoint, as in the server.
      ...(database ? { storage: database } : {}),
      signingKey: await loadSigningKey({ dataDir }),
      audit,
      issuer: 'http://bench.invalid',
    });
    const meetings = await createMeetings({
      store,
      envelope,
      certificates,
      audit,
      summarizer: createExtractiveSummarizer(),
      transcribers: [createCaptionsTranscriber()],
      queue: createJobRunner({ store, registry: new JobRegistry(), logger }),
      dataDir,
    });
    const suffix = Date.now().toString(36);
    const statements = commandCounter(store);
    const bench: Bench = {
      store,
      meetings,
      statements,
      async tenant(name) {
        const id = `b${name}${suffix}`.slice(0, 32);
        await store.controlModel(Tenant).create({ _id: id, name, domains: [] });
        return verifiedTenantContext(id, 'system');
      },
    };
    if (options.purgeOnly) return await benchTenant(bench, purgeSizes, options.purgeExpired);
    return [
      ...(await benchSegments(bench)),
      ...(await benchSearch(bench)),
      ...(await benchTenant(bench, purgeSizes, options.purgeExpired)),
    ];
  } finally {
    await store.close();
    await database?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const named = purgeOptionsFromArgs(args);
  const sizes = args.map(Number).filter((n) => n > 0);
  const chosen = named.sizes ?? (sizes.length > 0 ? sizes : undefined);
  for (const figure of await benchMeetings(chosen, named)) {
    process.stdout.write(`${JSON.stringify(figure)}\n`);
  }
}
