// Zoom's post-meeting transcripts, fetched durably. The webhook (recording.transcript_completed)
// only enqueues a `zoom.fetch-transcript` job, once per recording file; the job downloads the
// VTT with the event's download token and feeds the meeting pipeline. A restart or a failing
// file server loses nothing: the job is in the database and retries with backoff.
//
// The download token is a secret (whoever holds it can download the recording for 24 hours):
// the job's data holds it sealed with the organization's token key (core/privacy/envelope.ts),
// bound to this file's job, and only the running job opens it. Logs never carry it. The
// meeting's topic (its title) is sealed in the job's data too, like every stored title
// (core/privacy/sealed-titles.ts); jobs queued before that hold it in plaintext, and still run.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { JobDefinition } from '../../../core/jobs/registry.ts';
import type { JobRunner } from '../../../core/jobs/runner.ts';
import type { Logger } from '../../../core/logger.ts';
import { MeetingError, type MeetingsService } from '../../../core/meetings/index.ts';
import { isDuplicateKeyError } from '../../../core/privacy/duplicate-key.ts';
import type { Envelope, FieldTarget } from '../../../core/privacy/envelope.ts';
import { DecryptionFailedError } from '../../../core/privacy/errors.ts';
import { sealedTitles } from '../../../core/privacy/sealed-titles.ts';
import type { Store } from '../../../core/store/store.ts';
import { verifiedTenantContext } from '../../../core/store/tenant-context.ts';
import { ZoomTranscriptFile, type ZoomTranscriptOutcome } from '../store/models.ts';
import { ZoomApiError, type ZoomApi } from '../zoom-api.ts';
import type { MeetingResolver, ZoomMeetingFacts } from '../store/meetings.ts';

export const FETCH_ZOOM_TRANSCRIPT = 'zoom.fetch-transcript';
/** Agenda's collection (core/jobs/runner.ts), read to tell when no fetch is waiting. */
const JOBS_COLLECTION = 'jobs';
const MAX_TRANSCRIPT_BYTES = 20 * 1024 * 1024;
/**
 * Retries after the first try, each wait 4× the one before: with the default first wait of 30 s
 * they end about 11 hours after the event, inside the download token's 24 hours.
 */
export const TRANSCRIPT_RETRIES = 6;
const CLAIM_KEPT_MS = 7 * 86_400_000;

const facts = z.object({
  accountId: z.string().min(1),
  id: z.string().min(1),
  uuid: z.string().min(1),
  hostId: z.string().min(1),
  hostEmail: z.string().optional(),
  topic: z.string(),
  startTime: z.iso.datetime({ offset: true }),
  durationMinutes: z.number(),
  timeZone: z.string().optional(),
});

const jobData = z.object({
  tenantId: z.string().min(1),
  /** `<meeting UUID>:<file id>`, the claim's key. */
  fileKey: z.string().min(1),
  downloadUrl: z.url(),
  /** Sealed (envelope), never the token itself. */
  downloadToken: z.string().min(1),
  meeting: facts,
  attempt: z.number().int().min(0),
});
export type FetchZoomTranscriptData = z.infer<typeof jobData>;

export type FetchOutcome = ZoomTranscriptOutcome | 'retry-scheduled' | 'done-before';
export type EnqueueOutcome = 'queued' | 'duplicate' | 'not-kept';

/** Where the sealed token lives: the authenticated data ties it to this one file's job. */
function tokenTarget(fileKey: string): FieldTarget {
  return { collection: JOBS_COLLECTION, id: fileKey, field: 'data.downloadToken' };
}

/** Where the sealed topic lives, bound to this one file's job like the token. */
const TOPIC_FIELD = 'data.meeting.topic';

/** One key per recording file; files without Zoom's id are told apart by their URL. */
export function transcriptFileKey(meetingUuid: string, file: { id?: string; downloadUrl: string }) {
  const id =
    file.id ?? `url-${createHash('sha256').update(file.downloadUrl).digest('hex').slice(0, 24)}`;
  return `${meetingUuid}:${id}`;
}

/** Why a download failed, and whether trying later can help. */
function classify(error: unknown): { transient: boolean; reason: string } {
  if (error instanceof ZoomApiError) {
    if (error.status === 401 || error.status === 403 || error.status === 404) {
      return {
        transient: false,
        reason: `Zoom's file server refused the download token (HTTP ${error.status}): it is wrong or has expired, so this transcript cannot be fetched with it`,
      };
    }
    if (error.status === 0) return { transient: true, reason: error.message };
    if (error.status >= 500 || error.status === 429) {
      return { transient: true, reason: `Zoom's file server answered HTTP ${error.status}` };
    }
    return { transient: false, reason: error.message };
  }
  if (error instanceof DecryptionFailedError) {
    return {
      transient: false,
      reason:
        'its sealed download token or topic cannot be opened (the organization’s key is gone or it was altered)',
    };
  }
  // The database or the key provider for a moment: worth another try.
  return { transient: true, reason: (error as Error)?.message ?? String(error) };
}

