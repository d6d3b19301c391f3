// Live audio of a meeting: PCM arrives (a meeting bot's or panel's socket), a streaming engine
// turns it into interim and final segments, final segments are sealed and stored as they come
// (the transcript chunk being filled is written again with each one),
// and everyone watching the meeting gets each segment as it is heard. When the capture ends the
// normal pipeline takes over (summary, outbox, retention).
//
// The feed is held in this process: watchers must be connected to the node that takes the audio
// (route a meeting's /live and /live/events to the same node, e.g. by meeting id).
import type { Segment, Transcriber } from '../../speech/index.ts';
import { chunkedStreamTranscriber } from '../../speech/chunked-stream.ts';
import type { TenantContext } from '../../store/tenant-context.ts';
import { MeetingError } from '../errors.ts';
import { deleteByIds } from '../../store/by-id.ts';
import { PROCESS_MEETING } from '../job-names.ts';
import type { MeetingsKit } from '../kit.ts';
import { CURRENT, DUE } from '../lists.ts';
import { moveRetention } from '../listing.ts';
import type { MeetingsService } from '../meetings-service.ts';
import type { MeetingActor } from '../records/access.ts';
import { CHUNK_SIZE } from '../models.ts';
import { chunkId, reserveChunks, sealChunk } from '../transcript-store.ts';

/** What a watcher receives for each segment: exactly the Zoom panel's contract. */
export interface LiveSegment {
  speaker: string;
  startMs: number;
  endMs: number;
  text: string;
  /** False while the engine may still change it; true once it is stored. */
  final: boolean;
}

export type LiveEvent =
  | { type: 'segment'; segment: LiveSegment }
  | { type: 'ended'; status: 'summarizing' | 'failed'; segments: number; reason?: string };

/** Live audio as accepted: 16 kHz mono 16-bit little-endian PCM. */
export const LIVE_FORMAT = { sampleRateHz: 16_000, channels: 1, bitsPerSample: 16 } as const;

interface Feed {
  listeners: Set<(event: LiveEvent) => void>;
  /** Final segments so far, for watchers who join late (memory only, while capturing). */
  finals: LiveSegment[];
  capturing: boolean;
}

export class LiveFeeds {
  readonly #feeds = new Map<string, Feed>();

  #feed(key: string): Feed {
    let feed = this.#feeds.get(key);
    if (!feed) {
      feed = { listeners: new Set(), finals: [], capturing: false };
      this.#feeds.set(key, feed);
    }
    return feed;
  }

  #drop(key: string): void {
    const feed = this.#feeds.get(key);
    if (feed && !feed.capturing && feed.listeners.size === 0) this.#feeds.delete(key);
  }

  /** Listens to a meeting's feed; `catchUp` holds the final segments heard before. */
  watch(
    tenantId: string,
    meetingId: string,
    listener: (event: LiveEvent) => void,
  ): { catchUp: LiveSegment[]; capturing: boolean; stop(): void } {
    const key = `${tenantId}:${meetingId}`;
    const feed = this.#feed(key);
    feed.listeners.add(listener);
    return {
      catchUp: [...feed.finals],
      capturing: feed.capturing,
      stop: () => {
        feed.listeners.delete(listener);
        this.#drop(key);
      },
    };
  }

  isCapturing(tenantId: string, meetingId: string): boolean {
    return this.#feeds.get(`${tenantId}:${meetingId}`)?.capturing ?? false;
  }

  /** Marks a capture started; false when this node already captures the meeting. */
  start(tenantId: string, meetingId: string): boolean {
    const feed = this.#feed(`${tenantId}:${meetingId}`);
    if (feed.capturing) return false;
    feed.capturing = true;
    feed.finals = [];
    return true;
  }

  publish(tenantId: string, meetingId: string, event: LiveEvent): void {
    const key = `${tenantId}:${meetingId}`;
    const feed = this.#feed(key);
    if (event.type === 'segment' && event.segment.final) feed.finals.push(event.segment);
    if (event.type === 'ended') {
      feed.capturing = false;
      feed.finals = [];
    }
    for (const listener of [...feed.listeners]) {
      try {
        listener(event);
      } catch {
        // A watcher that fails (a closed connection) does not stop the others.
      }
    }
    this.#drop(key);
  }
}

export interface LiveCapture {
  readonly engine: string;
  /** Adds PCM; false when too much is waiting for the engine (the sender is too fast). */
  push(pcm: Uint8Array): boolean;
  /** No more audio: resolves once everything heard is stored and the pipeline is queued. */
  end(): Promise<LiveEvent & { type: 'ended' }>;
  /** Stops at once (a dropped connection): what was stored is kept and summarized. */
  abort(reason: string): Promise<LiveEvent & { type: 'ended' }>;
}

export interface LiveOptions {
  /** Seconds per piece when a file engine (pocketsphinx) stands in for a streaming one. */
  chunkSeconds?: number | undefined;
  /** Most audio waiting for the engine before the sender is told to slow down. Default 60 s. */
  maxBufferedSeconds?: number;
}

export interface LiveMeetings {
  readonly feeds: LiveFeeds;
  begin(ctx: TenantContext, actor: MeetingActor, meetingId: string): Promise<LiveCapture>;
}

