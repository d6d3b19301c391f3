// `quorum audit verify --tenant T [--key JWK] [--anchor FILE]...`: walks a tenant's hash-chained
// audit log and names the first entry that was edited, removed or moved, and checks it against
// every anchor kept (checkpoints, certificates) and those given, so entries cut off the end
// after an anchor are named even when the head record was rewritten.
import { readFile } from 'node:fs/promises';
import type { Config } from '../server/config.ts';
import { describeAnchor } from '../../core/privacy/audit-anchor.ts';
import { createAuditLog, type AuditChainReport } from '../../core/privacy/audit-log.ts';
import type { VerificationKeys } from '../../core/privacy/deletion-certificate.ts';
import { openStore, type Store } from '../../core/store/store.ts';
import {
  isValidTenantId,
  tenantDatabaseName,
  verifiedTenantContext,
  type TenantContext,
} from '../../core/store/tenant-context.ts';
import { openDatabase } from '../local/database.ts';
import { verificationKeys } from './certificate.ts';

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

export interface AuditVerifyOptions {
  tenant: string;
  json?: boolean;
  /** The public key(s) to check anchors with (JWK or JWK Set); default: this deployment's. */
  key?: string;
  /** Anchors kept elsewhere: certificates, checkpoints copied from the log output. */
  anchor?: string[];
}

/** What the command checks anchors with: the key, or why there is none. */
async function anchorKeys(
  config: Config,
  options: AuditVerifyOptions,
): Promise<{ keys?: VerificationKeys; unchecked?: string }> {
  try {
    return { keys: await verificationKeys(config, options.key) };
  } catch (error) {
    // A key asked for and unreadable is an error; no deployment key only leaves them unchecked.
    if (options.key) throw error;
    return { unchecked: (error as Error).message };
  }
}

async function givenAnchors(files: readonly string[]) {
  return Promise.all(
    files.map(async (name) => {
      try {
        return { name, document: await readFile(name, 'utf8') };
      } catch (error) {
        throw new Error(`cannot read the anchor ${name}: ${(error as Error).message}`, {
          cause: error,
        });
      }
    }),
  );
}

function printReport(report: AuditChainReport, unchecked: string | undefined): void {
  if (!report.intact) {
    process.stdout.write(
      `chain broken at entry ${report.firstBad.seq} (${report.firstBad.problem}): ` +
        `${report.firstBad.message}\n` +
        `entries before it verified: ${report.checked}\n`,
    );
    return;
  }
  process.stdout.write(`chain intact: ${report.entries} entries\n`);
  if (report.head) {
    // Kept elsewhere, the head lets a later check notice entries cut off the end.
    process.stdout.write(`head: entry ${report.head.seq}, sha256 ${report.head.hash}\n`);
  }
  const { anchor } = report;
  if (!anchor) {
    process.stdout.write(
      'no anchor yet: entries cut off the end are noticed only through the head record until ' +
        'the first daily checkpoint or deletion certificate signs the head\n',
    );
    return;
  }
  process.stdout.write(
    `anchored: entry ${anchor.seq}, sha256 ${anchor.hash}, by ${describeAnchor(anchor)}; ` +
      `${report.anchors} anchor(s) checked\n`,
  );
  if (unchecked) {
    process.stdout.write(`anchor signatures not checked: ${unchecked}\n`);
  }
}

export async function auditVerifyCommand(
  config: Config,
  options: AuditVerifyOptions,
): Promise<number> {
  let keys: Awaited<ReturnType<typeof anchorKeys>>;
  let given: Array<{ name: string; document: string }>;
  try {
    keys = await anchorKeys(config, options);
    given = await givenAnchors(options.anchor ?? []);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  return withTenantStore(config, options.tenant, async (store, ctx) => {
    const audit = createAuditLog({ store, ...(keys.keys ? { verificationKeys: keys.keys } : {}) });
    // The operator's check is the full one: every anchor kept, and those brought.
    const report = await audit.verifyAuditChain(ctx, { all: true, given });
    if (options.json) {
      const note = keys.unchecked ? { signaturesUnchecked: keys.unchecked } : {};
      process.stdout.write(`${JSON.stringify({ tenant: ctx.tenantId, ...report, ...note })}\n`);
    } else {
      printReport(report, keys.unchecked);
    }
    return report.intact ? 0 : 1;
  });
}
