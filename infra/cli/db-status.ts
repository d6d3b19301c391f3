// `quorum db status`: which database, whether it answers, and what it holds.
import type { Config } from '../server/config.ts';
import { CONTROL_DB, openStore } from '../../core/store/store.ts';
import { openDatabase } from '../local/database.ts';

export async function dbStatusCommand(
  config: Config,
  options: { json?: boolean },
): Promise<number> {
  let database;
  try {
    database = await openDatabase({ mongodbUri: config.mongodbUri, dataDir: config.dataDir });
  } catch (error) {
    process.stderr.write(`Database unavailable: ${(error as Error).message}\n`);
    return 1;
  }
  const report: Record<string, unknown> = {
    backend: database.kind === 'embedded' ? 'embedded FerretDB (SQLite)' : 'MongoDB (MONGODB_URI)',
  };
  if (database.kind === 'embedded') report.dataDir = config.dataDir;
  let code = 0;
  try {
    const store = await openStore({ uri: database.uri, serverSelectionTimeoutMs: 3000 });
    try {
      const begun = performance.now();
      await store.ping(3000);
      report.reachable = true;
      report.pingMs = Math.round((performance.now() - begun) * 10) / 10;
      const admin = store.connection.db!.admin();
      const info = await admin.command({ buildInfo: 1 });
      report.serverVersion = info.version;
      const { databases } = (await admin.command({ listDatabases: 1, nameOnly: true })) as {
        databases: Array<{ name: string }>;
      };
      report.tenantDatabases = databases.filter((d) => d.name.startsWith('quorum_t_')).length;
      const collections = await store.control.db!.listCollections().toArray();
      report.controlCollections = Object.fromEntries(
        await Promise.all(
          collections.map(async (c) => [
            c.name,
            await store.control.db!.collection(c.name).estimatedDocumentCount(),
          ]),
        ),
      );
      report.controlDatabase = CONTROL_DB;
    } finally {
      await store.close();
    }
  } catch (error) {
    report.reachable = false;
    report.error = (error as Error).message;
    code = 1;
  } finally {
    await database.stop();
  }
  if (options.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else {
    for (const [key, value] of Object.entries(report)) {
      process.stdout.write(
        `${key.padEnd(20)} ${typeof value === 'object' ? JSON.stringify(value) : String(value)}\n`,
      );
    }
  }
  return code;
}
