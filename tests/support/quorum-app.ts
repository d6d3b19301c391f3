// Starts Quorum in this test process on the run's real database, with its own control database
// and data folder, so each test file gets a fresh install. With `ownDatabase`, Quorum starts
// its own embedded database in its data folder instead, as `npm start` does.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../infra/server/config.ts';
import { createLogger } from '../../core/logger.ts';
import { freePort } from '../../infra/local/embedded-db.ts';
import { startQuorum, type RunningQuorum, type StartOptions } from '../../infra/server/quorum.ts';
import { OutboxEventModel } from '../../core/delivery/outbox.ts';
import { mongoUri, testTenantId } from './db.ts';

export interface TestQuorum {
  quorum: RunningQuorum;
  url: string;
  dataDir: string;
  logs(): string;
  stop(): Promise<void>;
}

export async function startTestQuorum(
  env: Record<string, string> = {},
  options: StartOptions & { ownDatabase?: boolean } = {},
): Promise<TestQuorum> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'quorum-app-'));
  // A known port, so the base URL (used in redirects and origin checks) is the real one.
  const port = await freePort();
  const loaded = loadConfig({
    PORT: String(port),
    QUORUM_BASE_URL: `http://127.0.0.1:${port}`,
    ...(options.ownDatabase
      ? {}
      : { MONGODB_URI: mongoUri(), QUORUM_CONTROL_DB: `qc_${testTenantId()}` }),
    QUORUM_DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    ...env,
  });
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
  let output = '';
  const destination = new Writable({
    write(chunk, _encoding, done) {
      output += String(chunk);
      done();
    },
  });
  const logger = createLogger({ level: loaded.config.logLevel, destination });
  const { ownDatabase: _own, ...startOptions } = options;
  const quorum = await startQuorum(loaded.config, logger, startOptions);
  return {
    quorum,
    url: quorum.url!,
    dataDir,
    logs: () => output,
    async stop() {
      await quorum.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Reads a JSON response body; tests check its shape with assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function json(res: Response | Promise<Response>): Promise<any> {
  return (await res).json();
}

/** A tiny cookie-keeping HTTP client, as a browser would behave for one site. */
export class Browser {
  readonly cookies = new Map<string, string>();
  readonly base: string;
  constructor(base: string) {
    this.base = base;
  }

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  keep(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const index = pair!.indexOf('=');
      const name = pair!.slice(0, index).trim();
      const value = pair!.slice(index + 1).trim();
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(pathname: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set('cookie', this.cookieHeader());
    let body = init.body;
    if (init.json !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(init.json);
    }
    const url = pathname.startsWith('http') ? pathname : this.base + pathname;
    const res = await fetch(url, { ...init, headers, body, redirect: 'manual' });
    this.keep(res);
    return res;
  }
}

/**
 * Waits until the pipeline has published a meeting's "summarized" event to the outbox. A meeting
 * reads `ready` a moment before that event exists, so a test that drains the outbox as soon as
 * it sees `ready` could find nothing there yet.
 */
export async function summaryPublished(
  app: TestQuorum,
  meetingId: string,
  timeoutMs = 30_000,
): Promise<void> {
  const Events = app.quorum.services.store.controlModel(OutboxEventModel);
  const deadline = Date.now() + timeoutMs;
  while (!(await Events.exists({ meetingId, type: 'meeting.summarized' }))) {
    if (Date.now() > deadline) throw new Error(`meeting ${meetingId} was never published`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
