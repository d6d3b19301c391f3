// Removes documents whose `expiresAt` has passed, for the control collections that hold
// short-lived records (sessions, sign-in attempts, webhook deliveries).
//
// Why a job and not a TTL index: the embedded FerretDB 1.24 refuses `expireAfterSeconds`
// ("not implemented yet"). Readers never trust an expired document anyway; this only keeps the
// collections small. The same job runs unchanged on MongoDB.
import type { JobDefinition } from '../jobs/registry.ts';
import { SWEEP_COMMENT } from './query-rule.ts';

export const EXPIRE_DOCUMENTS = 'store.expire-documents';

export function expireDocumentsJob(collections: string[]): JobDefinition {
  return {
    name: EXPIRE_DOCUMENTS,
    every: '10 minutes',
    async run(_data, { store, logger }) {
      const now = new Date();
      for (const name of collections) {
        // A sweep: it reads the whole collection on the embedded database, from this job only.
        const result = await store.control
          .collection(name)
          .deleteMany(
            { expiresAt: { $lt: now } },
            { comment: `${SWEEP_COMMENT}:expire-documents` },
          );
        if (result.deletedCount > 0)
          logger.debug(
            { collection: name, removed: result.deletedCount },
            'expired documents removed',
          );
      }
    },
  };
}
