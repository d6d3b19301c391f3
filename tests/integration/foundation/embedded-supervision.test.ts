// The embedded database is supervised: when FerretDB ends without being asked to, Quorum says
// so in one log line and starts it again on the same port, and is ready again within 10 s with
// its data; when Quorum stops it, it stays stopped.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive, runningEmbeddedDb } from '../../../infra/local/database.ts';
import { startEmbeddedDb } from '../../../infra/local/embedded-db.ts';
import { json, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';
import { organization } from '../meetings/people.ts';

async function waitFor(what: string, check: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Quorum on its embedded database', () => {
  let app: TestQuorum;

  beforeAll(async () => {
    app = await startTestQuorum({}, { ownDatabase: true });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('starts FerretDB again after it was killed, ready within 10 s with nothing lost', async () => {
    const acme = await organization(app, 'Acme', { name: 'Ana Lopez', email: 'ana@acme.example' });
    const me = await json(acme.admin.request('/api/me'));
    const killed = runningEmbeddedDb(app.dataDir)!;
    expect(isAlive(killed.pid)).toBe(true);

    process.kill(killed.pid, 'SIGKILL');
    const begun = Date.now();
    await waitFor(
      'a new FerretDB and /readyz 200',
      async () => {
        const now = runningEmbeddedDb(app.dataDir);
        if (!now || now.pid === killed.pid || !isAlive(now.pid)) return false;
        return (await fetch(`${app.url}/readyz`)).status === 200;
      },
      15_000,
    );
    expect(Date.now() - begun).toBeLessThan(10_000);

    const record = runningEmbeddedDb(app.dataDir)!;
    expect(record.port).toBe(killed.port);
    expect(isAlive(killed.pid)).toBe(false);
    // The session and the person were written before the kill; both are still there.
    const again = await acme.admin.request('/api/me');
    expect(again.status).toBe(200);
    expect(await json(again)).toEqual(me);
    const lines = app.logs().split('\n');
    const ended = lines.filter((line) => line.includes('ended unexpectedly'));
    expect(ended).toHaveLength(1);
    expect(JSON.parse(ended[0]!)).toMatchObject({
      level: 40,
      msg: expect.stringContaining(
        `FerretDB pid ${killed.pid}) ended unexpectedly (signal SIGKILL)`,
      ),
    });
    expect(lines.some((line) => line.includes(`runs again (FerretDB pid ${record.pid})`))).toBe(
      true,
    );
  });
});

describe('stopping the embedded database', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'quorum-supervise-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('does not start it again', async () => {
    const lines: string[] = [];
    const db = await startEmbeddedDb({ dataDir, log: (line) => lines.push(line) });
    const pid = db.pid!;
    await db.stop();
    // The supervisor sees the exit before stop() resolves: had it taken it for a crash, it
    // would have said so by now.
    expect(isAlive(pid)).toBe(false);
    expect(lines.filter((line) => /unexpectedly|again/.test(line))).toEqual([]);
  });
});
