// Live content through Zoom RTMS (@zoom/rtms). The package wraps Zoom's native C SDK, which
// its install script downloads from the internet; where that failed (offline machines such as
// our CI) the package is present but cannot load. So it is imported only when RTMS is
// configured, inside a try, and when it is missing or unusable Quorum says so once at start-up
// and relies on the post-meeting transcript (recording.transcript_completed) instead.
import type { Logger } from '../../core/logger.ts';

/** The slice of @zoom/rtms Quorum uses (see node_modules/@zoom/rtms/rtms.d.ts). */
interface RtmsClient {
  onTranscriptData(
    callback: (
      buffer: Buffer,
      size: number,
      timestamp: number,
      metadata: { userName: string; startTs: number; endTs: number },
    ) => void,
  ): boolean;
  onLeave(callback: (reason: number) => void): boolean;
  join(params: {
    meeting_uuid: string;
    rtms_stream_id: string;
    server_urls: string;
    client: string;
    secret: string;
  }): boolean;
  leave(): boolean;
}
interface RtmsModule {
  Client: new () => RtmsClient;
}

export interface RtmsStartedPayload {
  meeting_uuid: string;
  rtms_stream_id: string;
  server_urls: string;
}

export interface LiveSegment {
  speaker: string;
  startMs: number;
  endMs: number;
  text: string;
}

export interface RtmsLive {
  /** Joins the stream; transcript pieces go to `onSegment`, the end to `onEnd`. */
  join(
    payload: RtmsStartedPayload,
    handlers: { onSegment: (segment: LiveSegment) => void; onEnd: () => void },
  ): void;
  /** Leaves a meeting's stream (meeting.ended or rtms_stopped). */
  leave(meetingUuid: string): void;
  leaveAll(): void;
}

/**
 * Loads @zoom/rtms when RTMS is configured. Undefined (with one clear log line) when it is not
 * configured, not installed, or its native SDK is absent.
 */
export async function loadRtms(options: {
  enabled: boolean;
  clientId: string;
  clientSecret: string;
  logger: Logger;
  /** For tests: the module specifier to load. */
  specifier?: string;
}): Promise<RtmsLive | undefined> {
  if (!options.enabled) return undefined;
  let mod: RtmsModule;
  try {
    const loaded = (await import(options.specifier ?? '@zoom/rtms')) as {
      default?: RtmsModule;
    } & RtmsModule;
    mod = loaded.default ?? loaded;
    if (typeof mod.Client !== 'function') throw new Error('the package has no Client');
  } catch (error) {
    options.logger.warn(
      { reason: (error as Error).message.split('\n')[0] },
      'Zoom RTMS is configured (ZOOM_RTMS=true) but @zoom/rtms or its native SDK cannot be loaded on this machine; live Zoom content is off, and meetings get their transcript after they end (recording.transcript_completed)',
    );
    return undefined;
  }
  options.logger.info('Zoom RTMS is on: live transcripts join when meeting.rtms_started arrives');
  const clients = new Map<string, RtmsClient>();
  return {
    join(payload, handlers) {
      if (clients.has(payload.meeting_uuid)) return;
      const client = new mod.Client();
      clients.set(payload.meeting_uuid, client);
      client.onTranscriptData((buffer, _size, timestamp, metadata) => {
        handlers.onSegment({
          speaker: metadata.userName || 'Unknown speaker',
          startMs: metadata.startTs || timestamp,
          endMs: metadata.endTs || timestamp,
          text: buffer.toString('utf8'),
        });
      });
      client.onLeave(() => {
        clients.delete(payload.meeting_uuid);
        handlers.onEnd();
      });
      client.join({
        ...payload,
        client: options.clientId,
        secret: options.clientSecret,
      });
    },
    leave(meetingUuid) {
      clients.get(meetingUuid)?.leave();
      clients.delete(meetingUuid);
    },
    leaveAll() {
      for (const client of clients.values()) client.leave();
      clients.clear();
    },
  };
}
