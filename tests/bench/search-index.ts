// Search index figures on the real database (the embedded FerretDB, or MONGODB_URI): what
// indexing a meeting costs (time, and database statements: an exact-_id update or read is one,
// an insertMany one), and how long a search takes as one tenant grows to 10,000 meetings, each
// a 300-segment transcript of about 600 distinct words (a Zipf vocabulary of 30,000 words),
// filed chronologically over 24 months.
//
// `node tests/bench/search-index.ts [--meetings=10000] [--checkpoints=1000,10000] [--months=24]
// [--pending=50] [--buckets=32]` prints one JSON line per figure. On the embedded database it
// adds the index on FerretDB's `_id` expression that the launcher makes, so the figures are those
// of exact-_id access. Besides wall-clock times (which depend on what else the machine runs), it
// reports CPU time per meeting: of this process (tokens, keyed hashes, postings encoding) and of
// the FerretDB process (the database's work), read from /proc.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { CommandStartedEvent } from 'mongodb';
import { Tenant } from '../../core/identity/models.ts';
import {
  createSearchIndex,
  normalizedTerms,
  type SearchIndex,
} from '../../core/meetings/search/search-index.ts';
import { createEnvelope } from '../../core/privacy/envelope.ts';
import { openLocalKeyring } from '../../core/privacy/local-keyring.ts';
import { openStore, type Store } from '../../core/store/store.ts';
import { verifiedTenantContext, type TenantContext } from '../../core/store/tenant-context.ts';
import { startEmbeddedDb } from '../../infra/local/embedded-db.ts';

const VOCABULARY = 30_000;
const ZIPF = 1.35;
const SEGMENTS = 300;
const WORDS_PER_SEGMENT = 15;

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

