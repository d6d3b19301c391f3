// Without QUORUM_BASE_URL, Quorum runs on this machine: pages opened at 127.0.0.1 (what the
// README says) and at localhost (what many type) both work, sign-out included.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../infra/server/config.ts';
import { freePort } from '../../../infra/local/embedded-db.ts';
import { startQuorum, type RunningQuorum } from '../../../infra/server/quorum.ts';
import { mongoUri, testTenantId } from '../../support/db.ts';
import { Browser } from '../../support/quorum-app.ts';

let quorum: RunningQuorum;
let port: number;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'quorum-loopback-'));
const credentials = { email: 'ana@loopback.example', password: 'plum-orbit-canvas-97' };

beforeAll(async () => {
  port = await freePort();
  const loaded = loadConfig({
    PORT: String(port),
    MONGODB_URI: mongoUri(),
    QUORUM_CONTROL_DB: `qc_${testTenantId()}`,
    QUORUM_DATA_DIR: dataDir,
    QUORUM_OPEN_SIGNUP: 'true',
  });
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
  expect(loaded.config.baseUrl).toBe(`http://127.0.0.1:${port}`);
  quorum = await startQuorum(loaded.config, pino({ level: 'silent' }));
  const signup = await new Browser(`http://127.0.0.1:${port}`).request('/auth/signup', {
    method: 'POST',
    headers: { origin: `http://127.0.0.1:${port}` },
    json: { organization: 'Loopback', name: 'Ana', ...credentials },
  });
  expect(signup.status).toBe(201);
});
afterAll(async () => {
  await quorum?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('both loopback names', () => {
  for (const host of ['127.0.0.1', 'localhost']) {
    it(`signs in, changes settings and signs out at ${host}`, async () => {
      const origin = `http://${host}:${port}`;
      const browser = new Browser(origin);
      const signin = await browser.request('/auth/signin', {
        method: 'POST',
        headers: { origin },
        json: credentials,
      });
      expect(signin.status).toBe(200);
      const current = (await (await browser.request('/api/me/settings')).json()) as object;
      const settings = await browser.request('/api/me/settings', {
        method: 'PUT',
        headers: { origin },
        json: { ...current, timeZone: 'Europe/Berlin' },
      });
      expect(settings.status).toBe(200);
      const signout = await browser.request('/auth/signout', {
        method: 'POST',
        headers: { origin },
      });
      expect(signout.status).toBeLessThan(300);
      expect((await browser.request('/api/me')).status).toBe(401);
    });
  }

  it('still refuses other origins', async () => {
    const browser = new Browser(`http://127.0.0.1:${port}`);
    const res = await browser.request('/auth/signin', {
      method: 'POST',
      headers: { origin: `http://localhost:${port + 1}` },
      json: credentials,
    });
    expect(res.status).toBe(403);
  });
});
