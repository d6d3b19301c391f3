// What the container relies on at run time, against the real server: the image's health check
// script (GET /readyz on the node's own port), and QUORUM_TRUST_PROXY, which decides whose
// X-Forwarded-For counts as the client's address (sign-in limits are per client address).
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../infra/server/config.ts';
import { freePort } from '../../../infra/local/embedded-db.ts';
import { startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';

/** Runs the check in its own process (asynchronously: the server answers from this one). */
function healthcheck(
  env: Record<string, string>,
): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['infra/deploy/healthcheck.ts'], {
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('exit', (status) => resolve({ status, stderr }));
  });
}

/** Eleven wrong passwords, each claiming another client address through X-Forwarded-For. */
async function signInStatuses(app: TestQuorum): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 1; i <= 11; i += 1) {
    const res = await fetch(`${app.url}/auth/signin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${i}` },
      // A new email each time, so only the per-address limit is at work (not the per-account one).
      body: JSON.stringify({ email: `nobody${i}@example.com`, password: 'not-the-password-1' }),
    });
    statuses.push(res.status);
  }
  return statuses;
}

let app: TestQuorum;
beforeAll(async () => {
  app = await startTestQuorum();
});
afterAll(async () => {
  await app?.stop();
});

describe('the image health check', () => {
  it('passes when /readyz answers 200 on PORT, fails when nothing answers', async () => {
    const port = new URL(app.url).port;
    const ready = await healthcheck({ PORT: port });
    expect(ready.stderr).toBe('');
    expect(ready.status).toBe(0);
    const nothing = await healthcheck({ PORT: String(await freePort()) });
    expect(nothing.status).toBe(1);
    expect(nothing.stderr).toMatch(/^no answer on port \d+/);
  });

  it('passes for a worker, which serves no HTTP', async () => {
    const worker = await healthcheck({ PORT: String(await freePort()), QUORUM_ROLE: 'worker' });
    expect(worker.status).toBe(0);
  });
});

describe('QUORUM_TRUST_PROXY', () => {
  it('accepts a hop count or a list of addresses, and refuses anything else', () => {
    const hops = loadConfig({ QUORUM_TRUST_PROXY: '1' });
    expect(hops.ok && hops.config.trustProxy).toBe(1);
    const list = loadConfig({ QUORUM_TRUST_PROXY: 'loopback, 10.0.0.0/8' });
    expect(list.ok && list.config.trustProxy).toBe('loopback, 10.0.0.0/8');
    const fallback = loadConfig({});
    expect(fallback.ok && fallback.config.trustProxy).toBe('loopback');
    const bad = loadConfig({ QUORUM_TRUST_PROXY: 'everyone; rm -rf' });
    expect(bad.ok ? [] : bad.problems).toEqual([
      expect.stringMatching(/^QUORUM_TRUST_PROXY: must be a number of proxy hops/),
    ]);
  });

  it('counts sign-in attempts per forwarded client behind a trusted proxy, per connection otherwise', async () => {
    // The test's requests come over loopback: trusted by default, as a local proxy would be.
    const trusted = await signInStatuses(app);
    expect(trusted.filter((s) => s === 429)).toEqual([]);
    const untrusting = await startTestQuorum({ QUORUM_TRUST_PROXY: '10.0.0.0/8' });
    try {
      const statuses = await signInStatuses(untrusting);
      // All eleven come from the one loopback address: the eleventh is over the limit.
      expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
      expect(statuses[10]).toBe(429);
    } finally {
      await untrusting.stop();
    }
  });
});
