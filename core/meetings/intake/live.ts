// Live audio of a meeting: PCM arrives (a meeting bot's or panel's socket), a streaming engine
// turns it into interim and final segments, final segments are sealed and stored as they come
// (the transcript chunk being filled is written again with each one),
// and everyone watching the meeting gets each segment as it is heard. When the capture ends the
// normal pipeline takes over (summary, outbox, retention).
//
// The feeds (live-feeds.ts) are held in this process: watchers must be connected to the node
// that takes the audio (route a meeting's /live and /live/events to the same node, e.g. by
// meeting id). One capture's storing and end are in live-capture.ts; the queue that holds audio
// while the engine is behind (never dropping it) is audio-queue.ts.
import type { Transcriber } from '../../speech/index.ts';
import { chunkedStreamTranscriber } from '../../speech/chunked-stream.ts';
import type { TenantContext } from '../../store/tenant-context.ts';
import { MeetingError } from '../errors.ts';
import type { MeetingsKit } from '../kit.ts';
import type { MeetingsService } from '../meetings-service.ts';
import type { MeetingActor } from '../records/access.ts';
import { AudioQueue } from './audio-queue.ts';
import { LiveCaptureRun, type CapturedMeeting } from './live-capture.ts';
import { LIVE_FORMAT, LiveFeeds, type LiveEvent } from './live-feeds.ts';

export interface LiveCapture {
  readonly engine: string;
  /**
   * Adds PCM, which waits for the engine however slow it is; false only when more audio
   * waits than the organization's recording limit.
   */
  push(pcm: Uint8Array): boolean;
  /** No more audio: resolves once everything heard is stored and the pipeline is queued. */
  end(): Promise<LiveEvent & { type: 'ended' }>;
  /** Stops at once (the server shuts down): what was stored is kept and summarized. */
  abort(reason: string): Promise<LiveEvent & { type: 'ended' }>;
}

export interface LiveOptions {
  /**
   * Seconds per piece when an engine that reads only files (Whisper) stands in for a
   * streaming one; engines that read the stream whole (pocketsphinx) guess at what is being
   * said after each half of it.
   */
  chunkSeconds?: number | undefined;
  /** Most audio waiting for the engine in memory; more waits in a sealed file. Default 10 s. */
  memorySeconds?: number;
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
  const bytesPerSecond = LIVE_FORMAT.sampleRateHz * 2;
  const memoryBytes = (options.memorySeconds ?? 10) * bytesPerSecond;
  const chunkSeconds = options.chunkSeconds ?? 10;

  function streamingEngine(engine: Parameters<MeetingsKit['transcriber']>[0]): Transcriber {
    const chosen = kit.transcriber(engine);
    if (chosen?.accepts.has('audio-stream')) return chosen;
    if (chosen?.accepts.has('audio-file')) {
      return chunkedStreamTranscriber(chosen, {
        chunkSeconds,
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
      const { transcriptionEngine, recordingLimitMb } = await kit.settings(ctx);
      const engine = streamingEngine(transcriptionEngine);
      if (!feeds.start(ctx.tenantId, meetingId)) {
        throw new MeetingError('conflict', 'Live audio for this meeting is already being taken.');
      }
      let meeting: CapturedMeeting;
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
      // What waits for the engine may be as large as a recording the organization accepts.
      const queue = new AudioQueue({
        memoryBytes,
        maxWaitingBytes: recordingLimitMb * 1024 * 1024,
        spoolRoot: kit.files.workRoot,
      });
      const models = await kit.models(ctx);
      const run = new LiveCaptureRun(kit, ctx, meetingId, { meeting, models, feeds, queue });
      run.transcribeWith(engine, chunkSeconds / 2);
      return {
        engine: transcriptionEngine,
        push: (pcm) => run.push(pcm),
        end: () => run.finish(null),
        abort(reason) {
          queue.discard();
          return run.finish(reason);
        },
      };
    },
  };
}