interface TranscriptFetcherDeps {
  store: Store;
  envelope: Envelope;
  api: ZoomApi;
  resolver: MeetingResolver;
  meetings: MeetingsService;
  /** Enqueues from any node; worker nodes run the job. */
  queue: Pick<JobRunner, 'now' | 'schedule'>;
  logger: Logger;
  /** The first wait before a retry (ZOOM_TRANSCRIPT_RETRY_SECONDS). */
  retrySeconds: number;
}

export class TranscriptFetcher {
  private readonly deps: TranscriptFetcherDeps;
  private readonly files;
  private readonly topics;
  readonly job: JobDefinition<FetchZoomTranscriptData>;

  constructor(deps: TranscriptFetcherDeps) {
    this.deps = deps;
    this.topics = sealedTitles(deps.envelope, {
      collection: JOBS_COLLECTION,
      what: 'Zoom meeting',
      fields: [TOPIC_FIELD],
    });
    this.files = deps.store.controlModel(ZoomTranscriptFile);
    this.job = {
      name: FETCH_ZOOM_TRANSCRIPT,
      concurrency: 2,
      removeOnComplete: true,
      run: (data, { logger }) => this.runJob(data, logger),
    };
  }

  /** From the webhook, after its signature and replay checks: one job per recording file. */
  async enqueue(
    meeting: ZoomMeetingFacts,
    file: { id?: string; downloadUrl: string },
    downloadToken: string,
  ): Promise<EnqueueOutcome> {
    const tenantId = await this.deps.resolver.tenantOf(meeting);
    if (!tenantId) {
      this.deps.logger.warn(
        { zoomMeetingId: meeting.id },
        `Zoom transcript not kept: Zoom account ${meeting.accountId} is not linked to a Quorum organization`,
      );
      return 'not-kept';
    }
    const fileKey = transcriptFileKey(meeting.uuid, file);
    const ctx = verifiedTenantContext(tenantId, 'installation');
    const sealed = await this.deps.envelope.sealToken(ctx, tokenTarget(fileKey), downloadToken);
    const topic = await this.topics.sealValue(ctx, fileKey, TOPIC_FIELD, meeting.topic);
    const now = new Date();
    try {
      // The unique key is the exactly-once: a redelivered event finds its file claimed.
      await this.files.create({
        _id: fileKey,
        tenantId,
        zoomMeetingUuid: meeting.uuid,
        outcome: null,
        finishedAt: null,
        createdAt: now,
        expiresAt: new Date(now.getTime() + CLAIM_KEPT_MS),
      });
    } catch (error) {
      if (isDuplicateKeyError(error)) return 'duplicate';
      throw error;
    }
    const data: FetchZoomTranscriptData = {
      tenantId,
      fileKey,
      downloadUrl: file.downloadUrl,
      downloadToken: sealed,
      meeting: {
        ...meeting,
        topic,
        startTime: meeting.startTime.toISOString(),
      },
      attempt: 0,
    };
    try {
      await this.deps.queue.now(FETCH_ZOOM_TRANSCRIPT, data);
    } catch (error) {
      // Not queued: free the claim, so Zoom's redelivery (the webhook answers 500) queues it.
      await this.files.deleteOne({ _id: fileKey, outcome: null }).catch(() => undefined);
      throw error;
    }
    return 'queued';
  }

  private async finish(fileKey: string, outcome: ZoomTranscriptOutcome) {
    await this.files.updateOne({ _id: fileKey }, { $set: { outcome, finishedAt: new Date() } });
    return outcome;
  }