/** Draws word ranks from a Zipf distribution. */
function zipf(seed: number): () => number {
  const cumulative: number[] = [];
  let total = 0;
  for (let rank = 1; rank <= VOCABULARY; rank++) cumulative.push((total += rank ** -ZIPF));
  const next = random(seed);
  return () => {
    const r = next() * total;
    let lo = 0;
    let hi = VOCABULARY - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < r) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

const word = (rank: number) => `w${rank.toString(36)}`;

/** A meeting's texts: its transcript, with `kubernetes` said in every 40th meeting. */
function meetingTexts(draw: () => number, i: number): string[] {
  const texts = Array.from({ length: SEGMENTS }, () =>
    Array.from({ length: WORDS_PER_SEGMENT }, () => word(draw())).join(' '),
  );
  if (i % 40 === 0) texts.push('We should move the service to kubernetes.');
  return [`Weekly sync ${i}`, ...texts];
}

const QUERIES: Array<[string, string]> = [
  ['common word', word(0)],
  ['two common words', `${word(0)} ${word(3)}`],
  ['mid-frequency word', word(60)],
  ['rare word', word(4000)],
  ['every 40th meeting', 'kubernetes'],
  ['common and rare', `${word(1)} kubernetes`],
  ['absent word', 'giraffe'],
];

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

const round = (n: number) => Math.round(n * 100) / 100;

/** What the launcher does for FerretDB: an index on the expression it queries `_id` with. */
function indexIdExpressions(ferretDir: string): void {
  for (const file of readdirSync(ferretDir).filter((f) => f.endsWith('.sqlite'))) {
    const db = new DatabaseSync(path.join(ferretDir, file));
    try {
      const tables = db.prepare('SELECT table_name FROM _ferretdb_collections').all() as Array<{
        table_name: string;
      }>;
      for (const { table_name: table } of tables) {
        db.exec(
          `CREATE INDEX IF NOT EXISTS "${table}_quorum_id" ON "${table}" (_ferretdb_sjson->'$._id')`,
        );
      }
    } finally {
      db.close();
    }
  }
}

/** Counts commands and statements (bulk updates and deletes: one per entry). */
function commandCounter(store: Store) {
  // Command events need `monitorCommands`, which the store's URI asks for.
  const client = store.connection.getClient();
  const counts = { commands: 0, statements: 0 };
  client.on('commandStarted', (event: CommandStartedEvent) => {
    const c = event.command as { updates?: unknown[]; deletes?: unknown[] };
    counts.commands += 1;
    counts.statements += c.updates?.length ?? c.deletes?.length ?? 1;
  });
  return counts;
}

async function searchFigures(
  search: SearchIndex,
  ctx: TenantContext,
  meetings: number,
  databasePid: number | undefined,
) {
  const figures: Record<string, unknown>[] = [];
  for (const [mode, options] of [
    ['all matches', {}],
    ['newest 20 (as the route asks)', { limit: 20, keep: async (ids: string[]) => ids }],
  ] as const) {
    const all: number[] = [];
    const cpuBefore = [cpuMsOf(databasePid), process.cpuUsage()] as const;
    const perQuery: Record<string, { p50: number; p95: number; found: number }> = {};
    for (const [name, query] of QUERIES) {
      const times: number[] = [];
      let found = 0;
      for (let run = 0; run < 12; run++) {
        const begun = performance.now();
        found = (await search.find(ctx, normalizedTerms(query), options)).length;
        times.push(performance.now() - begun);
      }
      all.push(...times.slice(2));
      perQuery[name] = {
        p50: round(percentile(times.slice(2), 50)),
        p95: round(percentile(times.slice(2), 95)),
        found,
      };
    }
    const searches = QUERIES.length * 12;
    const own = process.cpuUsage(cpuBefore[1]);
    figures.push({
      bench: 'search-index.find',
      unit: 'ms',
      meetings,
      mode,
      p50: round(percentile(all, 50)),
      p95: round(percentile(all, 95)),
      databaseCpuMsPerSearch: round((cpuMsOf(databasePid) - cpuBefore[0]) / searches),
      quorumCpuMsPerSearch: round((own.user + own.system) / 1000 / searches),
      perQuery,
    });
  }
  return figures;
}

/** CPU milliseconds used so far by a process (Linux /proc; 0 elsewhere). */
function cpuMsOf(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime, fields 14 and 15 of stat, in clock ticks (100 per second).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

function optionOf(args: readonly string[], name: string): string | undefined {
  return args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

export async function benchSearchIndex(args: readonly string[] = []): Promise<void> {
  const total = Number(optionOf(args, 'meetings') ?? 10_000);
  const checkpoints = (optionOf(args, 'checkpoints') ?? '1000,10000').split(',').map(Number);
  const months = Number(optionOf(args, 'months') ?? 24);
  const pending = optionOf(args, 'pending');
  const bucketCount = optionOf(args, 'buckets');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'quorum-bench-search-'));
  const database = process.env.MONGODB_URI
    ? undefined
    : await startEmbeddedDb({ dataDir: path.join(dataDir, 'db') });
  const ferretDir = path.join(dataDir, 'db', 'ferretdb');
  const uri = new URL(process.env.MONGODB_URI ?? database!.uri);
  uri.searchParams.set('monitorCommands', 'true');
  const store = await openStore({
    uri: uri.toString(),
    controlDbName: `qbench_${Date.now().toString(36)}`,
  });
  try {
    const envelope = createEnvelope({ store, keys: await openLocalKeyring({ dataDir }) });
    const search = createSearchIndex({
      store,
      envelope,
      layout: {
        ...(pending ? { pendingLimit: Number(pending) } : {}),
        ...(bucketCount ? { buckets: Number(bucketCount) } : {}),
      },
    });
    const tenantId = `bsearch${Date.now().toString(36)}`;
    await store.controlModel(Tenant).create({ _id: tenantId, name: 'bench', domains: [] });
    const ctx = verifiedTenantContext(tenantId, 'system');
    const counts = commandCounter(store);
    const draw = zipf(11);
    const start = Date.UTC(2025, 0, 1);
    const span = months * 30.4 * 86_400_000;
    const times: number[] = [];
    let distinct = 0;
    let statements = 0;
    let dbCpu = 0;
    let ownCpu = 0;
    for (let i = 0; i < total; i++) {
      const texts = meetingTexts(draw, i);
      const startsAt = new Date(start + (i * span) / total);
      const before = counts.statements;
      const cpuBefore = [cpuMsOf(database?.pid), process.cpuUsage()] as const;
      const begun = performance.now();
      distinct += await search.index(ctx, `m-${String(i).padStart(6, '0')}`, texts, { startsAt });
      times.push(performance.now() - begun);
      statements += counts.statements - before;
      dbCpu += cpuMsOf(database?.pid) - cpuBefore[0];
      const own = process.cpuUsage(cpuBefore[1]);
      ownCpu += (own.user + own.system) / 1000;
      // The collections exist after the first merge: index them as the launcher would.
      if (database && (i === 0 || i === 60)) indexIdExpressions(ferretDir);
      if (!checkpoints.includes(i + 1)) continue;
      process.stdout.write(
        `${JSON.stringify({
          bench: 'search-index.index',
          unit: 'ms per meeting',
          meetings: i + 1,
          distinctWordsPerMeeting: Math.round(distinct / (i + 1)),
          mean: round(times.reduce((a, b) => a + b, 0) / times.length),
          p50: round(percentile(times, 50)),
          p99: round(percentile(times, 99)),
          max: round(Math.max(...times)),
          statementsPerMeeting: round(statements / times.length),
          databaseCpuMsPerMeeting: round(dbCpu / times.length),
          quorumCpuMsPerMeeting: round(ownCpu / times.length),
        })}\n`,
      );
      for (const figure of await searchFigures(search, ctx, i + 1, database?.pid)) {
        process.stdout.write(`${JSON.stringify(figure)}\n`);
      }
    }
  } finally {
    await store.close();
    await database?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchSearchIndex(process.argv.slice(2));
}
