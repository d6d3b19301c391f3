// One live capture: PCM waits in a queue until the engine reads it (audio-queue.ts), each final
// segment is sealed into the transcript chunk being filled (written again with each one) and
// then shown to watchers, and the end hands what was heard to the pipeline (or records why
// nothing was).
import type { Segment, Transcriber } from '../../speech/index.ts';
import { deleteByIds } from '../../store/by-id.ts';
import type { TenantContext } from '../../store/tenant-context.ts';
import { PROCESS_MEETING } from '../job-names.ts';
import type { MeetingModels, MeetingsKit } from '../kit.ts';
import { CURRENT, DUE } from '../lists.ts';
import { moveRetention } from '../listing.ts';
import { CHUNK_SIZE } from '../models.ts';
import { chunkId, reserveChunks, sealChunk } from '../transcript-store.ts';
import type { AudioQueue } from './audio-queue.ts';
import { LIVE_FORMAT, type LiveEvent, type LiveFeeds, type LiveSegment } from './live-feeds.ts';

type Ended = LiveEvent & { type: 'ended' };

/** The meeting as its capture started (from takeLiveAudio). */
export interface CapturedMeeting {
  language: string | null;
  /** Retention counts from here while the capture runs: its start. */
  retainFrom: Date;
}

function toLive(s: Segment, final: boolean): LiveSegment {
  return { speaker: s.speaker, startMs: s.startMs, endMs: s.endMs, text: s.text, final };
}

export class LiveCaptureRun {
  readonly #kit: MeetingsKit;
  readonly #ctx: TenantContext;
  readonly #meetingId: string;
  readonly #meeting: CapturedMeeting;
  readonly #models: MeetingModels;
  readonly #feeds: LiveFeeds;
  readonly #queue: AudioQueue;
  readonly #aborter = new AbortController();
  #stored = 0;
  /** The chunk being filled: its segments so far. */
  #open: Segment[] = [];
  #storing = Promise.resolve();
  #storeError: unknown = null;
  #transcription: Promise<unknown> = Promise.resolve(null);
  #ending: Promise<Ended> | null = null;

  constructor(
    kit: MeetingsKit,
    ctx: TenantContext,
    meetingId: string,
    parts: { meeting: CapturedMeeting; models: MeetingModels; feeds: LiveFeeds; queue: AudioQueue },
  ) {
    this.#kit = kit;
    this.#ctx = ctx;
    this.#meetingId = meetingId;
    this.#meeting = parts.meeting;
    this.#models = parts.models;
    this.#feeds = parts.feeds;
    this.#queue = parts.queue;
  }

  /**
   * Starts the engine on the queue; its error (if any) is read when the capture finishes.
   * Engines that guess by reading again do so after each `interimEverySeconds` of audio.
   */
  transcribeWith(engine: Transcriber, interimEverySeconds: number): void {
    this.#transcription = engine
      .transcribe(
        { kind: 'audio-stream', format: LIVE_FORMAT, chunks: this.#queue.chunks },
        {
          signal: this.#aborter.signal,
          interimEverySeconds,
          ...(this.#meeting.language ? { language: this.#meeting.language } : {}),
          onSegment: (segment) => this.#onSegment(segment),
          onInterim: (segment) =>
            this.#publish({ type: 'segment', segment: toLive(segment, false) }),
        },
      )
      .then(
        () => null,
        (error: unknown) => error,
      );
  }

  #publish(event: LiveEvent): void {
    this.#feeds.publish(this.#ctx.tenantId, this.#meetingId, event);
  }

  /** Stores final segments in order, one after another; the first failure stops the engine. */
  #onSegment(segment: Segment): void {
    const index = this.#stored++;
    this.#storing = this.#storing.then(async () => {
      if (this.#storeError) return;
      try {
        await this.#store(index, segment);
        // Watchers see a final segment once it is safely stored.
        this.#publish({ type: 'segment', segment: toLive(segment, true) });
      } catch (error) {
        this.#storeError = error;
        this.#aborter.abort(error);
      }
    });
  }

  async #store(index: number, segment: Segment): Promise<void> {
    const kit = this.#kit;
    const n = Math.floor(index / CHUNK_SIZE);
    if (index % CHUNK_SIZE === 0) {
      // A new chunk: reserved on the meeting first, so a deletion finds it.
      this.#open = [];
      await reserveChunks(kit, this.#ctx, this.#meetingId, n + 1);
    }
    this.#open.push(segment);
    const chunk = await sealChunk(kit, this.#ctx, this.#meetingId, n, this.#open);
    await this.#models.Chunks.replaceOne({ _id: chunk._id }, chunk, { upsert: true });
  }

  push(pcm: Uint8Array): boolean {
    return this.#queue.push(pcm);
  }

  /** Ends the capture once (later calls get the same end). */
  finish(why: string | null): Promise<Ended> {
    return (this.#ending ??= this.#finished(why));
  }

  async #finished(why: string | null): Promise<Ended> {
    this.#queue.close();
    const engineError = await this.#transcription;
    await this.#queue.dispose();
    await this.#storing;
    const failure = this.#storeError ?? engineError;
    const now = this.#kit.now();
    let event: Ended;
    if (this.#stored > 0 && !this.#storeError) {
      await this.#keep(now);
      event = { type: 'ended', status: 'summarizing', segments: this.#stored };
    } else {
      const reason =
        failure instanceof Error
          ? failure.message
          : (why ?? 'No speech was recognized in the live audio.');
      await this.#fail(reason, now);
      event = { type: 'ended', status: 'failed', segments: 0, reason };
    }
    this.#publish(event);
    return event;
  }

  /** What was heard is kept and summarized, even when the engine stopped early. */
  async #keep(now: Date): Promise<void> {
    const { Meetings, lists } = this.#models;
    const meetingId = this.#meetingId;
    // Retention counts from the end of the capture (when the content arrived), whatever the
    // meeting's dates say.
    const retainFrom = now;
    await lists.addDue(DUE.pipeline, CURRENT, [meetingId]);
    await moveRetention(lists, meetingId, this.#meeting.retainFrom, retainFrom);
    await Meetings.updateOne(
      { _id: meetingId },
      {
        $set: {
          status: 'summarizing',
          segmentCount: this.#stored,
          transcribedAt: now,
          // The audio was never stored: only pieces in a private folder, removed at once.
          sourceDeletedAt: now,
          retainFrom,
          attempts: 0,
          nextAttemptAt: now,
          updatedAt: now,
        },
      },
    );
    await this.#kit.deps.queue.now(PROCESS_MEETING, { tenantId: this.#ctx.tenantId, meetingId });
  }

  /** Nothing usable was heard: the chunks written go, the meeting is marked failed. */
  async #fail(reason: string, now: Date): Promise<void> {
    const { Chunks, Meetings } = this.#models;
    const meetingId = this.#meetingId;
    const written = Math.ceil(this.#stored / CHUNK_SIZE);
    await deleteByIds(
      Chunks,
      Array.from({ length: written }, (_, n) => chunkId(meetingId, n)),
    );
    await Meetings.updateOne(
      { _id: meetingId },
      {
        $set: {
          status: 'failed',
          failure: { reason, at: now },
          sourceDeletedAt: now,
          nextAttemptAt: null,
          updatedAt: now,
        },
      },
    );
  }
}
