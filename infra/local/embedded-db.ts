// Starts FerretDB (SQLite backend) as a child process on a free loopback port.
//
// The child watches its standard input: when this process ends in any way (even SIGKILL),
// the pipe closes and FerretDB exits, so no orphan is left behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { ensureFerretdbBinary, EmbeddedDbUnavailable } from './ferretdb-binary.ts';

export interface EmbeddedDb {
  uri: string;
  port: number;
  pid: number | undefined;
  /** Stops FerretDB: SIGTERM, then SIGKILL after the grace period. */
  stop(): Promise<void>;
}

export interface EmbeddedDbOptions {
  dataDir: string;
  /** A fixed port (to restart on the same address); a free one when omitted. */
  port?: number;
  log?: (line: string) => void;
  readyTimeoutMs?: number;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function answers(uri: string): Promise<boolean> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 300, connectTimeoutMS: 300 });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
    return true;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => {});
  }
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export async function startEmbeddedDb(options: EmbeddedDbOptions): Promise<EmbeddedDb> {
  const log = options.log ?? (() => {});
  const binary = ensureFerretdbBinary(log);
  const dataDir = path.resolve(options.dataDir, 'ferretdb');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const port = options.port ?? (await freePort());
  const uri = `mongodb://127.0.0.1:${port}/`;

  const child = spawn(
    binary,
    [`-listen-addr=127.0.0.1:${port}`, `-sqlite-url=file:${dataDir}/`, '-log-level=warn'],
    { stdio: ['pipe', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  // Keep our end of stdin open for as long as we live; never write to it.
  child.stdin?.on('error', () => {});

  const deadline = Date.now() + (options.readyTimeoutMs ?? 20_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    if (await answers(uri)) {
      return {
        uri,
        port,
        pid: child.pid,
        async stop() {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill('SIGTERM');
          if (!(await waitForExit(child, 5000))) {
            child.kill('SIGKILL');
            await waitForExit(child, 2000);
          }
        },
      };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new EmbeddedDbUnavailable(
    `The embedded database did not answer on 127.0.0.1:${port}` +
      (stderr ? `: ${stderr.trim().split('\n').slice(-3).join(' ')}` : '.') +
      ' Try again, or set MONGODB_URI to a MongoDB you run.',
  );
}
