// Meeting storage figures on the real database (the embedded FerretDB, or MONGODB_URI):
//
// - transcript segments stored per second, sealed field by field (five AES-GCM fields each),
//   against the same documents stored in plaintext and against sealing alone;
// - retention purge rate (meetings per second), each meeting with a 20-segment transcript,
//   summary, action items and search entry, at several tenant sizes: the embedded database
//   scans a whole collection for every query, so the rate falls as a tenant grows;
// - search: the keyed blind index against decrypt-and-scan, over one person's meetings.
//
// `node tests/bench/meetings.ts [sizes…]` prints one JSON line per figure; through
// `npm run bench -- meetings --purge-sizes=10000 --purge-only` the purge alone, at chosen sizes.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createExtractiveSummarizer } from '../../core/ai/index.ts';
import { Tenant } from '../../core/identity/models.ts';
import { createJobRunner } from '../../core/jobs/runner.ts';
import { JobRegistry } from '../../core/jobs/registry.ts';
import { createLogger } from '../../core/logger.ts';
import { createMeetings, type Meetings } from '../../core/meetings/index.ts';
import { positionalId } from '../../core/meetings/ids.ts';
import { normalizedTerms } from '../../core/meetings/search-index.ts';
import { storeTranscript } from '../../core/meetings/transcript-store.ts';
import { createAuditLog } from '../../core/privacy/audit-log.ts';
import { createDeletionCertificates } from '../../core/privacy/deletion-certificates.ts';
import { createEnvelope } from '../../core/privacy/envelope.ts';
import { openLocalKeyring } from '../../core/privacy/local-keyring.ts';
import { DEFAULT_PURGE_BATCH, purgeExpiredForTenant } from '../../core/privacy/retention.ts';
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
}

async function newMeeting(bench: Bench, ctx: TenantContext, title: string): Promise<string> {
  const { meeting } = await bench.meetings.service.create(ctx, PERSON, {
    title,
    startsAt: new Date('2027-03-22T10:00:00Z'),
    endsAt: new Date('2027-03-22T11:00:00Z'),
    timeZone: 'UTC',
    participants: [{ email: 'raj@bench.example', name: 'Raj Patel' }],
  });
  return meeting.id;
}

/** A meeting as the pipeline leaves it: transcript, summary, action items, search entry. */
async function summarizedMeeting(
  bench: Bench,
  ctx: TenantContext,
  title: string,
  segments: Segment[],
): Promise<string> {
  const { kit } = bench.meetings;
  const id = await newMeeting(bench, ctx, title);
  const m = await kit.models(ctx);
  // Inserted directly (not through storeTranscript, which first clears leftovers with a
  // query that scans the collection): setting up thousands of meetings stays linear.
  await m.Segments.insertMany(
    await Promise.all(
      segments.map((segment, index) =>
        kit.sealed.segments.seal(ctx, {
          _id: positionalId(id, index),
          meetingId: id,
          index,
          ...segment,
        }),
      ),
    ),
  );
  await m.Summaries.create(
    await kit.sealed.summaries.seal(ctx, {
      _id: id,
      engine: 'extractive',
      summary: segments.slice(0, 3).map((s) => s.text),
      decisions: [segments[1]!.text],
      openQuestions: [],
      createdAt: new Date(),
    }),
  );
  await m.ActionItems.insertMany(
    await Promise.all(
      [0, 1].map((index) =>
        kit.sealed.actionItems.seal(ctx, {
          _id: positionalId(id, index),
          meetingId: id,
          index,
          task: `Send the ${WORDS[index]} plan`,
          owner: 'Raj Patel',
          due: '2027-03-26',
          sourceSegment: index,
          done: false,
          doneAt: null,
        }),
      ),
    ),
  );
  await kit.search.index(ctx, id, [title, ...segments.map((s) => s.text)]);
  await m.Meetings.updateOne(
    { _id: id },
    { $set: { status: 'ready', transcribedAt: new Date(), summarizedAt: new Date() } },
  );
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
    await storeTranscript(kit, ctx, id, segments);
    sealedRates.push(count / ((performance.now() - begun) / 1000));

    begun = performance.now();
    await Promise.all(
      segments.map((s, i) =>
        kit.sealed.segments.seal(ctx, {
          _id: positionalId(`${id}x`, i),
          meetingId: id,
          index: i,
          ...s,
        }),
      ),
    );
    sealOnlyRates.push(count / ((performance.now() - begun) / 1000));

    begun = performance.now();
    for (let start = 0; start < count; start += 500) {
      await plain.insertMany(
        segments.slice(start, start + 500).map((s, i) => ({
          _id: positionalId(id, start + i) as never,
          meetingId: id,
          index: start + i,
          ...s,
        })),
        { ordered: false },
      );
    }
    plainRates.push(count / ((performance.now() - begun) / 1000));
  }
  return [
    {
      bench: 'meetings.segments-stored',
      unit: 'segments/s',
      encryption: 'AES-256-GCM, 5 sealed fields per segment',
      segments: count,
      runs: 3,
      median: Math.round(median(sealedRates)),
      sealOnly: Math.round(median(sealOnlyRates)),
      plaintextInsert: Math.round(median(plainRates)),
    },
  ];
}

