// Every job Quorum runs, registered in one place, so every worker node defines the same set.
// Each area names its own jobs (meetingJobs, deliverOutboxJob, …); this list only composes them.
import {
  DELIVERY_COLLECTIONS,
  OUTBOX_COLLECTIONS,
  deliverOutboxJob,
  type DeliveryConsumer,
} from '../delivery/index.ts';
import {
  EMAIL_EXPIRING_COLLECTIONS,
  emailJobs,
  type EmailOutbox,
  type Reminders,
} from '../email/index.ts';
import { eraseDeletedAccountsJob } from '../identity/account-erasure.ts';
import type { PersonalDataSection } from '../identity/personal-data.ts';
import { auditCheckpointJob } from '../privacy/audit-checkpoint.ts';
import type { AuditLog } from '../privacy/audit-log.ts';
import type { DeletionCertificates } from '../privacy/deletion-certificates.ts';
import type { SigningKey } from '../privacy/signing-key.ts';
import type { Meetings } from '../meetings/index.ts';
import { MEETING_EXPIRING_COLLECTIONS, meetingJobs } from '../meetings/jobs.ts';
import { expireProposalsJob } from '../scheduling/proposal-expiry.ts';
import { expireDocumentsJob } from '../store/expiry.ts';
import { JobRegistry, type JobDefinition } from './registry.ts';

export interface JobDeps {
  personalData: PersonalDataSection[];
  certificates: DeletionCertificates;
  audit: AuditLog;
  /** The certificate key, which also signs the daily audit checkpoints. */
  signingKey: SigningKey;
  meetings: Meetings;
  /** The outbox consumer with the adapters' channels, from the composition root. */
  delivery?: DeliveryConsumer;
  /** The email outbox, when email is on: its sender runs as jobs. */
  email?: { outbox: EmailOutbox; reminders: Reminders };
  /** Jobs adapters bring (Teams' and Zoom's transcript fetches), from the composition root. */
  adapterJobs?: ReadonlyArray<JobDefinition<never>>;
}

/** Collections whose documents carry their own expiry, swept by one job. */
const EXPIRING_COLLECTIONS = [
  'sessions',
  'sign_in_attempts',
  'webhook_deliveries',
  'jobs_locks',
  'zoom_oauth_states',
  'zoom_transcript_files',
  'booking_page_attempts',
  ...MEETING_EXPIRING_COLLECTIONS,
  ...OUTBOX_COLLECTIONS,
  ...DELIVERY_COLLECTIONS,
  ...EMAIL_EXPIRING_COLLECTIONS,
];

export function buildJobRegistry(deps: JobDeps): JobRegistry {
  const { certificates, audit, signingKey } = deps;
  return new JobRegistry()
    .add(expireDocumentsJob(EXPIRING_COLLECTIONS))
    .add(expireProposalsJob())
    .add(eraseDeletedAccountsJob({ sections: deps.personalData, certificates, audit }))
    .add(auditCheckpointJob({ audit, signingKey }))
    .addAll(meetingJobs(deps.meetings))
    .addAll(deps.delivery ? [deliverOutboxJob(deps.delivery)] : [])
    .addAll(deps.email?.outbox.enabled ? emailJobs(deps.email.outbox, deps.email.reminders) : [])
    .addAll(deps.adapterJobs ?? []);
}
