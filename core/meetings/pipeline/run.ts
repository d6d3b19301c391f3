// What every step of one pipeline run shares: the kit, the crash tests' checkpoints, the
// write of a step's result onto the meeting record, and reading the record.
import type { TenantContext } from '../../store/tenant-context.ts';
import { eraseContent } from '../content.ts';
import type { MeetingsKit } from '../kit.ts';
import { CURRENT, DUE } from '../lists.ts';
import type { MeetingDoc } from '../models.ts';
import { Interrupted } from './failures.ts';

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

export class PipelineRun {
  readonly kit: MeetingsKit;
  readonly #checkpoint: PipelineOptions['checkpoint'];
  /** Changes made on the run's copy only, written with the next update (see `later`). */
  readonly #pending = new Map<string, Partial<MeetingDoc>>();

  constructor(kit: MeetingsKit, options: PipelineOptions) {
    this.kit = kit;
    this.#checkpoint = options.checkpoint;
  }

  async checkpoint(point: PipelineCheckpoint, meetingId: string): Promise<void> {
    try {
      await this.#checkpoint?.(point, meetingId);
    } catch (error) {
      throw new Interrupted(`interrupted at ${point}`, { cause: error });
    }
  }

  /**
   * Writes `set` onto the meeting record (with what `later` kept back), and onto the copy the run
   * goes on with.
   */
  async update(ctx: TenantContext, meeting: MeetingDoc, set: Partial<MeetingDoc>): Promise<void> {
    const { Meetings } = await this.kit.models(ctx);
    const changes = { ...this.#pending.get(meeting._id), ...set, updatedAt: this.kit.now() };
    await Meetings.updateOne({ _id: meeting._id }, { $set: changes });
    this.#pending.delete(meeting._id);
    Object.assign(meeting, changes);
  }

  /**
   * Puts `set` on the run's copy now and on the record with the next update: for a step whose
   * being done needs no mark of its own, because doing it again changes nothing (a run that dies
   * before the next update repeats it). Each update is a statement the embedded database spends
   * a millisecond or more on.
   */
  later(meeting: MeetingDoc, set: Partial<MeetingDoc>): void {
    this.#pending.set(meeting._id, { ...this.#pending.get(meeting._id), ...set });
    Object.assign(meeting, set);
  }

  /** Forgets what `later` kept back for a meeting whose run ended without writing it. */
  forget(meetingId: string): void {
    this.#pending.delete(meetingId);
  }

  /** The pipeline is done with the meeting: off its due list. */
  async leave(ctx: TenantContext, id: string): Promise<void> {
    const { lists } = await this.kit.models(ctx);
    await lists.removeDue(DUE.pipeline, CURRENT, [id]);
  }

  async load(ctx: TenantContext, id: string): Promise<MeetingDoc | null> {
    const { Meetings } = await this.kit.models(ctx);
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
      await eraseContent(this.kit, ctx, [leftover], 'caller');
      return null;
    }
    return meeting.deletion || meeting.purgedAt ? null : meeting;
  }
}
