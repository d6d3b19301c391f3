// Server figures: time from process start to /readyz 200 on the embedded database (the
// FerretDB binary already built), and the server's resident memory when idle.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startQuorumProcess } from '../support/quorum-process.ts';

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return Math.round((kb / 1024) * 10) / 10;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function benchServer(runs = 5): Promise<Record<string, unknown>[]> {
  const startMs: number[] = [];
  const rss: number[] = [];
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'quorum-bench-'));
  try {
    for (let i = 0; i < runs; i++) {
      const begun = performance.now();
      const server = await startQuorumProcess({ QUORUM_DATA_DIR: dataDir });
      // Ready means /readyz says so, not merely that the log line appeared.
      while ((await fetch(`${server.url}/readyz`)).status !== 200) {
        await new Promise((r) => setTimeout(r, 10));
      }
      startMs.push(performance.now() - begun);
      await new Promise((r) => setTimeout(r, 2000));
      rss.push(rssMb(server.child.pid!));
      server.child.kill('SIGTERM');
      await server.exited;
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  return [
    {
      bench: 'server.start-to-ready',
      unit: 'ms',
      runs,
      median: Math.round(median(startMs)),
      max: Math.round(Math.max(...startMs)),
    },
    { bench: 'server.idle-rss', unit: 'MiB', runs, median: median(rss), max: Math.max(...rss) },
  ];
}
