// Live audio of a meeting: PCM arrives (a meeting bot's or panel's socket), a streaming engine
// turns it into interim and final segments, final segments are sealed and stored as they come
// (the transcript chunk being filled is written again with each one),
// and everyone watching the meeting gets each segment as it is heard. When the capture ends the
// normal pipeline takes over (summary, outbox, retention).
//
// The feeds (live-feeds.ts) are held in this process: watchers must be connected to the node
// that takes the audio (route a meeting's /live and /live/events to the same node, e.g. by
// meeting id). One capture's queue, storing and end are in live-capture.ts.
import type { Transcriber } from '../../speech/index.ts';
import { chunkedStreamTranscriber } from '../../speech/chunked-stream.ts';
import type { TenantContext } from '../../store/tenant-context.ts';
import { MeetingError } from '../errors.ts';
import type { MeetingsKit } from '../kit.ts';
import type { MeetingsService } from '../meetings-service.ts';
import type { MeetingActor } from '../records/access.ts';
import { AudioQueue, LiveCaptureRun, type CapturedMeeting } from './live-capture.ts';
import { LIVE_FORMAT, LiveFeeds, type LiveEvent } from './live-feeds.ts';

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
      const queue = new AudioQueue(maxBufferedBytes);
      const models = await kit.models(ctx);
      const run = new LiveCaptureRun(kit, ctx, meetingId, { meeting, models, feeds, queue });
      run.transcribeWith(engine);
      return {
        engine: transcriptionEngine,
        push: (pcm) => run.push(pcm),
        end: () => run.finish(null),
        abort(reason) {
          queue.clear();
          return run.finish(reason);
        },
      };
    },
  };
}
