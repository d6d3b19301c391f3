// Removes the proposals (the times offered in a Slack or Teams message) of every tenant once
// they expired. Readers never use an expired proposal anyway; this keeps the collections small.
// It must look at every proposal, so it is a sweep: it runs from a job and says so in its
// `comment` (see core/store/query-rule.ts), never on a request path.
import type { JobDefinition } from '../jobs/registry.ts';
import { everyTenant } from '../meetings/tenants.ts';
import { SWEEP_COMMENT } from '../store/query-rule.ts';
import { tenantDatabaseName } from '../store/tenant-context.ts';

export const EXPIRE_PROPOSALS = 'scheduling.expire-proposals';

/** Tenant collections of proposals, each document with an `expiresAt`. */
export const PROPOSAL_COLLECTIONS = ['proposals', 'slack_proposals', 'teams_proposals'];

export function expireProposalsJob(collections = PROPOSAL_COLLECTIONS): JobDefinition {
  return {
    name: EXPIRE_PROPOSALS,
    every: '10 minutes',
    async run(_data, { store, logger }) {
      const now = new Date();
      for await (const ctx of everyTenant(store)) {
        const db = store.connection.useDb(tenantDatabaseName(ctx), { useCache: true });
        for (const name of collections) {
          const result = await db
            .collection(name)
            .deleteMany(
              { expiresAt: { $lt: now } },
              { comment: `${SWEEP_COMMENT}:expired-proposals` },
            );
          if (result.deletedCount > 0) {
            logger.debug(
              { tenantId: ctx.tenantId, collection: name, removed: result.deletedCount },
              'expired proposals removed',
            );
          }
        }
      }
    },
  };
}
