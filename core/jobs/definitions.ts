// Every job Quorum runs, registered in one place, so every worker node defines the same set.
import { eraseDeletedAccountsJob } from '../identity/account-erasure.ts';
import type { PersonalDataSection } from '../identity/personal-data.ts';
import type { AuditLog } from '../privacy/audit-log.ts';
import type { DeletionCertificates } from '../privacy/deletion-certificates.ts';
import { expireDocumentsJob } from '../store/expiry.ts';
import { JobRegistry } from './registry.ts';

export interface JobDeps {
  personalData: PersonalDataSection[];
  certificates: DeletionCertificates;
  audit: AuditLog;
}

export function buildJobRegistry(deps: JobDeps): JobRegistry {
  return new JobRegistry()
    .add(expireDocumentsJob(['sessions', 'sign_in_attempts', 'webhook_deliveries', 'jobs_locks']))
    .add(
      eraseDeletedAccountsJob({
        sections: deps.personalData,
        certificates: deps.certificates,
        audit: deps.audit,
      }),
    );
}
