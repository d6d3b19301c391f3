// The memory allocator the started server runs with, read from outside as the kernel has it:
// jemalloc mapped into the server's own process when the library is installed (glibc keeps freed
// memory after busy spells), glibc limited to two arenas otherwise, and the environment left as
// given with QUORUM_ALLOCATOR=system. The process `spawn` started is the server itself (it
// replaces itself, it does not supervise a child), so signals and the exit code are its own.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { jemallocCandidates } from '../../../infra/server/allocator.ts';
import { startQuorumProcess, type QuorumProcess } from '../../support/quorum-process.ts';

const jemalloc = jemallocCandidates().find((file) => existsSync(file));

const dirs: string[] = [];
let running: QuorumProcess | undefined;
afterEach(() => {
  running?.child.kill('SIGKILL');
  running = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function start(env: Record<string, string> = {}): Promise<QuorumProcess> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'quorum-allocator-'));
  dirs.push(dataDir);
  running = await startQuorumProcess({ QUORUM_DATA_DIR: dataDir, ...env });
  return running;
}

/** What the kernel shows of the server process: its mapped libraries and its environment. */
function seen(q: QuorumProcess) {
  const maps = readFileSync(`/proc/${q.child.pid}/maps`, 'utf8');
  const environ = readFileSync(`/proc/${q.child.pid}/environ`, 'utf8').split('\0');
  const variable = (name: string) =>
    environ.find((e) => e.startsWith(`${name}=`))?.slice(name.length + 1);
  return {
    jemallocMapped: maps.includes('libjemalloc'),
    preload: variable('LD_PRELOAD'),
    arenaMax: variable('MALLOC_ARENA_MAX'),
  };
}

/** The start-up log's allocator lines (one expected), parsed. */
function allocatorLines(q: QuorumProcess): Array<Record<string, unknown>> {
  return q
    .output()
    .split('\n')
    .filter((line) => line.includes('"msg":"memory allocator'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe.runIf(process.platform === 'linux')('the memory allocator of the started server', () => {
  it('is jemalloc when installed, else glibc with two arenas; logged once; SIGTERM still exits 0', async () => {
    const q = await start();
    const kernel = seen(q);
    if (jemalloc) {
      expect(kernel).toMatchObject({ jemallocMapped: true, preload: jemalloc });
      expect(allocatorLines(q)).toEqual([
        expect.objectContaining({ allocator: 'jemalloc', library: jemalloc }),
      ]);
    } else {
      expect(kernel).toEqual({ jemallocMapped: false, preload: undefined, arenaMax: '2' });
      expect(allocatorLines(q)).toEqual([
        expect.objectContaining({ allocator: 'glibc', mallocArenaMax: '2' }),
      ]);
    }
    // One process, one set of logs: nothing was started twice or printed twice.
    expect(q.output().match(/Quorum is ready at/g)).toHaveLength(1);
    q.child.kill('SIGTERM');
    expect(await q.exited).toBe(0);
  });

  it('is glibc with two arenas with QUORUM_ALLOCATOR=glibc', async () => {
    const q = await start({ QUORUM_ALLOCATOR: 'glibc' });
    expect(seen(q)).toEqual({ jemallocMapped: false, preload: undefined, arenaMax: '2' });
    expect(allocatorLines(q)).toEqual([
      expect.objectContaining({ allocator: 'glibc', mallocArenaMax: '2' }),
    ]);
  });

  it('is left as the environment gives it with QUORUM_ALLOCATOR=system', async () => {
    const q = await start({ QUORUM_ALLOCATOR: 'system' });
    expect(seen(q)).toEqual({ jemallocMapped: false, preload: undefined, arenaMax: undefined });
    const [line] = allocatorLines(q);
    expect(line).toMatchObject({
      allocator: 'glibc',
      msg: 'memory allocator: glibc (default arenas)',
    });
    expect(line).not.toHaveProperty('mallocArenaMax');
  });
});