export function createLiveMeetings(
  kit: MeetingsKit,
  service: MeetingsService,
  options: LiveOptions = {},
): LiveMeetings {
  const feeds = new LiveFeeds();
  const maxBufferedBytes = (options.maxBufferedSeconds ?? 60) * LIVE_FORMAT.sampleRateHz * 2;

  function streamingEngine(engine: Parameters<MeetingsKit['transcriber']>[0]): Transcriber {
    const chosen = kit.transcriber(engine);
    if (chosen?.accepts.has('audio-stream')) return chosen;
    if (chosen?.accepts.has('audio-file')) {
      return chunkedStreamTranscriber(chosen, {
        chunkSeconds: options.chunkSeconds ?? 10,
        tempRoot: kit.files.workRoot,
      });
    }
    throw new MeetingError(
      'invalid',
      `Your organization transcribes with ${engine}, which this deployment does not have; ` +
        'an administrator can choose another engine in the settings.',
    );
  }

  return {
    feeds,
    async begin(ctx, actor, meetingId) {
      const { transcriptionEngine } = await kit.settings(ctx);
      const engine = streamingEngine(transcriptionEngine);
      if (!feeds.start(ctx.tenantId, meetingId)) {
        throw new MeetingError('conflict', 'Live audio for this meeting is already being taken.');
      }
      let meeting: { language: string | null; endsAt: Date; retainFrom: Date };
      try {
        meeting = await service.takeLiveAudio(ctx, actor, meetingId, transcriptionEngine);
      } catch (error) {
        feeds.publish(ctx.tenantId, meetingId, {
          type: 'ended',
          status: 'failed',
          segments: 0,
          reason: 'not started',
        });
        throw error;
      }

      // The queue between the socket and the engine.
      const waiting: Uint8Array[] = [];
      let waitingBytes = 0;
      let closed = false;
      let wake: (() => void) | null = null;
      const aborter = new AbortController();
      const chunks: AsyncIterable<Uint8Array> = {
        async *[Symbol.asyncIterator]() {
          for (;;) {
            const next = waiting.shift();
            if (next) {
              waitingBytes -= next.length;
              yield next;
              continue;
            }
            if (closed) return;
            await new Promise<void>((resolve) => (wake = resolve));
            wake = null;
          }
        },
      };

      const { Chunks, Meetings, lists } = await kit.models(ctx);
      let stored = 0;
      // The chunk being filled: its segments so far.
      let open: Segment[] = [];
      let storing = Promise.resolve();
      let storeError: unknown = null;
      const toLive = (s: Segment, final: boolean): LiveSegment => ({
        speaker: s.speaker,
        startMs: s.startMs,
        endMs: s.endMs,
        text: s.text,
        final,
      });
      const onSegment = (segment: Segment) => {
        const index = stored++;
        storing = storing.then(async () => {
          if (storeError) return;
          try {
            const n = Math.floor(index / CHUNK_SIZE);
            if (index % CHUNK_SIZE === 0) {
              // A new chunk: reserved on the meeting first, so a deletion finds it.
              open = [];
              await reserveChunks(kit, ctx, meetingId, n + 1);
            }
            open.push(segment);
            const chunk = await sealChunk(kit, ctx, meetingId, n, open);
            await Chunks.replaceOne({ _id: chunk._id }, chunk, { upsert: true });
            // Watchers see a final segment once it is safely stored.
            feeds.publish(ctx.tenantId, meetingId, {
              type: 'segment',
              segment: toLive(segment, true),
            });
          } catch (error) {
            storeError = error;
            aborter.abort(error);
          }
        });
      };
      const transcription = engine
        .transcribe(
          { kind: 'audio-stream', format: LIVE_FORMAT, chunks },
          {
            signal: aborter.signal,
            ...(meeting.language ? { language: meeting.language } : {}),
            onSegment,
            onInterim: (segment) =>
              feeds.publish(ctx.tenantId, meetingId, {
                type: 'segment',
                segment: toLive(segment, false),
              }),
          },
        )
        .then(
          () => null,
          (error: unknown) => error,
        );

      let ending: Promise<LiveEvent & { type: 'ended' }> | null = null;
      const finish = (why: string | null) =>
        (ending ??= (async () => {
          closed = true;
          wake?.();
          const engineError = await transcription;
          await storing;
          const failure = storeError ?? engineError;
          const now = kit.now();
          let event: LiveEvent & { type: 'ended' };
          if (stored > 0 && !storeError) {
            // What was heard is kept and summarized, even when the engine stopped early.
            const retainFrom = meeting.endsAt > now ? meeting.endsAt : now;
            await lists.addDue(DUE.pipeline, CURRENT, [meetingId]);
            await moveRetention(lists, meetingId, meeting.retainFrom, retainFrom);
            await Meetings.updateOne(
              { _id: meetingId },
              {
                $set: {
                  status: 'summarizing',
                  segmentCount: stored,
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
            await kit.deps.queue.now(PROCESS_MEETING, { tenantId: ctx.tenantId, meetingId });
            event = { type: 'ended', status: 'summarizing', segments: stored };
          } else {
            const reason =
              failure instanceof Error
                ? failure.message
                : (why ?? 'No speech was recognized in the live audio.');
            const written = Math.ceil(stored / CHUNK_SIZE);
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
            event = { type: 'ended', status: 'failed', segments: 0, reason };
          }
          feeds.publish(ctx.tenantId, meetingId, event);
          return event;
        })());

      return {
        engine: transcriptionEngine,
        push(pcm) {
          if (closed) return false;
          if (waitingBytes + pcm.length > maxBufferedBytes) return false;
          waiting.push(pcm);
          waitingBytes += pcm.length;
          wake?.();
          return true;
        },
        end: () => finish(null),
        abort(reason) {
          waiting.length = 0;
          waitingBytes = 0;
          return finish(reason);
        },
      };
    },
  };
}
