// The retention job for deleted accounts: 30 days after deletion, erase the account and
// everything registered about the person, and prove it with a deletion certificate.
import type { JobDefinition } from '../jobs/registry.ts';
import type { AuditLog } from '../privacy/audit-log.ts';
import type { DeletionCertificates } from '../privacy/deletion-certificates.ts';
import { Leases } from '../store/lease.ts';
import { verifiedTenantContext } from '../store/tenant-context.ts';
import type { UserDoc } from './models.ts';
import { accountsDueForErasure, eraseAccount, type PersonalDataSection } from './personal-data.ts';

export const ERASE_DELETED_ACCOUNTS = 'identity.erase-deleted-accounts';

export function eraseDeletedAccountsJob(deps: {
  sections: PersonalDataSection[];
  certificates: DeletionCertificates;
  audit: AuditLog;
  now?: () => Date;
  batchSize?: number;
}): JobDefinition {
  return {
    name: ERASE_DELETED_ACCOUNTS,
    every: '1 day',
    runAtStart: true,
    async run(_data, { store, logger }) {
      const now = deps.now ?? (() => new Date());
      const db = store.control.db;
      if (!db) throw new Error('database connection is not open');
      // One run at a time per account: two runs erasing one account at once (the start-up run
      // and a manual one, or two nodes) would each count only what the other left, and the
      // certificate would say less was deleted than was. A run finding the lease held leaves
      // that account to its holder.
      const leases = new Leases(db.collection('account_locks'));
      const leftToOthers = new Set<string>();
      // Batches until none are due: a crash midway resumes with the accounts still present.
      for (;;) {
        const due = (await accountsDueForErasure(store, now(), deps.batchSize ?? 50)).filter(
          (user) => !leftToOthers.has(user._id),
        );
        if (due.length === 0) return;
        for (const user of due) {
          const erased = await leases.with(`erase:${user._id}`, () => erase(user));
          if (erased === undefined) leftToOthers.add(user._id);
        }
      }

      async function erase(user: UserDoc): Promise<true> {
        const ctx = verifiedTenantContext(user.tenantId, 'system');
        let certificateId = '';
        await eraseAccount(deps.sections, user, async (counts) => {
          // A run that died after proving but before erasing the account reuses its proof.
          const existing = await deps.certificates.issuedFor(ctx, 'account', user._id);
          const target = `user:${user._id}`;
          // A new certificate writes the audit entry itself, so that it covers it; one found
          // here was audited with it unless it was issued before certificates did that.
          certificateId =
            existing?.certificateId ??
            (
              await deps.certificates.issueDeletionCertificate(ctx, {
                subject: { kind: 'account', id: user._id },
                deleted: counts,
                kept: [
                  {
                    what: 'audit log entries naming the account id',
                    why: 'the audit log is append-only evidence of what happened',
                  },
                ],
                at: now(),
                audit: { actor: 'system', target },
              })
            ).certificate.id;
          if (existing && !existing.audited) {
            await deps.audit.append(ctx, {
              action: 'data.deleted',
              actor: 'system',
              target,
              details: { certificateId, kind: 'account' },
            });
          }
        });
        logger.info({ tenantId: user.tenantId, certificateId }, 'erased deleted account');
        return true;
      }
    },
  };
}
