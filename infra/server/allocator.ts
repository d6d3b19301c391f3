// Which memory allocator the server runs with. glibc's malloc keeps memory Quorum has freed in
// its per-thread arenas after busy spells (36–57 MB after the soak benchmark's 20,000 bad
// requests, nothing of it held by Quorum); jemalloc gives it back. A process's allocator is fixed
// by its environment when it starts (LD_PRELOAD, MALLOC_ARENA_MAX), so the entry point replaces
// its own process once with that environment set (execve: the same pid, so signals, the exit
// code and the output stay the server's own, with no supervisor in between). QUORUM_ALLOCATOR:
//   auto    jemalloc when libjemalloc.so.2 is installed, else glibc with two arenas (default);
//   glibc   glibc with two arenas (MALLOC_ARENA_MAX=2);
//   system  the environment as given.
// An LD_PRELOAD or MALLOC_ARENA_MAX the operator set is kept. Only Linux is touched. Programs
// the server starts (ffmpeg, pocketsphinx) inherit the variable, which suits them as well; the
// embedded FerretDB is a static Go binary, which the loader does not preload into.
import { existsSync, readFileSync } from 'node:fs';

export const ALLOCATOR_CHOICES = ['auto', 'glibc', 'system'] as const;

/** Where Debian, Ubuntu, Fedora and Arch install jemalloc's shared library. */
export function jemallocCandidates(arch: string = process.arch): string[] {
  const triplet = ({ x64: 'x86_64-linux-gnu', arm64: 'aarch64-linux-gnu' } as const)[
    arch as 'x64' | 'arm64'
  ];
  return [
    ...(triplet ? [`/usr/lib/${triplet}/libjemalloc.so.2`] : []),
    '/usr/lib64/libjemalloc.so.2',
    '/usr/lib/libjemalloc.so.2',
  ];
}

export interface AllocatorSituation {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  /** The jemalloc library found on this machine, if any. */
  jemalloc: string | undefined;
}

/**
 * The variables the server should start with, or undefined when this process runs as it is.
 * After the re-exec the variable it set is there, so this answers undefined: it cannot loop.
 */
export function allocatorEnv(s: AllocatorSituation): Record<string, string> | undefined {
  const choice = s.env.QUORUM_ALLOCATOR || 'auto';
  if (s.platform !== 'linux' || choice === 'system' || s.env.LD_PRELOAD) return undefined;
  if (choice === 'auto' && s.jemalloc) return { LD_PRELOAD: s.jemalloc };
  if (s.env.MALLOC_ARENA_MAX) return undefined;
  return { MALLOC_ARENA_MAX: '2' };
}

/** Replaces this process by itself under the chosen allocator; returns if nothing changes. */
export function reexecWithAllocator(): void {
  const extra = allocatorEnv({
    env: process.env,
    platform: process.platform,
    jemalloc: jemallocCandidates().find((file) => existsSync(file)),
  });
  if (!extra || typeof process.execve !== 'function') return;
  const args = [process.execPath, ...process.execArgv, ...process.argv.slice(1)];
  process.execve(process.execPath, args, { ...process.env, ...extra });
}

export interface AllocatorInUse {
  allocator: 'jemalloc' | 'glibc' | 'other';
  library?: string;
  mallocArenaMax?: string;
}

/** The allocator this process runs with, as the kernel has it mapped (for the start-up log). */
export function allocatorInUse(): AllocatorInUse {
  if (process.platform !== 'linux') return { allocator: 'other' };
  const maps = readFileSync('/proc/self/maps', 'utf8');
  const library = /\s(\/\S*libjemalloc\S*)$/m.exec(maps)?.[1];
  if (library) return { allocator: 'jemalloc', library };
  if (!/\/libc\.so\.6$/m.test(maps)) return { allocator: 'other' };
  const arenas = process.env.MALLOC_ARENA_MAX;
  return { allocator: 'glibc', ...(arenas ? { mallocArenaMax: arenas } : {}) };
}

export function describeAllocator(a: AllocatorInUse): string {
  if (a.allocator === 'jemalloc') return `memory allocator: jemalloc (${a.library})`;
  if (a.allocator === 'other') return "memory allocator: the platform's own";
  const arenas = a.mallocArenaMax ? `MALLOC_ARENA_MAX=${a.mallocArenaMax}` : 'default arenas';
  return `memory allocator: glibc (${arenas})`;
}