async function benchPurge(
  bench: Bench,
  sizes: number[],
  expiredAtMost = Infinity,
): Promise<Record<string, unknown>[]> {
  const figures: Record<string, unknown>[] = [];
  for (const size of sizes) {
    const ctx = await bench.tenant(`purge${size}`);
    const { kit } = bench.meetings;
    const segments = transcript(20, size);
    let begun = performance.now();
    const ids: string[] = [];
    for (let i = 0; i < size; i++)
      ids.push(await summarizedMeeting(bench, ctx, `Sync ${i}`, segments));
    const setupSeconds = (performance.now() - begun) / 1000;
    const { Meetings } = await kit.models(ctx);
    // All of them, or (--purge-expired=N) the first N: the rest stay, as in a tenant where the
    // daily job finds a day's worth of expired meetings among many kept ones.
    const expired = ids.slice(0, Math.min(size, expiredAtMost));
    await Meetings.updateMany(expired.length === size ? {} : { _id: { $in: expired } }, {
      $set: { retainFrom: new Date(Date.now() - 40 * 86_400_000) },
    });

    begun = performance.now();
    const report = await purgeExpiredForTenant({ kit }, ctx);
    const seconds = (performance.now() - begun) / 1000;
    figures.push({
      bench: 'meetings.retention-purge',
      unit: 'meetings/s',
      meetings: size,
      expired: expired.length,
      batchSize: DEFAULT_PURGE_BATCH,
      documentsPerMeeting: 20 + 1 + 2 + 1 + 1,
      purged: report.purged,
      seconds: round(seconds),
      rate: round(report.purged / seconds),
      setupSeconds: round(setupSeconds),
    });
  }
  return figures;
}

async function benchSearch(bench: Bench): Promise<Record<string, unknown>[]> {
  const ctx = await bench.tenant('search');
  const { kit, service } = bench.meetings;
  const meetingCount = 200;
  const perMeeting = 50;
  for (let i = 0; i < meetingCount; i++) {
    // Every 40th meeting mentions the word searched for.
    await summarizedMeeting(
      bench,
      ctx,
      `Weekly ${i}`,
      transcript(perMeeting, i, i % 40 === 0 ? 'kubernetes' : undefined),
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

    // Decrypt-and-scan, at its best: every segment of the person's meetings in one query,
    // each opened and searched.
    begun = performance.now();
    const { Meetings, Segments } = await kit.models(ctx);
    const mine = await Meetings.find({ organizerId: PERSON.userId }, { _id: 1 }).lean();
    const stored = await Segments.find({ meetingId: { $in: mine.map((m) => m._id) } }).lean();
    const opened = await Promise.all(stored.map((s) => kit.sealed.segments.open(ctx, s)));
    scanned = opened.length;
    const hits = new Set(
      opened.filter((s) => normalizedTerms(s.text).includes(query)).map((s) => s.meetingId),
    ).size;
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
  purgeSizes: number[] = [100, 300, 1000],
  options: { purgeOnly?: boolean; purgeExpired?: number | undefined } = {},
): Promise<Record<string, unknown>[]> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'quorum-bench-meetings-'));
  const database = process.env.MONGODB_URI
    ? undefined
    : await startEmbeddedDb({ dataDir: path.join(dataDir, 'db') });
  const uri = process.env.MONGODB_URI ?? database!.uri;
  const store = await openStore({ uri, controlDbName: `qbench_${Date.now().toString(36)}` });
  try {
    const logger = createLogger({ level: 'silent' });
    const keys = await openLocalKeyring({ dataDir });
    const envelope = createEnvelope({ store, keys });
    const certificates = createDeletionCertificates({
      store,
      // Each certificate waits for the embedded database's checkpoint, as in the server.
      ...(database ? { storage: database } : {}),
      signingKey: await loadSigningKey({ dataDir }),
      issuer: 'http://bench.invalid',
    });
    const meetings = await createMeetings({
      store,
      envelope,
      certificates,
      audit: createAuditLog({ store }),
      summarizer: createExtractiveSummarizer(),
      transcribers: [createCaptionsTranscriber()],
      queue: createJobRunner({ store, registry: new JobRegistry(), logger }),
      dataDir,
    });
    const suffix = Date.now().toString(36);
    const bench: Bench = {
      store,
      meetings,
      async tenant(name) {
        const id = `b${name}${suffix}`.slice(0, 32);
        await store.controlModel(Tenant).create({ _id: id, name, domains: [] });
        return verifiedTenantContext(id, 'system');
      },
    };
    if (options.purgeOnly) return await benchPurge(bench, purgeSizes, options.purgeExpired);
    return [
      ...(await benchSegments(bench)),
      ...(await benchSearch(bench)),
      ...(await benchPurge(bench, purgeSizes, options.purgeExpired)),
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
