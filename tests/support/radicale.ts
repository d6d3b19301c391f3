// A real Radicale CalDAV server for tests: its own loopback port, temporary storage and an
// htpasswd user. The installed Radicale (3.1, Debian) has no bcrypt/passlib modules, so the
// password file uses its `plain` encryption, which is fine for a throwaway test account.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface RadicaleServer {
  /** Server root, e.g. http://127.0.0.1:5232/ */
  url: string;
  username: string;
  password: string;
  /** Creates a calendar collection under the user's home and returns its URL. */
  makeCalendar(name: string): Promise<string>;
  /** PUTs an iCalendar object (a new resource) into a collection. */
  put(url: string, ics: string): Promise<void>;
  /** GETs a resource as the test user. */
  get(url: string): Promise<{ status: number; body: string }>;
  /** The URLs of the objects in a calendar collection. */
  list(calendarUrl: string): Promise<string[]>;
  stop(): Promise<void>;
}

export async function startRadicale(): Promise<RadicaleServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'quorum-radicale-'));
  const username = 'ana';
  const password = randomBytes(12).toString('hex');
  writeFileSync(path.join(dir, 'users'), `${username}:${password}\n`, { mode: 0o600 });
  const port = await freePort();
  const args = [
    '--config',
    '', // ignore /etc/radicale/config
    '--server-hosts',
    `127.0.0.1:${port}`,
    '--auth-type',
    'htpasswd',
    '--auth-htpasswd-filename',
    path.join(dir, 'users'),
    '--auth-htpasswd-encryption',
    'plain',
    '--auth-delay',
    '0',
    '--rights-type',
    'owner_only',
    '--storage-filesystem-folder',
    path.join(dir, 'collections'),
    '--web-type',
    'none',
    '--logging-level',
    'warning',
  ];
  const child = existsSync('/usr/bin/radicale')
    ? spawn('/usr/bin/radicale', args, { stdio: ['ignore', 'ignore', 'pipe'] })
    : spawn('python3', ['-m', 'radicale', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

  const url = `http://127.0.0.1:${port}/`;
  const auth = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  try {
    await waitUntilAnswering(url, child, () => stderr);
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  async function request(
    method: string,
    target: string,
    init: { body?: string; headers?: Record<string, string> } = {},
  ) {
    const response = await fetch(target, {
      method,
      ...(init.body !== undefined ? { body: init.body } : {}),
      headers: { authorization: auth, ...init.headers },
    });
    return { status: response.status, body: await response.text() };
  }

  return {
    url,
    username,
    password,
    async makeCalendar(name) {
      const target = `${url}${username}/${name}/`;
      const { status, body } = await request('MKCALENDAR', target);
      if (status !== 201) throw new Error(`MKCALENDAR ${target} answered ${status}: ${body}`);
      return target;
    },
    async put(target, ics) {
      const { status, body } = await request('PUT', target, {
        body: ics,
        headers: { 'content-type': 'text/calendar; charset=utf-8', 'if-none-match': '*' },
      });
      if (status !== 201) throw new Error(`PUT ${target} answered ${status}: ${body}`);
    },
    get: (target) => request('GET', target),
    async list(calendarUrl) {
      const { status, body } = await request('PROPFIND', calendarUrl, {
        headers: { depth: '1', 'content-type': 'application/xml' },
        body: '<?xml version="1.0"?><propfind xmlns="DAV:"><prop><getetag/></prop></propfind>',
      });
      if (status !== 207) throw new Error(`PROPFIND ${calendarUrl} answered ${status}: ${body}`);
      const hrefs = [...body.matchAll(/<(?:\w+:)?href>([^<]+)<\/(?:\w+:)?href>/g)].map(
        (m) => m[1]!,
      );
      return hrefs.filter((href) => href.endsWith('.ics')).map((href) => new URL(href, url).href);
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

async function waitUntilAnswering(url: string, child: ChildProcess, stderr: () => string) {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`radicale exited with code ${child.exitCode}: ${stderr()}`);
    }
    try {
      await fetch(url, { method: 'OPTIONS' });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`radicale did not answer on ${url} within 15 s: ${stderr()}`);
}
