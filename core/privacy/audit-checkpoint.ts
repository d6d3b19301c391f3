// The daily audit checkpoint: for each tenant, the head of its audit log signed with the
// certificate key (an anchor, audit-anchor.ts), kept as that day's checkpoint and as the
// tenant's latest anchor (audit-checkpoints.ts), and written to the log output, so that a copy
// is kept outside the database too.
//
// A checkpoint is made only of a log that extends the latest anchor: if the entry that anchor
// names is gone or changed, signing the shortened log would only hide the cut, so the job
// reports it instead and leaves the anchor that shows it.
import type { JobDefinition } from '../jobs/registry.ts';
import type { Logger } from '../logger.ts';
import { everyTenant } from '../meetings/tenants.ts';
import type { Store } from '../store/store.ts';
import type { TenantContext } from '../store/tenant-context.ts';
import { signAuditAnchor, type SignedAuditAnchor } from './audit-anchor.ts';
import { recordLatestAnchor, writeCheckpoint } from './audit-checkpoints.ts';
import type { AuditLog } from './audit-log.ts';
import type { SigningKey } from './signing-key.ts';

export const AUDIT_CHECKPOINT = 'privacy.audit-checkpoint';

export interface CheckpointDeps {
  audit: AuditLog;
  signingKey: SigningKey;
  now?: () => Date;
}

export type CheckpointOutcome =
  { made: true; day: string; signed: SignedAuditAnchor } | { made: false; problem?: string };

/** One tenant's checkpoint of today (UTC), replacing an earlier one of the same day. */
export async function checkpointTenant(
  deps: CheckpointDeps,
  store: Store,
  ctx: TenantContext,
): Promise<CheckpointOutcome> {
  const at = (deps.now ?? (() => new Date()))();
  const head = await deps.audit.head(ctx);
  // An empty log has nothing to anchor.
  if (head.seq === 0) return { made: false };
  const signed = signAuditAnchor({ tenantId: ctx.tenantId, ...head, at }, deps.signingKey);
  const day = at.toISOString().slice(0, 10);
  const record = { sourceId: day, ...head, at, document: JSON.stringify(signed) };
  const latest = await recordLatestAnchor(
    store,
    ctx,
    { kind: 'checkpoint', ...record },
    deps.signingKey.publicJwk,
  );
  if (!latest.recorded && latest.problem) return { made: false, problem: latest.problem };
  await writeCheckpoint(store, ctx, record);
  return { made: true, day, signed };
}

async function checkpointAll(deps: CheckpointDeps, store: Store, logger: Logger): Promise<void> {
  let failed = 0;
  for await (const ctx of everyTenant(store)) {
    let outcome: CheckpointOutcome;
    try {
      outcome = await checkpointTenant(deps, store, ctx);
    } catch (error) {
      // One tenant's failure does not cost the others their checkpoint.
      failed += 1;
      logger.error({ tenantId: ctx.tenantId, err: error }, 'audit checkpoint failed');
      continue;
    }
    if (outcome.made) {
      // The signed head in the log output: a copy outside the database, for
      // `quorum audit verify --anchor FILE`.
      logger.info({ tenantId: ctx.tenantId, checkpoint: outcome.signed }, 'audit checkpoint');
    } else if (outcome.problem) {
      logger.error(
        { tenantId: ctx.tenantId },
        `audit checkpoint refused: ${outcome.problem}; run quorum audit verify --tenant ${ctx.tenantId}`,
      );
    }
  }
  if (failed > 0) throw new Error(`the audit checkpoint of ${failed} tenant(s) failed`);
}

export function auditCheckpointJob(deps: CheckpointDeps): JobDefinition {
  return {
    name: AUDIT_CHECKPOINT,
    every: '1 day',
    async run(_data, { store, logger }) {
      await checkpointAll(deps, store, logger);
    },
  };
}
