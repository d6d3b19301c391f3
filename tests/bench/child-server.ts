// The server as `npm start` runs it, in a child process on its own embedded database, for
// benchmarks that watch it from outside (event-loop stalls, memory). Its logs go to a file as a
// deployment's would: a pipe read by this busy process would hold the server up on every line.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../infra/local/embedded-db.ts';
import { projectRoot } from '../../infra/local/ferretdb-binary.ts';

export interface ChildServer {
  url: string;
  child: ChildProcess;
  dataDir: string;
  /** Resident memory of the server process (VmRSS), in MB. */
  rssMb(): number;
  /**
   * The same, split as the kernel counts it: anonymous memory (what the process allocated)
   * and file pages (its binary and the ICU data in it, paged in as code paths are first run:
   * shared and given back under pressure, not a leak).
   */
  residentMb(): { rss: number; anon: number; file: number; peak: number };
  /** The allocator the server runs with, as the kernel has it: jemalloc mapped, or glibc's. */
  allocator(): string;
  stop(): Promise<void>;
}

export async function startChildServer(
  name: string,
  env: Record<string, string> = {},
  /** Node options for the server, given its data folder (e.g. where to write diagnostics). */
  nodeArgs: (dataDir: string) => string[] = () => [],
): Promise<ChildServer> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `quorum-bench-${name}-`));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log = openSync(path.join(dataDir, 'quorum.log'), 'a');
  const child = spawn(
    process.execPath,
    [...nodeArgs(dataDir), path.join(projectRoot, 'infra/server/main.ts')],
    {
      cwd: projectRoot,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        PORT: String(port),
        QUORUM_BASE_URL: url,
        QUORUM_DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        // The allocator the bench is run with (`QUORUM_ALLOCATOR=system npm run bench -- soak`).
        ...(process.env.QUORUM_ALLOCATOR ? { QUORUM_ALLOCATOR: process.env.QUORUM_ALLOCATOR } : {}),
        ...env,
      },
      stdio: ['ignore', log, log],
    },
  );
  closeSync(log);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  };
  const residentMb = () => {
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const field = (name: string) => {
      const kb = Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
      return Math.round((kb / 1024) * 10) / 10;
    };
    return {
      rss: field('VmRSS'),
      anon: field('RssAnon'),
      file: field('RssFile'),
      // The highest resident memory since the process started, between samples too.
      peak: field('VmHWM'),
    };
  };
  const rssMb = () => residentMb().rss;
  const allocator = () => {
    if (readFileSync(`/proc/${child.pid}/maps`, 'utf8').includes('libjemalloc')) return 'jemalloc';
    const environ = readFileSync(`/proc/${child.pid}/environ`, 'utf8').split('\0');
    return ['glibc', ...environ.filter((e) => e.startsWith('MALLOC_ARENA_MAX='))].join(' ');
  };
  const deadline = Date.now() + 120_000;
  for (;;) {
    const ready = await fetch(`${url}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) return { url, child, dataDir, rssMb, residentMb, allocator, stop };
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Quorum did not start; see ${path.join(dataDir, 'quorum.log')}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[
    Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  ]!;
}

/** p50, p99 and max of `values`, rounded to 0.1. */
export function spread(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (v: number) => Math.round(v * 10) / 10;
  return {
    n: values.length,
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? NaN),
  };
}
