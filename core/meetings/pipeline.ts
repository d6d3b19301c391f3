// The meeting pipeline, run as Agenda jobs:
//
//   queued → transcribing: the engine turns the recording or captions into segments, stored
//            encrypted under ids <meetingId>:<position>
//          → the recording is deleted, with a certificate
//   summarizing: the summarizer reads the transcript; summary, decisions, open questions and
//            action items are stored encrypted, and the meeting's words enter the blind index
//   ready:   "meeting summarized" goes into the outbox for the adapters
//
// Each step writes its result, then marks it done on the meeting record; a run that dies
// between the two repeats the step, and repeating a step changes nothing (deterministic ids,
// replace-by-id, a certificate found again by its subject). A step that fails is retried with
// exponential backoff; after the last attempt, or at once for a failure that cannot get better
// (a file that is not audio), the meeting is marked failed with the reason, and its recording
// is deleted then too: a recording is kept only while it is being transcribed.
import { createSecretKey } from 'node:crypto';
import { z } from 'zod';
import { SummaryInputError, type Participant } from '../ai/index.ts';
import type { JobDefinition } from '../jobs/registry.ts';
import { DecryptionFailedError } from '../privacy/errors.ts';
import { TranscriptionError, type Segment, type TranscriptionSource } from '../speech/index.ts';
import { verifiedTenantContext, type TenantContext } from '../store/tenant-context.ts';
import { AudioIntegrityError } from './audio-cipher.ts';
import { deleteSourceWithProof, eraseContent } from './content.ts';
import { positionalId } from './ids.ts';
import { PROCESS_MEETING, RESUME_MEETINGS } from './job-names.ts';
import type { MeetingsKit } from './kit.ts';
import { Leases } from '../store/lease.ts';
import type { MeetingDoc } from './models.ts';
import { captionsSource, type CaptionsInput } from './meetings-service.ts';
import { everyTenant } from './tenants.ts';
import { insertIgnoringDuplicates, storeTranscript } from './transcript-store.ts';

export type PipelineCheckpoint =
  'segments-stored' | 'transcribed' | 'recording-deleted' | 'summarized' | 'published';

export type PipelineOutcome = 'done' | 'busy' | 'retry' | 'failed' | 'gone';

export interface PipelineOptions {
  /** Attempts per step before the meeting is marked failed (default 6). */
  maxAttempts?: number;
  /** Delay before attempt n+1 (default 30 s × 2^(n−1), at most an hour). */
  backoffMs?: (attempt: number) => number;
  /**
   * Called after each step's result is written. A checkpoint that throws stops the run on the
   * spot, as a crash would (nothing is marked failed, no retry is scheduled): the crash tests'
   * way in.
   */
  checkpoint?: (point: PipelineCheckpoint, meetingId: string) => void | Promise<void>;
}

/** How long a due meeting sits untouched before the sweep enqueues it again. */
const RESUME_AFTER_MS = 2 * 60_000;

/** A failure that no retry can fix. */
class PermanentFailure extends Error {
  override readonly name = 'PermanentFailure';
}

/** Wraps what a checkpoint threw, so it passes the failure handling untouched. */
class Interrupted extends Error {
  override readonly name = 'Interrupted';
}

const RECORDING_KEPT =
  "the transcript is kept for the organization's retention period, then deleted with its own certificate";

