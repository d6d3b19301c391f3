// Live capture of a Zoom meeting: what RTMS streams while it runs, handed to the meeting
// pipeline as captions when it ends. Without RTMS (the usual case here) nothing is captured
// live and the transcript Zoom posts after the meeting is used instead.
import type { Logger } from '../../../core/logger.ts';
import { MeetingError, type MeetingsService } from '../../../core/meetings/index.ts';
import type { LiveSegment, RtmsLive } from '../rtms.ts';
import type { LiveCapture } from './events.ts';
import type { MeetingResolver } from '../store/meetings.ts';

function stamp(ms: number): string {
  const t = Math.max(0, Math.round(ms));
  const h = Math.floor(t / 3_600_000);
  const m = Math.floor((t % 3_600_000) / 60_000);
  const s = Math.floor((t % 60_000) / 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(t % 1000, 3)}`;
}

/** Zoom-style WebVTT (`Speaker: text` cues), the format the captions transcriber reads. */
export function segmentsToVtt(segments: readonly LiveSegment[]): string {
  const origin = Math.min(...segments.map((s) => s.startMs));
  const cues = segments
    .filter((s) => s.text.trim() !== '')
    .map((s, i) => {
      const end = Math.max(s.endMs, s.startMs + 1000);
      return `${i + 1}\n${stamp(s.startMs - origin)} --> ${stamp(end - origin)}\n${s.speaker.replace(/:/g, ' ')}: ${s.text.replace(/\s+/g, ' ').trim()}`;
    });
  return `WEBVTT\n\n${cues.join('\n\n')}\n`;
}

export function createLiveCapture(deps: {
  rtms: RtmsLive | undefined;
  resolver: MeetingResolver;
  meetings: MeetingsService;
  logger: Logger;
}): LiveCapture & { stop(): void } {
  const buffers = new Map<string, LiveSegment[]>();
  return {
    started(payload) {
      if (!deps.rtms) {
        deps.logger.info(
          'meeting.rtms_started arrived, but RTMS cannot run here; the transcript comes after the meeting',
        );
        return;
      }
      buffers.set(payload.meeting_uuid, []);
      deps.rtms.join(payload, {
        onSegment: (segment) => buffers.get(payload.meeting_uuid)?.push(segment),
        onEnd: () => deps.logger.info('Zoom RTMS stream ended'),
      });
    },
    async ended(meetingUuid, facts) {
      deps.rtms?.leave(meetingUuid);
      const segments = buffers.get(meetingUuid);
      if (!segments || segments.length === 0 || !facts) return;
      buffers.delete(meetingUuid);
      const resolved = await deps.resolver.resolve(facts);
      if ('problem' in resolved) {
        deps.logger.warn(`Zoom live transcript not kept: ${resolved.problem}`);
        return;
      }
      try {
        await deps.meetings.addCaptions(resolved.ctx, resolved.actor, resolved.meetingId, {
          format: 'webvtt',
          text: segmentsToVtt(segments),
        });
      } catch (error) {
        if (error instanceof MeetingError && error.code === 'conflict') return;
        throw error;
      }
    },
    stop() {
      deps.rtms?.leaveAll();
      buffers.clear();
    },
  };
}
