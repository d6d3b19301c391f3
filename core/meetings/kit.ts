// What every part of the meetings feature is built from: the store, the privacy services, the
// engines, the job queue, and the folders recordings are kept in.
import type { Model } from 'mongoose';
import type { JobRunner } from '../jobs/runner.ts';
import type { Summarizer, SummarizerEngine } from '../ai/index.ts';
import type { AuditLog } from '../privacy/audit-log.ts';
import type { DeletionCertificates } from '../privacy/deletion-certificates.ts';
import type { Envelope } from '../privacy/envelope.ts';
import { sealedTitles, type SealedTitles } from '../privacy/sealed-titles.ts';
import type { Transcriber, TranscriberEngine } from '../speech/index.ts';
import type { Store } from '../store/store.ts';
import type { TenantContext } from '../store/tenant-context.ts';
import { Lists, MeetingList } from './lists.ts';
import {
  Meeting,
  MeetingActionItems,
  MeetingChunk,
  MeetingClaim,
  MeetingPurge,
  MeetingSource,
  MeetingSummary,
  type ClaimDoc,
  type MeetingDoc,
  type PurgeRecord,
  type SourceDoc,
  type StoredActionItems,
  type StoredChunk,
  type StoredSummary,
} from './models.ts';
import { createOutbox, type Outbox } from '../delivery/outbox.ts';
import { RecordingFiles } from './recording-files.ts';
import { createSearchIndex, type SearchIndex } from './search/search-index.ts';
import {
  MEETING_TITLES,
  sealedMeetingContent,
  type SealedMeetingContent,
} from './sealed-content.ts';
import { DEFAULT_MEETING_SETTINGS, getMeetingSettings, type MeetingSettings } from './settings.ts';

/** Enqueues background work; an un-started job runner does this on web-only nodes too. */
export type JobQueue = Pick<JobRunner, 'now' | 'schedule'>;

export interface MeetingsDeps {
  store: Store;
  envelope: Envelope;
  certificates: DeletionCertificates;
  audit: AuditLog;
  /** The embedded summarizer (extractive): used when a tenant's choice is not available. */
  summarizer: Summarizer;
  /** Other summarizers this deployment has (azure-openai when configured). */
  summarizers?: readonly Summarizer[];
  /** The engines this deployment has; the tenant's setting picks one for recordings. */
  transcribers: readonly Transcriber[];
  queue: JobQueue;
  /** Recordings and transcription work files are kept under `<dataDir>/meetings`. */
  dataDir: string;
  /** Seconds per piece when live audio goes to a file engine (pocketsphinx). Default 10. */
  liveChunkSeconds?: number;
  now?: () => Date;
}

export interface MeetingModels {
  Meetings: Model<MeetingDoc>;
  Sources: Model<SourceDoc>;
  Chunks: Model<StoredChunk>;
  Summaries: Model<StoredSummary>;
  ActionItems: Model<StoredActionItems>;
  Claims: Model<ClaimDoc>;
  Purges: Model<PurgeRecord>;
  /** The tenant's list documents: timelines and due lists. */
  lists: Lists;
}

export interface MeetingsKit {
  readonly deps: MeetingsDeps;
  readonly files: RecordingFiles;
  readonly sealed: SealedMeetingContent;
  /** Meeting titles, sealed under the tenant's titles key (records/titles.ts). */
  readonly titles: SealedTitles<'title'>;
  readonly search: SearchIndex;
  readonly outbox: Outbox;
  now(): Date;
  models(ctx: TenantContext): Promise<MeetingModels>;
  transcriber(engine: TranscriberEngine): Transcriber | undefined;
  /** The summarizer of that engine, else the embedded one. */
  summarizer(engine: SummarizerEngine): Summarizer;
  /** What a tenant that chose nothing gets: the best engines this deployment has. */
  readonly defaults: MeetingSettings;
  /** The tenant's meeting settings, with this deployment's defaults. */
  settings(ctx: TenantContext): Promise<MeetingSettings>;
}

/** Best first: diarization beats one voice, and cloud models beat the offline one. */
const RECORDING_ENGINE_PREFERENCE: TranscriberEngine[] = [
  'azure-speech',
  'azure-whisper',
  'pocketsphinx',
];

function deploymentDefaults(deps: MeetingsDeps): MeetingSettings {
  const recordingEngine = RECORDING_ENGINE_PREFERENCE.find((engine) =>
    deps.transcribers.some((t) => t.engine === engine && t.accepts.has('audio-file')),
  );
  const summaryEngine = (deps.summarizers ?? []).some((s) => s.engine === 'azure-openai')
    ? 'azure-openai'
    : deps.summarizer.engine;
  return {
    ...DEFAULT_MEETING_SETTINGS,
    transcriptionEngine: recordingEngine ?? DEFAULT_MEETING_SETTINGS.transcriptionEngine,
    summaryEngine,
  };
}

export function createMeetingsKit(deps: MeetingsDeps): MeetingsKit {
  const now = deps.now ?? (() => new Date());
  const defaults = deploymentDefaults(deps);
  return {
    defaults,
    settings: (ctx) => getMeetingSettings(deps.store, ctx, defaults),
    summarizer(engine) {
      return (
        [deps.summarizer, ...(deps.summarizers ?? [])].find((s) => s.engine === engine) ??
        deps.summarizer
      );
    },
    deps,
    files: new RecordingFiles(deps.dataDir),
    sealed: sealedMeetingContent(deps.envelope),
    titles: sealedTitles(deps.envelope, MEETING_TITLES),
    search: createSearchIndex({ store: deps.store, envelope: deps.envelope }),
    outbox: createOutbox({ store: deps.store, now }),
    now,
    async models(ctx) {
      const [Meetings, Sources, Chunks, Summaries, ActionItems, Claims, Purges, ListModel] =
        await Promise.all([
          deps.store.tenantModel(ctx, Meeting),
          deps.store.tenantModel(ctx, MeetingSource),
          deps.store.tenantModel(ctx, MeetingChunk),
          deps.store.tenantModel(ctx, MeetingSummary),
          deps.store.tenantModel(ctx, MeetingActionItems),
          deps.store.tenantModel(ctx, MeetingClaim),
          deps.store.tenantModel(ctx, MeetingPurge),
          deps.store.tenantModel(ctx, MeetingList),
        ]);
      const lists = new Lists(ListModel);
      return { Meetings, Sources, Chunks, Summaries, ActionItems, Claims, Purges, lists };
    },
    transcriber(engine) {
      return deps.transcribers.find((t) => t.engine === engine);
    },
  };
}
