// The server as an operator runs it: embedded database, readiness, clean shutdown, no orphans.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive as alive, runningEmbeddedDb } from '../../../infra/local/database.ts';
import { startQuorumProcess, type QuorumProcess } from '../../support/quorum-process.ts';

async function waitUntil(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

const dirs: string[] = [];
let running: QuorumProcess | undefined;
afterEach(() => {
  running?.child.kill('SIGKILL');
  running = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDataDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'quorum-e2e-'));
  dirs.push(dir);
  return dir;
}

describe('server lifecycle on the embedded database', () => {
  it('becomes ready, and on SIGTERM exits 0 within 10 s leaving no database process', async () => {
    const dataDir = tempDataDir();
    running = await startQuorumProcess({ QUORUM_DATA_DIR: dataDir });
    const ready = await fetch(`${running.url}/readyz`);
    expect(ready.status).toBe(200);
    const db = runningEmbeddedDb(dataDir);
    expect(db?.pid).toBeGreaterThan(0);

    const begun = Date.now();
    running.child.kill('SIGTERM');
    const code = await running.exited;
    expect(code).toBe(0);
    expect(Date.now() - begun).toBeLessThan(10_000);
    expect(alive(db!.pid)).toBe(false);
    expect(runningEmbeddedDb(dataDir)).toBeUndefined();
  });

  it('leaves no database process behind even when Quorum is killed outright', async () => {
    const dataDir = tempDataDir();
    running = await startQuorumProcess({ QUORUM_DATA_DIR: dataDir });
    const db = runningEmbeddedDb(dataDir)!;
    expect(alive(db.pid)).toBe(true);
    running.child.kill('SIGKILL');
    await running.exited;
    expect(await waitUntil(() => !alive(db.pid), 5000)).toBe(true);
  });

  it('refuses to start with bad settings, one line per problem, without echoing secrets', async () => {
    const { spawnSync } = await import('node:child_process');
    const result = spawnSync(process.execPath, ['infra/server/main.ts'], {
      env: {
        PATH: process.env.PATH ?? '',
        PORT: 'eighty',
        QUORUM_ROLE: 'boss',
        MONGODB_URI: 'postgres://admin:hunter2secret@db',
      },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('PORT:');
    expect(result.stderr).toContain('QUORUM_ROLE:');
    expect(result.stderr).toContain('MONGODB_URI: is not valid');
    expect(result.stderr).not.toContain('hunter2secret');
    expect(result.stderr).not.toMatch(/\bat .+\.ts:\d+/); // no stack trace
  });
});
