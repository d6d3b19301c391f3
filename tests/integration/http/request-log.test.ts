// Every "request completed" log line names the status the client got.
import http from 'node:http';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../core/logger.ts';
import { openStore, type Store } from '../../../core/store/store.ts';
import { buildApp, finishApp } from '../../../infra/server/app.ts';
import { createMetrics } from '../../../infra/server/metrics.ts';
import { mongoUri } from '../../support/db.ts';

let store: Store;
let server: http.Server;
let base: string;
const lines: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  store = await openStore({ uri: mongoUri() });
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const logger = createLogger({ level: 'info', destination: sink });
  const app = buildApp({ logger, metrics: createMetrics(), store });
  app.get('/teapot', (_req, res) => {
    res.status(418).json({ short: 'and stout' });
  });
  finishApp(app, logger);
  server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(async () => {
  server?.close();
  await store?.close();
});

async function completed(pathname: string): Promise<Record<string, unknown>> {
  const res = await fetch(base + pathname);
  await res.text();
  const id = res.headers.get('x-request-id');
  // The line is written when the response finishes, which can be just after the client has it.
  for (let i = 0; i < 200; i++) {
    const line = lines.find(
      (l) => l.msg === 'request completed' && (l.req as { id?: string })?.id === id,
    );
    if (line) return line;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error(`no "request completed" line for ${pathname}`);
}

describe('request log', () => {
  it('carries the status code of each response', async () => {
    expect((await completed('/teapot')).res).toEqual({ statusCode: 418 });
    expect((await completed('/no-such-page')).res).toEqual({ statusCode: 404 });
    expect((await completed('/readyz')).res).toMatchObject({ statusCode: expect.any(Number) });
  });
});

describe('metrics without QUORUM_METRICS_TOKEN', () => {
  it('are off, and say how to turn them on', async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(404);
    const body = (await res.json()) as { message: string };
    expect(body.message).toContain('QUORUM_METRICS_TOKEN');
  });
});
