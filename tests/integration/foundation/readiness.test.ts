// /readyz follows the database: 503 with the reason while it is down, 200 once it is back.
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobRegistry } from '../../../core/jobs/registry.ts';
import { createJobRunner, type JobRunner } from '../../../core/jobs/runner.ts';
import { openStore, type Store } from '../../../core/store/store.ts';
import { startEmbeddedDb, type EmbeddedDb } from '../../../infra/local/embedded-db.ts';
import { buildApp, finishApp } from '../../../infra/server/app.ts';
import { createMetrics } from '../../../infra/server/metrics.ts';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'quorum-readyz-'));
let db: EmbeddedDb;
let store: Store;
let jobs: JobRunner;
let server: http.Server;
let base: string;

const METRICS_TOKEN = 'metrics-scraper-token-0123456789abcdef';

async function get(
  pathname: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  const res = await fetch(base + pathname, { headers });
  return { status: res.status, body: await res.text() };
}

async function waitForStatus(pathname: string, status: number, ms: number) {
  const deadline = Date.now() + ms;
  let last = await get(pathname);
  while (last.status !== status && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    last = await get(pathname);
  }
  return last;
}

beforeAll(async () => {
  // This test stops and restarts its own database, so it never shares the run's instance.
  db = await startEmbeddedDb({ dataDir });
  store = await openStore({ uri: db.uri, serverSelectionTimeoutMs: 1000 });
  const logger = pino({ level: 'silent' });
  jobs = createJobRunner({ store, registry: new JobRegistry(), logger });
  await jobs.start();
  const app = buildApp({
    logger,
    metrics: createMetrics(),
    store,
    jobs,
    metricsToken: METRICS_TOKEN,
  });
  finishApp(app, logger);
  server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(async () => {
  server?.close();
  await jobs?.stop().catch(() => {});
  await store?.close().catch(() => {});
  await db?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('/readyz', () => {
  it('is 200 while the database answers, 503 with the reason when it stops, 200 when it returns', async () => {
    expect((await get('/readyz')).status).toBe(200);
    expect((await get('/healthz')).status).toBe(200);

    const port = db.port;
    await db.stop();
    const down = await waitForStatus('/readyz', 503, 10_000);
    expect(down.status).toBe(503);
    expect(JSON.parse(down.body)).toMatchObject({ status: 'unavailable' });
    expect(down.body).toContain('database unreachable');
    // The process itself is alive.
    expect((await get('/healthz')).status).toBe(200);

    db = await startEmbeddedDb({ dataDir, port });
    const up = await waitForStatus('/readyz', 200, 20_000);
    expect(up.status).toBe(200);
  });

  it('counts requests by route and status in /metrics', async () => {
    await get('/healthz');
    await get('/no-such-page');
    const metrics = (await get('/metrics', { authorization: `Bearer ${METRICS_TOKEN}` })).body;
    expect(metrics).toMatch(
      /quorum_http_requests_total\{route="\/healthz",method="GET",status="200"\} \d+/,
    );
    expect(metrics).toMatch(
      /quorum_http_requests_total\{route="unmatched",method="GET",status="404"\} 1/,
    );
    expect(metrics).toContain('quorum_http_request_duration_seconds_bucket');
    expect(metrics).toContain('# TYPE quorum_job_runs_total counter');
  });

  it('serves /metrics only to a scraper holding the token', async () => {
    const without = await get('/metrics');
    expect(without.status).toBe(401);
    expect(without.body).not.toContain('quorum_http_requests_total');
    const wrong = await get('/metrics', { authorization: 'Bearer not-the-metrics-token-at-all' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).not.toContain('quorum_http_requests_total');
  });
});
