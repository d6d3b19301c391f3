// The jobs of the meetings area, for the registry (core/jobs/definitions.ts): the pipeline and
// its resume sweep, and retention (the content purge, the recordings sweep and the certificates
// of deleted recordings and captions).
import type { JobDefinition } from '../jobs/registry.ts';
import type { MeetingPipeline } from './pipeline/pipeline.ts';
import { processMeetingJob, resumeMeetingsJob } from './pipeline/jobs.ts';
import type { MeetingsKit } from './kit.ts';
import { purgeExpiredMeetingsJob, purgeMeetingRecordingsJob } from './retention/retention.ts';
import { certifyDeletedSourcesJob } from './retention/source-certificates.ts';

/** Collections of the meetings area whose documents carry their own expiry (`expiresAt`). */
export const MEETING_EXPIRING_COLLECTIONS = ['meeting_locks'] as const;

export function meetingJobs(meetings: {
  kit: MeetingsKit;
  pipeline: MeetingPipeline;
}): ReadonlyArray<JobDefinition<never>> {
  return [
    processMeetingJob(meetings.pipeline),
    resumeMeetingsJob(meetings.pipeline),
    purgeExpiredMeetingsJob({ kit: meetings.kit }),
    purgeMeetingRecordingsJob({ kit: meetings.kit }),
    certifyDeletedSourcesJob(meetings.kit),
  ];
}
