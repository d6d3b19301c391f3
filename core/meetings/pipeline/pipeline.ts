// The meeting pipeline, run as Agenda jobs:
//
//   queued → transcribing: the engine turns the recording or captions into segments, stored
//            encrypted in chunks under ids <meetingId>:<n>
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
import { SummaryInputError, type Participant } from '../../ai/index.ts';
import type { JobDefinition } from '../../jobs/registry.ts';
import { resumedBySweep } from '../../jobs/runner.ts';
import { DecryptionFailedError } from '../../privacy/errors.ts';
import { TranscriptionError, type Segment, type TranscriptionSource } from '../../speech/index.ts';
import { verifiedTenantContext, type TenantContext } from '../../store/tenant-context.ts';
import { AudioIntegrityError } from '../audio-cipher.ts';
import { findByIds } from '../../store/by-id.ts';
import { writeActionItems } from '../action-items.ts';
import { deleteSourceWithProof, eraseContent } from '../content.ts';
import { CURRENT, DUE } from '../lists.ts';
import { inPipeline, moveRetention } from '../listing.ts';
import { PROCESS_MEETING, RESUME_MEETINGS } from '../job-names.ts';
import type { MeetingsKit } from '../kit.ts';
import { Leases } from '../../store/lease.ts';
import type { MeetingDoc, SourceDoc } from '../models.ts';
import { captionsSource, type CaptionsInput } from '../meetings-service.ts';
import { everyTenant } from '../tenants.ts';
import { readTranscript, storeTranscript } from '../transcript-store.ts';

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

  /** Writes `set` onto the meeting record, and onto the copy the run goes on with. */
  async function update(
    ctx: TenantContext,
    meeting: MeetingDoc,
    set: Partial<MeetingDoc>,
  ): Promise<void> {
    const { Meetings } = await kit.models(ctx);
    const changes = { ...set, updatedAt: kit.now() };
    await Meetings.updateOne({ _id: meeting._id }, { $set: changes });
    Object.assign(meeting, changes);
  }

  async function sourceOf(
    ctx: TenantContext,
    meeting: MeetingDoc,
  ): Promise<{
    source: TranscriptionSource;
    stored: SourceDoc;
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
      return { source, stored, release: async () => undefined };
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
      return {
        source: { kind: 'audio-file', path: plain.path },
        stored,
        release: plain.release,
      };
    } finally {
      key.fill(0);
    }
  }

  /** Resolves to the segments when this run transcribed them (the summary starts from them). */
  async function transcribe(
    ctx: TenantContext,
    meeting: MeetingDoc,
  ): Promise<Segment[] | undefined> {
    const id = meeting._id;
    let transcribed: Segment[] | undefined;
    // The source as read for transcription, so deleting it does not read it again.
    let received: SourceDoc | undefined;
    if (meeting.status === 'queued') await update(ctx, meeting, { status: 'transcribing' });
    if (meeting.transcribedAt === null) {
      const transcriber = meeting.engine ? kit.transcriber(meeting.engine) : undefined;
      if (!transcriber) {
        throw new PermanentFailure(`The ${meeting.engine} engine is not available here.`);
      }
      const { source, stored, release } = await sourceOf(ctx, meeting);
      received = stored;
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
      const chunkCount = await storeTranscript(kit, ctx, meeting, segments);
      transcribed = segments;
      await checkpoint('segments-stored', id);
      const now = kit.now();
      const retainFrom = meeting.endsAt > now ? meeting.endsAt : now;
      const { lists } = await kit.models(ctx);
      await moveRetention(lists, id, meeting.retainFrom, retainFrom);
      await update(ctx, meeting, {
        segmentCount: segments.length,
        chunkCount,
        transcribedAt: now,
        retainFrom,
      });
    }
    await checkpoint('transcribed', id);
    // Deleting the recording again finds it gone and its certificate by its subject, so its
    // being done is written together with the next step's start.
    const recording: Partial<MeetingDoc> = {};
    if (meeting.sourceDeletedAt === null) {
      recording.sourceCertificateId = await deleteSourceWithProof(
        kit,
        ctx,
        meeting,
        RECORDING_KEPT,
        received,
      );
      recording.sourceDeletedAt = kit.now();
    }
    await checkpoint('recording-deleted', id);
    await update(ctx, meeting, { ...recording, status: 'summarizing', attempts: 0 });
    return transcribed;
  }

  async function summarize(
    ctx: TenantContext,
    meeting: MeetingDoc,
    /** The segments this run stored just now: the same as reading them back, without the reads. */
    transcribed: readonly Segment[] | undefined,
  ): Promise<void> {
    const id = meeting._id;
    const { Summaries } = await kit.models(ctx);
    const segments = transcribed ?? (await readTranscript(kit, ctx, meeting));
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
    await writeActionItems(kit, ctx, id, result.actionItems);
    await kit.search.index(ctx, id, [
      meeting.title,
      ...segments.map((s) => s.text),
      ...result.summary,
      ...result.decisions,
      ...result.openQuestions,
      ...result.actionItems.map((item) => item.task),
    ]);
    await checkpoint('summarized', id);
    await update(ctx, meeting, {
      status: 'ready',
      summarizedAt: kit.now(),
      actionItemCount: result.actionItems.length,
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
    await update(ctx, meeting, { publishedAt: kit.now() });
    await leavePipeline(ctx, meeting._id);
  }

  /** The pipeline is done with the meeting: off its due list. */
  async function leavePipeline(ctx: TenantContext, id: string): Promise<void> {
    const { lists } = await kit.models(ctx);
    await lists.removeDue(DUE.pipeline, CURRENT, [id]);
  }

  async function load(ctx: TenantContext, id: string): Promise<MeetingDoc | null> {
    const { Meetings } = await kit.models(ctx);
    const meeting = await Meetings.findById(id).lean();
    if (!meeting) {
      // Deleted while a step ran: anything that step wrote after the deletion goes too (its
      // chunks were reserved on the record, so the deletion took them).
      const leftover = {
        _id: id,
        status: 'queued' as const,
        segmentCount: null,
        chunkCount: 0,
        sourceDeletedAt: null,
      };
      await eraseContent(kit, ctx, [leftover], 'caller');
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
      await update(ctx, meeting, {
        status: 'failed',
        failure: { reason, at: kit.now() },
        attempts,
        nextAttemptAt: null,
        ...recording,
      });
      await leavePipeline(ctx, id);
      return 'failed';
    }
    const next = new Date(kit.now().getTime() + backoffMs(attempts));
    await update(ctx, meeting, { attempts, nextAttemptAt: next });
    await queue.schedule(next, PROCESS_MEETING, { tenantId: ctx.tenantId, meetingId: id });
    return 'retry';
  }

  async function advance(ctx: TenantContext, id: string): Promise<PipelineOutcome> {
    try {
      // Read once: each step writes what it changes onto this copy too. A deletion meanwhile
      // destroys the meeting's key, so a later step's sealed writes fail and it ends 'gone'.
      const meeting = await load(ctx, id);
      if (!meeting) return 'gone';
      let transcribed: Segment[] | undefined;
      for (;;) {
        if (meeting.status === 'queued' || meeting.status === 'transcribing') {
          transcribed = await transcribe(ctx, meeting);
        } else if (meeting.status === 'summarizing') {
          await summarize(ctx, meeting, transcribed);
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
        const { Meetings, lists } = await kit.models(ctx);
        const listed = await lists.dueIn(DUE.pipeline, CURRENT);
        const meetings = new Map(
          (await findByIds(Meetings, listed, { description: 0 })).map((m) => [m._id, m]),
        );
        // Gone, deleted or finished: off the list (a step that died after its last write).
        const done = listed.filter((id) => {
          const meeting = meetings.get(id);
          return !meeting || meeting.deletion || !inPipeline(meeting);
        });
        await lists.removeDue(DUE.pipeline, CURRENT, done);
        for (const meeting of meetings.values()) {
          if (!isDue(meeting, now, stale)) continue;
          await queue.now(PROCESS_MEETING, { tenantId: ctx.tenantId, meetingId: meeting._id });
          queued += 1;
        }
      }
      return queued;
    },
  };
}

export type MeetingPipeline = ReturnType<typeof createMeetingPipeline>;

/** Its step is due, and nobody touched it for a while (a worker on it would have moved it on). */
function isDue(meeting: MeetingDoc, now: Date, stale: Date): boolean {
  if (meeting.deletion || meeting.updatedAt > stale) return false;
  if (meeting.status === 'ready') return meeting.publishedAt === null;
  return (
    ['queued', 'transcribing', 'summarizing'].includes(meeting.status) &&
    meeting.nextAttemptAt !== null &&
    meeting.nextAttemptAt <= now
  );
}

const jobData = z.object({ tenantId: z.string().min(1), meetingId: z.string().min(1) });

export function processMeetingJob(pipeline: MeetingPipeline): JobDefinition<{
  tenantId: string;
  meetingId: string;
}> {
  // Every meeting the pipeline owes work to is on its due list, and the resume job enqueues
  // those left untouched: a run lost with its process is found again, so a worker runs the
  // meetings it enqueues itself at once, without an Agenda record (core/jobs/runner.ts).
  return resumedBySweep({
    name: PROCESS_MEETING,
    concurrency: 2,
    removeOnComplete: true,
    async run(data, { logger }) {
      const { tenantId, meetingId } = jobData.parse(data);
      const outcome = await pipeline.process(tenantId, meetingId);
      logger.info({ tenantId, meetingId, outcome }, 'meeting pipeline ran');
    },
  });
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
