// Chooses the database: MONGODB_URI when set, else the embedded FerretDB under the data dir.
//
// While the server runs the embedded database, it records the port in <dataDir>/ferretdb.json
// so that operator commands (`quorum db status`) talk to the same instance instead of opening
// the SQLite files a second time.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { startEmbeddedDb } from './embedded-db.ts';

export interface DatabaseHandle {
  uri: string;
  kind: 'mongodb' | 'embedded';
  /**
   * Makes deleted data unrecoverable from the database's files before a deletion certificate
   * says it is gone (core/privacy/deletion-certificates.ts). For the embedded database this is
   * a checkpoint of every SQLite file, or of the named database's (see EmbeddedDb.scrub). For an external MongoDB it does
   * nothing: its storage engine, journal, replicas and backups are out of Quorum's hands, and
   * the operator's storage settings decide how soon deleted bytes are overwritten.
   */
  scrub(database?: string): Promise<void>;
  /** Stops the embedded database; nothing for an external MongoDB. */
  stop(): Promise<void>;
}

/** The record of a running embedded database: its port, its pid and the Quorum that owns it. */
const runningRecord = z.object({
  port: z.number().int().min(1).max(65535),
  pid: z.number().int().positive(),
  owner: z.number().int().positive().optional(),
});
type RunningRecord = z.infer<typeof runningRecord>;

function recordPath(dataDir: string): string {
  return path.resolve(dataDir, 'ferretdb.json');
}

function writeRecord(dataDir: string, record: RunningRecord): void {
  writeFileSync(recordPath(dataDir), JSON.stringify(record), { mode: 0o600 });
}

/** Whether a process with this pid exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The embedded database a running server started, if any. While its owner restarts a FerretDB
 * that ended, the record's pid is gone for a moment but the owner is alive: it still counts,
 * so no second FerretDB is started on the same files.
 */
export function runningEmbeddedDb(dataDir: string): RunningRecord | undefined {
  const file = recordPath(dataDir);
  if (!existsSync(file)) return undefined;
  try {
    const record = runningRecord.parse(JSON.parse(readFileSync(file, 'utf8')));
    return isAlive(record.pid) || (record.owner !== undefined && isAlive(record.owner))
      ? record
      : undefined;
  } catch {
    return undefined;
  }
}

export async function openDatabase(options: {
  mongodbUri: string | undefined;
  dataDir: string;
  log?: (line: string) => void;
  /** For the embedded database ending unexpectedly; `log` when omitted. */
  warn?: (line: string) => void;
  /** Write the running-instance record (the server does; short-lived commands do not). */
  advertise?: boolean;
}): Promise<DatabaseHandle> {
  if (options.mongodbUri) {
    return {
      uri: options.mongodbUri,
      kind: 'mongodb',
      scrub: async () => {},
      stop: async () => {},
    };
  }
  const running = runningEmbeddedDb(options.dataDir);
  if (running && !options.advertise) {
    return {
      uri: `mongodb://127.0.0.1:${running.port}/`,
      kind: 'embedded',
      async scrub() {
        // Only the process that started FerretDB can ask it to checkpoint.
        throw new Error(
          `The embedded database belongs to the Quorum server (pid ${running.owner ?? 'unknown'}); ` +
            'only it can scrub deleted data, so run deletions there.',
        );
      },
      stop: async () => {},
    };
  }
  if (running && options.advertise) {
    throw new Error(
      `Another Quorum already runs the embedded database for ${path.resolve(options.dataDir)} ` +
        `(FerretDB pid ${running.pid}). Stop it first, or set QUORUM_DATA_DIR to another folder.`,
    );
  }
  const advertise = (pid: number | undefined) => {
    if (options.advertise && pid)
      writeRecord(options.dataDir, { port: db.port, pid, owner: process.pid });
  };
  const db = await startEmbeddedDb({
    dataDir: options.dataDir,
    ...(options.log ? { log: options.log } : {}),
    ...(options.warn ? { warn: options.warn } : {}),
    // The record follows FerretDB's pid across restarts.
    onRestart: advertise,
  });
  advertise(db.pid);
  return {
    uri: db.uri,
    kind: 'embedded',
    scrub: (database) => db.scrub(database),
    async stop() {
      await db.stop();
      if (options.advertise) rmSync(recordPath(options.dataDir), { force: true });
    },
  };
}
