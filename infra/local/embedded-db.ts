// Starts FerretDB (SQLite backend) as a child process on a loopback port, and keeps it running:
// if it ends without being asked to, it is started again on the same port, so the MongoDB
// driver (which reconnects by itself) finds it where it was.
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { coalesce } from './coalesce.ts';
import { ensureFerretdbBinary } from './ferretdb-binary.ts';
import { describeExit, spawnFerretdb, type FerretdbProcess } from './ferretdb-process.ts';

export interface EmbeddedDb {
  readonly uri: string;
  readonly port: number;
  /** The pid of the FerretDB process running now (a new one after each restart). */
  readonly pid: number | undefined;
  /**
   * Makes deleted data unrecoverable from the SQLite files: checkpoints every database's -wal
   * file into the database and truncates it (FerretDB runs with secure_delete, so deleted rows
   * are zeros there). Resolves only once every file is done; concurrent calls share runs.
   * With a database name, only that database's files (a tenant's content is in its own).
   */
  scrub(database?: string): Promise<void>;
  /** Stops FerretDB (SIGTERM, then SIGKILL after the grace period); it is not restarted. */
  stop(): Promise<void>;
}

export interface RestartPolicy {
  /** Wait before the first restart; doubled after each one, up to maxDelayMs. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** A process that ran this long before it ended starts the waits from firstDelayMs again. */
  resetAfterMs: number;
}

export interface EmbeddedDbOptions {
  dataDir: string;
  /** A fixed port (to restart on the same address); a free one when omitted. */
  port?: number;
  log?: (line: string) => void;
  /** For an unexpected end of FerretDB and failed restarts; `log` when omitted. */
  warn?: (line: string) => void;
  readyTimeoutMs?: number;
  /** How long a scrub may wait for the databases' readers and writers (20 s by default). */
  scrubTimeoutMs?: number;
  /** Called with the new pid after FerretDB was started again. */
  onRestart?: (pid: number | undefined) => void;
  restart?: Partial<RestartPolicy>;
}

const DEFAULT_RESTART: RestartPolicy = {
  firstDelayMs: 200,
  maxDelayMs: 5000,
  resetAfterMs: 30_000,
};

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
  const warn = options.warn ?? log;
  const policy = { ...DEFAULT_RESTART, ...options.restart };
  const binary = ensureFerretdbBinary(log);
  const sqliteDir = path.resolve(options.dataDir, 'ferretdb');
  mkdirSync(sqliteDir, { recursive: true, mode: 0o700 });
  const port = options.port ?? (await freePort());
  const spawnOptions = {
    binary,
    sqliteDir,
    port,
    readyTimeoutMs: options.readyTimeoutMs ?? 20_000,
    ...(options.scrubTimeoutMs ? { scrubTimeoutMs: options.scrubTimeoutMs } : {}),
  };

  let current: FerretdbProcess | undefined = await spawnFerretdb(spawnOptions);
  let startedAt = Date.now();
  let delay = policy.firstDelayMs;
  let timer: NodeJS.Timeout | undefined;
  let restarting: Promise<void> | undefined;
  let stopping = false;
  const abort = new AbortController();

  function supervise(proc: FerretdbProcess): void {
    void proc.exited.then((exit) => {
      if (stopping || current !== proc) return;
      current = undefined;
      if (Date.now() - startedAt >= policy.resetAfterMs) delay = policy.firstDelayMs;
      warn(
        `The embedded database (FerretDB pid ${proc.pid}) ended unexpectedly (${describeExit(exit)}); ` +
          `starting it again on 127.0.0.1:${port} in ${delay} ms.`,
      );
      later();
    });
  }

  function later(): void {
    const wait = delay;
    delay = Math.min(delay * 2, policy.maxDelayMs);
    timer = setTimeout(() => {
      timer = undefined;
      restarting = restart().finally(() => (restarting = undefined));
    }, wait);
  }

  async function restart(): Promise<void> {
    if (stopping) return;
    let proc: FerretdbProcess;
    try {
      proc = await spawnFerretdb({ ...spawnOptions, signal: abort.signal });
      if (stopping) return void (await proc.stop());
      current = proc;
      startedAt = Date.now();
      supervise(proc);
      log(`The embedded database runs again (FerretDB pid ${proc.pid}).`);
    } catch (error) {
      if (stopping) return;
      warn(
        `The embedded database could not be started again (${(error as Error).message}); ` +
          `trying again in ${delay} ms.`,
      );
      later();
      return;
    }
    try {
      options.onRestart?.(proc.pid);
    } catch (error) {
      // FerretDB runs; only the record of it is stale.
      warn(`The restarted embedded database could not be recorded: ${(error as Error).message}`);
    }
  }

  supervise(current);
  // Callers of one database share runs, and so do callers of every database.
  const scrubs = new Map<string, () => Promise<void>>();
  const scrub = (database?: string) => {
    const key = database ?? '';
    let run = scrubs.get(key);
    if (!run) {
      run = coalesce(async () => {
        if (!current) {
          throw new Error('the embedded database is being restarted; nothing was scrubbed');
        }
        await current.scrub(database);
      });
      scrubs.set(key, run);
    }
    return run();
  };

  return {
    uri: `mongodb://127.0.0.1:${port}/`,
    port,
    get pid() {
      return current?.pid;
    },
    scrub,
    async stop() {
      stopping = true;
      clearTimeout(timer);
      abort.abort();
      await restarting;
      await current?.stop();
    },
  };
}
