// `_id` lookups on the embedded database, without and with the launcher's index on
// `_ferretdb_sjson->'$._id'`: findOne({_id}) and updateOne({_id}) on a collection of 10,000
// documents. "Without" is FerretDB as it indexes by itself: the launcher starts on an empty
// folder (nothing to index at start) and looks for new tables only once a day; "with" is the
// launcher as Quorum runs it, restarted on the same files (it indexes them before answering).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { freePort } from '../../infra/local/embedded-db.ts';
import { ensureFerretdbBinary } from '../../infra/local/ferretdb-binary.ts';

const DOCUMENTS = 10_000;

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]!;
}

async function launcher(dir: string, port: number, extra: string[]) {
  const child = spawn(
    ensureFerretdbBinary(),
    [`-listen-addr=127.0.0.1:${port}`, `-sqlite-url=file:${dir}/`, ...extra],
    { stdio: ['pipe', 'ignore', 'ignore'] },
  );
  const client = new MongoClient(`mongodb://127.0.0.1:${port}/`, {
    serverSelectionTimeoutMS: 20_000,
  });
  await client.connect();
  return {
    client,
    async stop() {
      await client.close();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin!.end();
      await exited;
    },
  };
}

async function measure(client: MongoClient, label: string, ops: number) {
  const docs = client.db('bench').collection<{ _id: string; n: number; body: string }>('docs');
  const ids = Array.from({ length: ops }, () => `doc-${Math.floor(Math.random() * DOCUMENTS)}`);
  const find: number[] = [];
  const update: number[] = [];
  for (const id of ids) {
    let begun = performance.now();
    await docs.findOne({ _id: id });
    find.push(performance.now() - begun);
    begun = performance.now();
    await docs.updateOne({ _id: id }, { $inc: { n: 1 } });
    update.push(performance.now() - begun);
  }
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return [
    { op: 'findOne({_id})', series: find },
    { op: 'updateOne({_id})', series: update },
  ].map(({ op, series }) => ({
    bench: `embedded-db.${op}`,
    index: label,
    documents: DOCUMENTS,
    unit: 'ms',
    runs: ops,
    median: round(quantile(series, 0.5)),
    p95: round(quantile(series, 0.95)),
  }));
}

export async function benchIdLookups(): Promise<Record<string, unknown>[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'quorum-bench-id-'));
  const port = await freePort();
  try {
    const bare = await launcher(dir, port, ['-index-interval=24h']);
    const docs = bare.client.db('bench').collection('docs');
    for (let start = 0; start < DOCUMENTS; start += 1000) {
      await docs.insertMany(
        Array.from({ length: 1000 }, (_, i) => ({
          _id: `doc-${start + i}` as never,
          n: 0,
          body: 'x'.repeat(200),
        })),
      );
    }
    const without = await measure(bare.client, 'none (FerretDB alone)', 50);
    await bare.stop();

    const indexed = await launcher(dir, port, []);
    const withIndex = await measure(indexed.client, "on _ferretdb_sjson->'$._id'", 500);
    await indexed.stop();
    return [...without, ...withIndex];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
