// One run of the FerretDB launcher (infra/local/ferretdb): spawned on a port, waited for until
// it answers, and talked to through its standard input and output (ferretdb/control.go).
//
// The launcher exits when its standard input closes: when this process ends in any way (even
// SIGKILL), the pipe closes and FerretDB exits, so no orphan is left behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { MongoClient } from 'mongodb';
import { z } from 'zod';
import { EmbeddedDbUnavailable } from './ferretdb-binary.ts';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface FerretdbProcess {
  readonly pid: number | undefined;
  /** Resolves when the process has ended, however it ended. */
  readonly exited: Promise<Exit>;
  /** Checkpoints every database file; rejects with the launcher's reason when it could not. */
  /** Checkpoints every database, or only the one named. */
  scrub(database?: string): Promise<void>;
  /** SIGTERM, then SIGKILL after the grace period. */
  stop(): Promise<void>;
}

export interface SpawnOptions {
  binary: string;
  /** The folder of the SQLite files. */
  sqliteDir: string;
  port: number;
  readyTimeoutMs: number;
  /** How long the launcher's checkpoint may wait for readers and writers (20 s by default). */
  scrubTimeoutMs?: number;
  /** Aborting gives up waiting and kills the process. */
  signal?: AbortSignal;
}

/** How long the launcher's checkpoint may wait for the databases' readers and writers. */
const SCRUB_TIMEOUT_MS = 20_000;

/** The launcher's reply to a command; anything else on its standard output is ignored. */
const replySchema = z.object({
  id: z.number().int(),
  ok: z.boolean(),
  error: z.string().optional(),
});

export function describeExit(exit: Exit): string {
  return exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
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

function exitOf(child: ChildProcess): Promise<Exit> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Requests and replies over the launcher's standard input and output. */
function commandChannel(child: ChildProcess, exited: Promise<Exit>) {
  let nextId = 1;
  const waiting = new Map<number, { resolve(): void; reject(error: Error): void }>();
  createInterface({ input: child.stdout! }).on('line', (line) => {
    let parsed;
    try {
      parsed = replySchema.safeParse(JSON.parse(line));
    } catch {
      return;
    }
    if (!parsed.success) return;
    const request = waiting.get(parsed.data.id);
    if (!request) return;
    waiting.delete(parsed.data.id);
    if (parsed.data.ok) request.resolve();
    else
      request.reject(new Error(parsed.data.error ?? 'the embedded database refused the command'));
  });
  void exited.then((exit) => {
    for (const request of waiting.values()) {
      request.reject(
        new Error(`the embedded database ended (${describeExit(exit)}) before it answered`),
      );
    }
    waiting.clear();
  });

  return function send(
    op: string,
    timeoutMs: number,
    args: Record<string, string> = {},
  ): Promise<void> {
    const id = nextId++;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error(`the embedded database did not answer "${op}" within ${timeoutMs} ms`));
      }, timeoutMs);
      waiting.set(id, {
        resolve: () => (clearTimeout(timer), resolve()),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
      child.stdin!.write(`${JSON.stringify({ ...args, id, op })}\n`);
    });
  };
}

export async function spawnFerretdb(options: SpawnOptions): Promise<FerretdbProcess> {
  const { port } = options;
  const uri = `mongodb://127.0.0.1:${port}/`;
  const scrubTimeoutMs = options.scrubTimeoutMs ?? SCRUB_TIMEOUT_MS;
  const child = spawn(
    options.binary,
    [
      `-listen-addr=127.0.0.1:${port}`,
      `-sqlite-url=file:${options.sqliteDir}/`,
      `-scrub-timeout=${scrubTimeoutMs}ms`,
      '-log-level=warn',
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  // Keep our end of stdin open for as long as we live; a write after the child died fails here.
  child.stdin!.on('error', () => {});
  const exited = exitOf(child);
  const send = commandChannel(child, exited);

  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  options.signal?.addEventListener('abort', kill, { once: true });
  try {
    const deadline = Date.now() + options.readyTimeoutMs;
    while (Date.now() < deadline && !options.signal?.aborted) {
      if (child.exitCode !== null || child.signalCode !== null) break;
      if (await answers(uri)) {
        return {
          get pid() {
            return child.pid;
          },
          exited,
          // The launcher answers within its own timeout; ours only covers a launcher that hangs.
          scrub: (database) =>
            send('scrub', scrubTimeoutMs + 10_000, database === undefined ? {} : { database }),
          async stop() {
            if (child.exitCode !== null || child.signalCode !== null) return;
            child.kill('SIGTERM');
            if ((await within(exited, 5000)) === undefined) {
              kill();
              await within(exited, 2000);
            }
          },
        };
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    options.signal?.removeEventListener('abort', kill);
  }
  kill();
  throw new EmbeddedDbUnavailable(
    `The embedded database did not answer on 127.0.0.1:${port}` +
      (stderr ? `: ${stderr.trim().split('\n').slice(-3).join(' ')}` : '.') +
      ' Try again, or set MONGODB_URI to a MongoDB you run.',
  );
}
