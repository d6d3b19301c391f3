// Every job Quorum runs, registered in one place, so every worker node defines the same set.
import {
  DELIVERY_COLLECTIONS,
  OUTBOX_COLLECTIONS,
  deliverOutboxJob,
  type DeliveryConsumer,
} from '../delivery/index.ts';
import { eraseDeletedAccountsJob } from '../identity/account-erasure.ts';
import type { PersonalDataSection } from '../identity/personal-data.ts';
import type { AuditLog } from '../privacy/audit-log.ts';
import type { DeletionCertificates } from '../privacy/deletion-certificates.ts';
import { processMeetingJob, resumeMeetingsJob, type Meetings } from '../meetings/index.ts';
import { purgeExpiredMeetingsJob, purgeMeetingRecordingsJob } from '../meetings/retention/retention.ts';
import { expireProposalsJob } from '../scheduling/proposal-expiry.ts';
import { expireDocumentsJob } from '../store/expiry.ts';
import { JobRegistry, type JobDefinition } from './registry.ts';

export interface JobDeps {
  personalData: PersonalDataSection[];
  certificates: DeletionCertificates;
  audit: AuditLog;
  meetings: Meetings;
  /** The outbox consumer with the adapters' channels, from the composition root. */
  delivery?: DeliveryConsumer;
  /** Jobs adapters bring (Teams' and Zoom's transcript fetches), from the composition root. */
  adapterJobs?: ReadonlyArray<JobDefinition<never>>;
}

export function buildJobRegistry(deps: JobDeps): JobRegistry {
  return new JobRegistry()
    .add(
      expireDocumentsJob([
        'sessions',
        'sign_in_attempts',
        'webhook_deliveries',
        'jobs_locks',
        'meeting_locks',
        'zoom_oauth_states',
        'zoom_transcript_files',
        'booking_page_attempts',
        ...OUTBOX_COLLECTIONS,
        ...DELIVERY_COLLECTIONS,
      ]),
    )
    .add(expireProposalsJob())
    .add(
      eraseDeletedAccountsJob({
        sections: deps.personalData,
        certificates: deps.certificates,
        audit: deps.audit,
      }),
    )
    .add(processMeetingJob(deps.meetings.pipeline))
    .add(resumeMeetingsJob(deps.meetings.pipeline))
    .add(purgeExpiredMeetingsJob({ kit: deps.meetings.kit }))
    .add(purgeMeetingRecordingsJob({ kit: deps.meetings.kit }))
    .addAll(deps.delivery ? [deliverOutboxJob(deps.delivery)] : [])
    .addAll(deps.adapterJobs ?? []);
}
