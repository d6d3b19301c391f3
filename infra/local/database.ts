// Chooses the database: MONGODB_URI when set, else the embedded FerretDB under the data dir.
//
// While the server runs the embedded database, it records the port in <dataDir>/ferretdb.json
// so that operator commands (`quorum db status`) talk to the same instance instead of opening
// the SQLite files a second time.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startEmbeddedDb } from './embedded-db.ts';

export interface DatabaseHandle {
  uri: string;
  kind: 'mongodb' | 'embedded';
  /** Stops the embedded database; nothing for an external MongoDB. */
  stop(): Promise<void>;
}

interface RunningRecord {
  port: number;
  pid: number;
}

function recordPath(dataDir: string): string {
  return path.resolve(dataDir, 'ferretdb.json');
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

/** The embedded database a running server started, if any. */
export function runningEmbeddedDb(dataDir: string): RunningRecord | undefined {
  const file = recordPath(dataDir);
  if (!existsSync(file)) return undefined;
  try {
    const record = JSON.parse(readFileSync(file, 'utf8')) as RunningRecord;
    return isAlive(record.pid) ? record : undefined;
  } catch {
    return undefined;
  }
}

export async function openDatabase(options: {
  mongodbUri: string | undefined;
  dataDir: string;
  log?: (line: string) => void;
  /** Write the running-instance record (the server does; short-lived commands do not). */
  advertise?: boolean;
}): Promise<DatabaseHandle> {
  if (options.mongodbUri) {
    return { uri: options.mongodbUri, kind: 'mongodb', stop: async () => {} };
  }
  const running = runningEmbeddedDb(options.dataDir);
  if (running && !options.advertise) {
    return { uri: `mongodb://127.0.0.1:${running.port}/`, kind: 'embedded', stop: async () => {} };
  }
  if (running && options.advertise) {
    throw new Error(
      `Another Quorum already runs the embedded database for ${path.resolve(options.dataDir)} ` +
        `(FerretDB pid ${running.pid}). Stop it first, or set QUORUM_DATA_DIR to another folder.`,
    );
  }
  const db = await startEmbeddedDb({
    dataDir: options.dataDir,
    ...(options.log ? { log: options.log } : {}),
  });
  if (options.advertise && db.pid) {
    writeFileSync(recordPath(options.dataDir), JSON.stringify({ port: db.port, pid: db.pid }), {
      mode: 0o600,
    });
  }
  return {
    uri: db.uri,
    kind: 'embedded',
    async stop() {
      await db.stop();
      if (options.advertise) rmSync(recordPath(options.dataDir), { force: true });
    },
  };
}
