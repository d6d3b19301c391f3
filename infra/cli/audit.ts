// `quorum audit verify --tenant T`: walks a tenant's hash-chained audit log and names the first
// entry that was edited, removed or moved.
import type { Config } from '../server/config.ts';
import { createAuditLog } from '../../core/privacy/audit-log.ts';
import { openStore, type Store } from '../../core/store/store.ts';
import {
  isValidTenantId,
  tenantDatabaseName,
  verifiedTenantContext,
  type TenantContext,
} from '../../core/store/tenant-context.ts';
import { openDatabase } from '../local/database.ts';

/**
 * Opens the database for one tenant named on the command line and runs `work`. Returns the exit
 * code: 2 for an invalid tenant id, 1 when the database or the tenant's database is missing.
 */
export async function withTenantStore(
  config: Config,
  tenantId: string,
  work: (store: Store, ctx: TenantContext) => Promise<number>,
): Promise<number> {
  if (!isValidTenantId(tenantId)) {
    process.stderr.write(
      `invalid tenant id ${JSON.stringify(tenantId)}: expected 6-32 lowercase letters and digits\n`,
    );
    return 2;
  }
  // An operator at the console is the verified caller here.
  const ctx = verifiedTenantContext(tenantId, 'system');
  let database;
  try {
    database = await openDatabase({ mongodbUri: config.mongodbUri, dataDir: config.dataDir });
  } catch (error) {
    process.stderr.write(`Database unavailable: ${(error as Error).message}\n`);
    return 1;
  }
  try {
    const store = await openStore({ uri: database.uri, serverSelectionTimeoutMs: 3000 });
    try {
      const { databases } = (await store.connection
        .db!.admin()
        .command({ listDatabases: 1, nameOnly: true })) as { databases: Array<{ name: string }> };
      if (!databases.some((d) => d.name === tenantDatabaseName(ctx))) {
        process.stderr.write(
          `tenant ${tenantId} has no database (${tenantDatabaseName(ctx)}); check the tenant id\n`,
        );
        return 1;
      }
      return await work(store, ctx);
    } finally {
      await store.close();
    }
  } catch (error) {
    process.stderr.write(`quorum: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await database.stop();
  }
}

export async function auditVerifyCommand(
  config: Config,
  options: { tenant: string; json?: boolean },
): Promise<number> {
  return withTenantStore(config, options.tenant, async (store, ctx) => {
    const report = await createAuditLog({ store }).verifyAuditChain(ctx);
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ tenant: ctx.tenantId, ...report })}\n`);
    } else if (report.intact) {
      process.stdout.write(`chain intact: ${report.entries} entries\n`);
      if (report.head) {
        // Kept elsewhere, the head lets a later check notice entries cut off the end.
        process.stdout.write(`head: entry ${report.head.seq}, sha256 ${report.head.hash}\n`);
      }
    } else {
      process.stdout.write(
        `chain broken at entry ${report.firstBad.seq} (${report.firstBad.problem}): ` +
          `${report.firstBad.message}\n` +
          `entries before it verified: ${report.checked}\n`,
      );
    }
    return report.intact ? 0 : 1;
  });
}
