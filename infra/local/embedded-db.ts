// Starts FerretDB (SQLite backend) as a child process on a free loopback port.
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { coalesce } from './coalesce.ts';
import { ensureFerretdbBinary } from './ferretdb-binary.ts';
import { spawnFerretdb } from './ferretdb-process.ts';

export interface EmbeddedDb {
  readonly uri: string;
  readonly port: number;
  readonly pid: number | undefined;
  /**
   * Makes deleted data unrecoverable from the SQLite files: checkpoints every database's -wal
   * file into the database and truncates it (FerretDB runs with secure_delete, so deleted rows
   * are zeros there). Resolves only once every file is done; concurrent calls share runs.
   */
  scrub(): Promise<void>;
  /** Stops FerretDB: SIGTERM, then SIGKILL after the grace period. */
  stop(): Promise<void>;
}

export interface EmbeddedDbOptions {
  dataDir: string;
  /** A fixed port (to restart on the same address); a free one when omitted. */
  port?: number;
  log?: (line: string) => void;
  readyTimeoutMs?: number;
  /** How long a scrub may wait for the databases' readers and writers (20 s by default). */
  scrubTimeoutMs?: number;
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

export async function startEmbeddedDb(options: EmbeddedDbOptions): Promise<EmbeddedDb> {
  const log = options.log ?? (() => {});
  const binary = ensureFerretdbBinary(log);
  const sqliteDir = path.resolve(options.dataDir, 'ferretdb');
  mkdirSync(sqliteDir, { recursive: true, mode: 0o700 });
  const port = options.port ?? (await freePort());
  const proc = await spawnFerretdb({
    binary,
    sqliteDir,
    port,
    readyTimeoutMs: options.readyTimeoutMs ?? 20_000,
    ...(options.scrubTimeoutMs ? { scrubTimeoutMs: options.scrubTimeoutMs } : {}),
  });
  return {
    uri: `mongodb://127.0.0.1:${port}/`,
    port,
    pid: proc.pid,
    scrub: coalesce(() => proc.scrub()),
    stop: () => proc.stop(),
  };
}
