// Meetings: records, encrypted transcripts and summaries, the pipeline that makes them, the
// outbox adapters read, search, agendas, and the meetings part of personal-data requests.
import { mkdir } from 'node:fs/promises';
import type { PersonalDataSection } from '../identity/personal-data.ts';
import { createMeetingsKit, type MeetingsDeps, type MeetingsKit } from './kit.ts';
import { createLiveMeetings, type LiveMeetings } from './intake/live.ts';
import { createMeetingsService, type MeetingsService } from './meetings-service.ts';
import { outboxModels, type Outbox } from '../delivery/outbox.ts';
import { meetingsSection } from './personal-data.ts';
import {
  createMeetingPipeline,
  type MeetingPipeline,
  type PipelineOptions,
} from './pipeline/pipeline.ts';

export { MeetingError, type MeetingErrorCode } from './errors.ts';
export { type LiveCapture, type LiveMeetings, type LiveOptions } from './intake/live.ts';
export { LIVE_FORMAT, LiveFeeds, type LiveEvent, type LiveSegment } from './intake/live-feeds.ts';
export { PROCESS_MEETING, RESUME_MEETINGS } from './job-names.ts';
export type { JobQueue, MeetingsDeps, MeetingsKit } from './kit.ts';
export {
  actorName,
  type CaptionsInput,
  type CreateMeetingInput,
  type MeetingActor,
  type MeetingListItem,
  type MeetingView,
  type MeetingsService,
  type SearchHit,
} from './meetings-service.ts';
export { MEETING_STATUSES, type MeetingDoc, type MeetingStatus } from './models.ts';
export {
  OUTBOX_COLLECTIONS,
  type ClaimOptions,
  type Outbox,
  type OutboxEvent,
} from '../delivery/outbox.ts';
export { MEETING_EXPIRING_COLLECTIONS, meetingJobs } from './jobs.ts';
export {
  processMeetingJob,
  resumeMeetingsJob,
  type MeetingPipeline,
  type PipelineCheckpoint,
  type PipelineOptions,
} from './pipeline/pipeline.ts';
export { RecordingTooLargeError, describeBytes } from './recording-files.ts';
export {
  DEFAULT_MEETING_SETTINGS,
  MAX_RECORDING_MB,
  changeMeetingSettings,
  getMeetingSettings,
  meetingSettingsChange,
  type MeetingSettings,
  type MeetingSettingsChange,
} from './settings.ts';

export interface Meetings {
  kit: MeetingsKit;
  service: MeetingsService;
  pipeline: MeetingPipeline;
  outbox: Outbox;
  personalData: PersonalDataSection;
  /** Live audio captures and their watchers, in this process. */
  live: LiveMeetings;
}

export async function createMeetings(
  deps: MeetingsDeps,
  options: PipelineOptions = {},
): Promise<Meetings> {
  await deps.store.ensureControlIndexes(outboxModels);
  const kit = createMeetingsKit(deps);
  await mkdir(kit.files.workRoot, { recursive: true, mode: 0o700 });
  const service = createMeetingsService(kit);
  return {
    kit,
    service,
    pipeline: createMeetingPipeline(kit, options),
    outbox: kit.outbox,
    personalData: meetingsSection(kit, service),
    live: createLiveMeetings(kit, service, { chunkSeconds: deps.liveChunkSeconds }),
  };
}