  private async retryOrGiveUp(
    input: FetchZoomTranscriptData,
    failure: { transient: boolean; reason: string },
    logger: Logger,
  ): Promise<FetchOutcome> {
    const where = { zoomMeetingUuid: input.meeting.uuid, fileKey: input.fileKey };
    if (failure.transient && input.attempt < TRANSCRIPT_RETRIES) {
      const waitMs = Math.round(this.deps.retrySeconds * 1000 * 4 ** input.attempt);
      await this.deps.queue.schedule(new Date(Date.now() + waitMs), FETCH_ZOOM_TRANSCRIPT, {
        ...input,
        attempt: input.attempt + 1,
      });
      logger.info(
        { ...where, attempt: input.attempt, retryInSeconds: waitMs / 1000, reason: failure.reason },
        'Zoom transcript download failed; it will be tried again',
      );
      return 'retry-scheduled';
    }
    const tries = input.attempt + 1;
    logger.warn(
      { ...where, attempt: input.attempt, reason: failure.reason },
      failure.transient
        ? `Zoom transcript not fetched, gave up after ${tries} tries: ${failure.reason}`
        : `Zoom transcript not fetched, gave up without retrying: ${failure.reason}`,
    );
    return this.finish(input.fileKey, 'gave-up');
  }

  async run(input: FetchZoomTranscriptData, logger: Logger): Promise<FetchOutcome> {
    const claim = await this.files.findById(input.fileKey).lean();
    // A job run twice (a lock taken over after a crash) finds the work done.
    if (claim?.finishedAt) return 'done-before';
    let text: string;
    try {
      const ctx = verifiedTenantContext(input.tenantId, 'system');
      const token = await this.deps.envelope.openToken(
        ctx,
        tokenTarget(input.fileKey),
        input.downloadToken,
      );
      text = await this.deps.api.download(input.downloadUrl, token, MAX_TRANSCRIPT_BYTES);
    } catch (error) {
      return this.retryOrGiveUp(input, classify(error), logger);
    }
    return this.keep(input, text, logger);
  }

  /** The downloaded captions into the meeting's pipeline; what cannot be kept is said why. */
  private async keep(
    input: FetchZoomTranscriptData,
    text: string,
    logger: Logger,
  ): Promise<FetchOutcome> {
    try {
      const meeting = facts.parse(input.meeting);
      const ctx = verifiedTenantContext(input.tenantId, 'system');
      const resolved = await this.deps.resolver.resolve({
        ...meeting,
        topic: await this.topics.openValue(ctx, input.fileKey, TOPIC_FIELD, meeting.topic),
        startTime: new Date(meeting.startTime),
      });
      if ('problem' in resolved) {
        logger.warn(
          { zoomMeetingId: input.meeting.id },
          `Zoom transcript not kept: ${resolved.problem}`,
        );
        return await this.finish(input.fileKey, 'not-kept');
      }
      try {
        const result = await this.deps.meetings.addCaptions(
          resolved.ctx,
          resolved.actor,
          resolved.meetingId,
          { format: 'webvtt', text },
        );
        logger.info(
          { meetingId: resolved.meetingId, bookingId: resolved.bookingId, cues: result.cues },
          'Zoom transcript received',
        );
        return await this.finish(input.fileKey, 'captions-added');
      } catch (error) {
        // A meeting that already has its content (live capture, this file fetched before)
        // keeps it: the pipeline is fed once.
        if (error instanceof MeetingError && error.code === 'conflict') {
          logger.info(
            { meetingId: resolved.meetingId },
            `Zoom transcript not used: ${error.message}`,
          );
          return await this.finish(input.fileKey, 'not-used');
        }
        throw error;
      }
    } catch (error) {
      if (error instanceof MeetingError) {
        // Refused for good (no speech in it, a deleted meeting): trying again cannot help.
        return this.retryOrGiveUp(input, { transient: false, reason: error.message }, logger);
      }
      logger.error({ err: error, fileKey: input.fileKey }, 'Zoom transcript could not be stored');
      return this.retryOrGiveUp(input, classify(error), logger);
    }
  }

  private async runJob(data: FetchZoomTranscriptData, logger: Logger): Promise<void> {
    const parsed = jobData.safeParse(data);
    if (!parsed.success) {
      // Nothing to retry with; said without echoing the data (it holds a sealed secret).
      logger.error('zoom.fetch-transcript job without its fields; dropped');
      return;
    }
    const outcome = await this.run(parsed.data, logger);
    logger.info(
      { fileKey: parsed.data.fileKey, attempt: parsed.data.attempt, outcome },
      'Zoom transcript job ran',
    );
  }

  /** How many fetches are queued, waiting for a retry or running (tests wait for none). */
  async pending(): Promise<number> {
    return this.deps.store.control.collection(JOBS_COLLECTION).countDocuments({
      name: FETCH_ZOOM_TRANSCRIPT,
      $or: [{ nextRunAt: { $ne: null } }, { lockedAt: { $ne: null } }],
    });
  }
}

export function createTranscriptFetcher(deps: TranscriptFetcherDeps): TranscriptFetcher {
  return new TranscriptFetcher(deps);
}