function isPermanent(error: unknown): boolean {
  return (
    error instanceof PermanentFailure ||
    error instanceof TranscriptionError ||
    error instanceof SummaryInputError ||
    error instanceof AudioIntegrityError ||
    (error instanceof DecryptionFailedError &&
      ['not-authentic', 'malformed', 'key-destroyed', 'key-missing'].includes(error.reason))
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Names as the summarizer should find them: speech engines write everything in lower case. */
export function summaryParticipants(meeting: Pick<MeetingDoc, 'participants'>): Participant[] {
  return meeting.participants.map((p) => {
    const name = p.name ?? p.email.split('@')[0]!;
    const first = name.split(/\s+/)[0]!;
    const aliases = [...new Set([name.toLowerCase(), first.toLowerCase()])].filter(
      (alias) => alias !== name && alias !== first,
    );
    return { name, email: p.email, ...(aliases.length > 0 ? { aliases } : {}) };
  });
}

export function createMeetingPipeline(kit: MeetingsKit, options: PipelineOptions = {}) {
  const { store, queue } = kit.deps;
  const maxAttempts = options.maxAttempts ?? 6;
  const backoffMs =
    options.backoffMs ?? ((attempt: number) => Math.min(3_600_000, 30_000 * 2 ** (attempt - 1)));
  const db = store.control.db;
  if (!db) throw new Error('database connection is not open');
  const leases = new Leases(db.collection('meeting_locks'));

  async function checkpoint(point: PipelineCheckpoint, meetingId: string): Promise<void> {
    try {
      await options.checkpoint?.(point, meetingId);
    } catch (error) {
      throw new Interrupted(`interrupted at ${point}`, { cause: error });
    }
  }

  async function update(ctx: TenantContext, id: string, set: Partial<MeetingDoc>): Promise<void> {
    const { Meetings } = await kit.models(ctx);
    await Meetings.updateOne({ _id: id }, { $set: { ...set, updatedAt: kit.now() } });
  }

  async function sourceOf(
    ctx: TenantContext,
    meeting: MeetingDoc,
  ): Promise<{
    source: TranscriptionSource;
    release(): Promise<void>;
  }> {
    const { Sources } = await kit.models(ctx);
    const stored = await Sources.findById(meeting._id).lean();
    if (!stored || stored.sourceId !== meeting.sourceId || stored.state !== 'received') {
      throw new PermanentFailure(
        'The recording is gone before it was transcribed (recordings are kept at most 24 hours).',
      );
    }
    if (stored.kind === 'captions') {
      const opened = await kit.sealed.captions.open(ctx, {
        _id: meeting._id,
        captions: stored.captions,
      });
      const input = opened.captions as CaptionsInput;
      const source = captionsSource(input);
      return { source, release: async () => undefined };
    }
    const { fileKey } = await kit.sealed.audioKeys.open(ctx, {
      _id: meeting._id,
      fileKey: stored.fileKey ?? '',
    });
    const key = Buffer.from(fileKey, 'base64');
    try {
      const plain = await kit.files.decryptForTranscription(
        ctx.tenantId,
        stored.file!,
        createSecretKey(key),
      );
      return { source: { kind: 'audio-file', path: plain.path }, release: plain.release };
    } finally {
      key.fill(0);
    }
  }

  async function transcribe(ctx: TenantContext, meeting: MeetingDoc): Promise<void> {
    const id = meeting._id;
    if (meeting.status === 'queued') await update(ctx, id, { status: 'transcribing' });
    if (meeting.transcribedAt === null) {
      const transcriber = meeting.engine ? kit.transcriber(meeting.engine) : undefined;
      if (!transcriber) {
        throw new PermanentFailure(`The ${meeting.engine} engine is not available here.`);
      }
      const { source, release } = await sourceOf(ctx, meeting);
      let segments: Segment[];
      try {
        segments = await transcriber.transcribe(
          source,
          meeting.language ? { language: meeting.language } : {},
        );
      } catch (error) {
        // The reason is shown to people: name the recording, not a server path.
        if (error instanceof TranscriptionError && source.kind === 'audio-file') {
          throw new TranscriptionError(error.message.replaceAll(source.path, 'the recording'));
        }
        throw error;
      } finally {
        await release();
      }
      if (segments.length === 0) {
        throw new PermanentFailure('No speech was recognized in the recording.');
      }
      await storeTranscript(kit, ctx, id, segments);
      await checkpoint('segments-stored', id);
      const now = kit.now();
      await update(ctx, id, {
        segmentCount: segments.length,
        transcribedAt: now,
        retainFrom: meeting.endsAt > now ? meeting.endsAt : now,
      });
    }
    await checkpoint('transcribed', id);
    if (meeting.sourceDeletedAt === null) {
      const certificateId = await deleteSourceWithProof(kit, ctx, meeting, RECORDING_KEPT);
      await update(ctx, id, { sourceDeletedAt: kit.now(), sourceCertificateId: certificateId });
    }
    await checkpoint('recording-deleted', id);
    await update(ctx, id, { status: 'summarizing', attempts: 0 });
  }

  async function summarize(ctx: TenantContext, meeting: MeetingDoc): Promise<void> {
    const id = meeting._id;
    const { Segments, Summaries, ActionItems } = await kit.models(ctx);
    const stored = await Segments.find({ meetingId: id }).sort({ index: 1 }).lean();
    const segments = await Promise.all(stored.map((s) => kit.sealed.segments.open(ctx, s)));
    // The tenant's choice; a choice this deployment no longer has falls back to the embedded one.
    const summarizer = kit.summarizer((await kit.settings(ctx)).summaryEngine);
    const result = await summarizer.summarize({
      segments: segments.map(({ speaker, startMs, endMs, text, confidence }) => ({
        speaker,
        startMs,
        endMs,
        text,
        confidence,
      })),
      participants: summaryParticipants(meeting),
      meeting: { startsAt: meeting.startsAt.toISOString(), timeZone: meeting.timeZone },
    });
    const summary = await kit.sealed.summaries.seal(ctx, {
      _id: id,
      engine: summarizer.engine,
      summary: result.summary,
      decisions: result.decisions,
      openQuestions: result.openQuestions,
      createdAt: kit.now(),
    });
    await Summaries.replaceOne({ _id: id }, summary, { upsert: true });
    await ActionItems.deleteMany({ meetingId: id });
    const items = await Promise.all(
      result.actionItems.map((item, index) =>
        kit.sealed.actionItems.seal(ctx, {
          _id: positionalId(id, index),
          meetingId: id,
          index,
          task: item.task,
          owner: item.owner,
          due: item.due,
          sourceSegment: item.sourceSegment,
          done: false,
          doneAt: null,
        }),
      ),
    );
    await insertIgnoringDuplicates(ActionItems, items);
    await kit.search.index(ctx, id, [
      meeting.title,
      ...segments.map((s) => s.text),
      ...result.summary,
      ...result.decisions,
      ...result.openQuestions,
      ...result.actionItems.map((item) => item.task),
    ]);
    await checkpoint('summarized', id);
    await update(ctx, id, {
      status: 'ready',
      summarizedAt: kit.now(),
      attempts: 0,
      nextAttemptAt: null,
    });
  }

  async function publish(ctx: TenantContext, meeting: MeetingDoc): Promise<void> {
    await kit.outbox.publish({
      type: 'meeting.summarized',
      tenantId: ctx.tenantId,
      meetingId: meeting._id,
    });
    await checkpoint('published', meeting._id);
    await update(ctx, meeting._id, { publishedAt: kit.now() });
  }

  async function load(ctx: TenantContext, id: string): Promise<MeetingDoc | null> {
    const { Meetings } = await kit.models(ctx);
    const meeting = await Meetings.findById(id).lean();
    if (!meeting) {
      // Deleted while a step ran: anything that step wrote after the deletion goes too.
      await eraseContent(kit, ctx, [id]);
      return null;
    }
    return meeting.deletion || meeting.purgedAt ? null : meeting;
  }

  async function fail(ctx: TenantContext, id: string, error: unknown): Promise<PipelineOutcome> {
    if (error instanceof Interrupted) throw error;
    const meeting = await load(ctx, id);
    if (!meeting) return 'gone';
    const attempts = meeting.attempts + 1;
    if (isPermanent(error) || attempts >= maxAttempts) {
      const reason = isPermanent(error)
        ? messageOf(error)
        : `Gave up after ${attempts} attempts; the last error was: ${messageOf(error)}`;
      // Transcription has ended, in failure: the recording goes now, not after 24 hours.
      const recording: Partial<MeetingDoc> = {};
      if (meeting.transcribedAt === null && meeting.sourceDeletedAt === null) {
        recording.sourceCertificateId = await deleteSourceWithProof(
          kit,
          ctx,
          meeting,
          'nothing else: transcription failed and the meeting has no transcript',
        );
        recording.sourceDeletedAt = kit.now();
      }
      await update(ctx, id, {
        status: 'failed',
        failure: { reason, at: kit.now() },
        attempts,
        nextAttemptAt: null,
        ...recording,
      });
      return 'failed';
    }
    const next = new Date(kit.now().getTime() + backoffMs(attempts));
    await update(ctx, id, { attempts, nextAttemptAt: next });
    await queue.schedule(next, PROCESS_MEETING, { tenantId: ctx.tenantId, meetingId: id });
    return 'retry';
  }

  async function advance(ctx: TenantContext, id: string): Promise<PipelineOutcome> {
    try {
      for (;;) {
        const meeting = await load(ctx, id);
        if (!meeting) return 'gone';
        if (meeting.status === 'queued' || meeting.status === 'transcribing') {
          await transcribe(ctx, meeting);
        } else if (meeting.status === 'summarizing') {
          await summarize(ctx, meeting);
        } else {
          if (meeting.status === 'ready' && meeting.publishedAt === null) {
            await publish(ctx, meeting);
          }
          return 'done';
        }
      }
    } catch (error) {
      return fail(ctx, id, error);
    }
  }

  return {
    /** Moves one meeting on as far as it goes; 'busy' when another worker holds it. */
    async process(tenantId: string, meetingId: string): Promise<PipelineOutcome> {
      const ctx = verifiedTenantContext(tenantId, 'system');
      const outcome = await leases.with(`${tenantId}:${meetingId}`, () => advance(ctx, meetingId));
      return outcome ?? 'busy';
    },

    /** Enqueues every meeting whose next step is due; resolves to how many. */
    async resumeDue(): Promise<number> {
      let queued = 0;
      const now = kit.now();
      const stale = new Date(now.getTime() - RESUME_AFTER_MS);
      for await (const ctx of everyTenant(store)) {
        const { Meetings } = await kit.models(ctx);
        const due = await Meetings.find(
          {
            deletion: null,
            // Untouched for a while: a worker holding it now would have moved it on.
            updatedAt: { $lte: stale },
            $or: [
              {
                status: { $in: ['queued', 'transcribing', 'summarizing'] },
                nextAttemptAt: { $lte: now },
              },
              { status: 'ready', publishedAt: null },
            ],
          },
          { _id: 1 },
        ).lean();
        for (const { _id } of due) {
          await queue.now(PROCESS_MEETING, { tenantId: ctx.tenantId, meetingId: _id });
          queued += 1;
        }
      }
      return queued;
    },
  };
}

export type MeetingPipeline = ReturnType<typeof createMeetingPipeline>;

const jobData = z.object({ tenantId: z.string().min(1), meetingId: z.string().min(1) });

export function processMeetingJob(pipeline: MeetingPipeline): JobDefinition<{
  tenantId: string;
  meetingId: string;
}> {
  return {
    name: PROCESS_MEETING,
    concurrency: 2,
    removeOnComplete: true,
    async run(data, { logger }) {
      const { tenantId, meetingId } = jobData.parse(data);
      const outcome = await pipeline.process(tenantId, meetingId);
      logger.info({ tenantId, meetingId, outcome }, 'meeting pipeline ran');
    },
  };
}

export function resumeMeetingsJob(pipeline: MeetingPipeline): JobDefinition {
  return {
    name: RESUME_MEETINGS,
    every: '5 minutes',
    runAtStart: true,
    async run(_data, { logger }) {
      const queued = await pipeline.resumeDue();
      if (queued > 0) logger.info({ queued }, 'meetings resumed');
    },
  };
}
