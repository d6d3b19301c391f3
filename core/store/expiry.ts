// Removes documents whose `expiresAt` has passed, for the control collections that hold
// short-lived records (sessions, sign-in attempts, webhook deliveries).
//
// Why a job and not a TTL index: the embedded FerretDB 1.24 refuses `expireAfterSeconds`
// ("not implemented yet"). Readers never trust an expired document anyway; this only keeps the
// collections small. The same job runs unchanged on MongoDB.
//
// Each removal looks at every document of its collection, so it says so with the sweep comment
// (core/store/query-rule.ts); it runs only from this job, never on a request path.
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
        const result = await store.control
          .collection(name)
          .deleteMany({ expiresAt: { $lt: now } }, { comment: `${SWEEP_COMMENT}:expired:${name}` });
        if (result.deletedCount > 0)
          logger.debug(
            { collection: name, removed: result.deletedCount },
            'expired documents removed',
          );
      }
    },
  };
}
