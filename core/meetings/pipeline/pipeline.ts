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
//
// Here the run as a whole: its lease, the order of the steps (transcribe.ts, summarize.ts) and
// what a failure does; jobs.ts holds its Agenda jobs.
import { findByIds } from '../../store/by-id.ts';
import { Leases } from '../../store/lease.ts';
import { verifiedTenantContext, type TenantContext } from '../../store/tenant-context.ts';
import { deleteSourceWithProof } from '../content.ts';
import { PROCESS_MEETING } from '../job-names.ts';
import { CURRENT, DUE } from '../lists.ts';
import { inPipeline } from '../listing.ts';
import type { MeetingsKit } from '../kit.ts';
import type { MeetingDoc } from '../models.ts';
import { everyTenant } from '../tenants.ts';
import type { Segment } from '../../speech/index.ts';
import { Interrupted, isPermanent, messageOf } from './failures.ts';
import { PipelineRun, type PipelineOptions, type PipelineOutcome } from './run.ts';
import { publish, summarize } from './summarize.ts';
import { transcribe } from './transcribe.ts';
import { resumeOwedCertificates } from '../retention/source-certificates.ts';

export type { PipelineCheckpoint, PipelineOptions, PipelineOutcome } from './run.ts';
export { processMeetingJob, resumeMeetingsJob } from './jobs.ts';
export { summaryParticipants } from './participants.ts';

/** How long a due meeting sits untouched before the sweep enqueues it again. */
const RESUME_AFTER_MS = 2 * 60_000;

export class MeetingPipeline {
  readonly #run: PipelineRun;
  readonly #maxAttempts: number;
  readonly #backoffMs: (attempt: number) => number;
  readonly #leases: Leases;

  constructor(kit: MeetingsKit, options: PipelineOptions = {}) {
    this.#run = new PipelineRun(kit, options);
    this.#maxAttempts = options.maxAttempts ?? 6;
    this.#backoffMs =
      options.backoffMs ?? ((attempt: number) => Math.min(3_600_000, 30_000 * 2 ** (attempt - 1)));
    const db = kit.deps.store.control.db;
    if (!db) throw new Error('database connection is not open');
    this.#leases = new Leases(db.collection('meeting_locks'));
  }

  /** Moves one meeting on as far as it goes; 'busy' when another worker holds it. */
  async process(tenantId: string, meetingId: string): Promise<PipelineOutcome> {
    const ctx = verifiedTenantContext(tenantId, 'system');
    const outcome = await this.#leases.with(`${tenantId}:${meetingId}`, () =>
      this.#advance(ctx, meetingId),
    );
    return outcome ?? 'busy';
  }

  /** Enqueues every meeting whose next step is due; resolves to how many. */
  async resumeDue(): Promise<number> {
    const { kit } = this.#run;
    let queued = 0;
    const now = kit.now();
    const stale = new Date(now.getTime() - RESUME_AFTER_MS);
    for await (const ctx of everyTenant(kit.deps.store)) {
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
      await resumeOwedCertificates(kit, ctx);
      for (const meeting of meetings.values()) {
        if (!isDue(meeting, now, stale)) continue;
        await kit.deps.queue.now(PROCESS_MEETING, {
          tenantId: ctx.tenantId,
          meetingId: meeting._id,
        });
        queued += 1;
      }
    }
    return queued;
  }

  async #advance(ctx: TenantContext, id: string): Promise<PipelineOutcome> {
    try {
      return await this.#steps(ctx, id);
    } finally {
      // What a step kept back for the next update is written by now, or lost as in a crash.
      this.#run.forget(id);
    }
  }

  async #steps(ctx: TenantContext, id: string): Promise<PipelineOutcome> {
    const run = this.#run;
    try {
      // Read once: each step writes what it changes onto this copy too. A deletion meanwhile
      // destroys the meeting's key, so a later step's sealed writes fail and it ends 'gone'.
      const meeting = await run.load(ctx, id);
      if (!meeting) return 'gone';
      let transcribed: Segment[] | undefined;
      for (;;) {
        if (meeting.status === 'queued' || meeting.status === 'transcribing') {
          transcribed = await transcribe(run, ctx, meeting);
        } else if (meeting.status === 'summarizing') {
          await summarize(run, ctx, meeting, transcribed);
        } else {
          if (meeting.status === 'ready' && meeting.publishedAt === null) {
            await publish(run, ctx, meeting);
          }
          return 'done';
        }
      }
    } catch (error) {
      return this.#fail(ctx, id, error);
    }
  }

  async #fail(ctx: TenantContext, id: string, error: unknown): Promise<PipelineOutcome> {
    if (error instanceof Interrupted) throw error;
    const run = this.#run;
    const { kit } = run;
    const meeting = await run.load(ctx, id);
    if (!meeting) return 'gone';
    const attempts = meeting.attempts + 1;
    if (isPermanent(error) || attempts >= this.#maxAttempts) {
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
      await run.update(ctx, meeting, {
        status: 'failed',
        failure: { reason, at: kit.now() },
        attempts,
        nextAttemptAt: null,
        ...recording,
      });
      await run.leave(ctx, id);
      return 'failed';
    }
    const next = new Date(kit.now().getTime() + this.#backoffMs(attempts));
    await run.update(ctx, meeting, { attempts, nextAttemptAt: next });
    await kit.deps.queue.schedule(next, PROCESS_MEETING, { tenantId: ctx.tenantId, meetingId: id });
    return 'retry';
  }
}

export function createMeetingPipeline(kit: MeetingsKit, options: PipelineOptions = {}) {
  return new MeetingPipeline(kit, options);
}

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
