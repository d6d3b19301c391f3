// The allocator decision, for the situations one machine cannot show end to end: no jemalloc
// installed, an operator's own LD_PRELOAD, another platform, and the process after its re-exec.
import { describe, expect, it } from 'vitest';
import { allocatorEnv, jemallocCandidates } from '../../../infra/server/allocator.ts';
import { loadConfig } from '../../../infra/server/config.ts';

const lib = '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2';
/** On Linux with jemalloc installed, and without. */
const linux = (env: NodeJS.ProcessEnv) => allocatorEnv({ env, platform: 'linux', jemalloc: lib });
const noJemalloc = (env: NodeJS.ProcessEnv) =>
  allocatorEnv({ env, platform: 'linux', jemalloc: undefined });

describe('choosing the allocator the server starts with', () => {
  it('preloads jemalloc when installed, else limits glibc to two arenas', () => {
    expect(linux({})).toEqual({ LD_PRELOAD: lib });
    expect(noJemalloc({})).toEqual({ MALLOC_ARENA_MAX: '2' });
    expect(noJemalloc({ QUORUM_ALLOCATOR: 'auto' })).toEqual({ MALLOC_ARENA_MAX: '2' });
    // An empty variable means "not set", as everywhere in Quorum's configuration.
    expect(linux({ QUORUM_ALLOCATOR: '', LD_PRELOAD: '' })).toEqual({ LD_PRELOAD: lib });
  });

  it('changes nothing once its variable is set, so the re-executed process runs on', () => {
    expect(linux({ LD_PRELOAD: lib })).toBeUndefined();
    expect(noJemalloc({ MALLOC_ARENA_MAX: '2' })).toBeUndefined();
  });

  it("keeps the operator's LD_PRELOAD and MALLOC_ARENA_MAX, and glibc when asked", () => {
    expect(linux({ LD_PRELOAD: '/opt/tcmalloc.so' })).toBeUndefined();
    expect(noJemalloc({ MALLOC_ARENA_MAX: '8' })).toBeUndefined();
    expect(linux({ QUORUM_ALLOCATOR: 'glibc' })).toEqual({ MALLOC_ARENA_MAX: '2' });
    expect(linux({ QUORUM_ALLOCATOR: 'glibc', MALLOC_ARENA_MAX: '4' })).toBeUndefined();
  });

  it('touches nothing with QUORUM_ALLOCATOR=system or outside Linux', () => {
    expect(linux({ QUORUM_ALLOCATOR: 'system' })).toBeUndefined();
    expect(noJemalloc({ QUORUM_ALLOCATOR: 'system' })).toBeUndefined();
    expect(allocatorEnv({ env: {}, platform: 'darwin', jemalloc: lib })).toBeUndefined();
  });

  it("looks for the library where Debian's libjemalloc2 puts it, on either architecture", () => {
    expect(jemallocCandidates('x64')[0]).toBe(lib);
    expect(jemallocCandidates('arm64')[0]).toBe('/usr/lib/aarch64-linux-gnu/libjemalloc.so.2');
  });

  it('stops start-up on a QUORUM_ALLOCATOR it does not know, naming it', () => {
    const result = loadConfig({ QUORUM_ALLOCATOR: 'jemallok' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.join('\n')).toMatch(/^QUORUM_ALLOCATOR: /m);
    expect(loadConfig({ QUORUM_ALLOCATOR: 'system' }).ok).toBe(true);
  });
});
