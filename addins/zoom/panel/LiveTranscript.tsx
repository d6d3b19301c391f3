// Live transcript lines while Quorum receives the meeting's content, from
// GET /api/meetings/:id/live/events (Server-Sent Events): `event: segment` carries
// {speaker, startMs, endMs, text, final}; `event: ended` ({status, segments}) says the meeting's
// content is complete: the capture closed, or the content had arrived otherwise before.
import { Caption1, Subtitle2, Text } from '@fluentui/react-components';
import { useEffect, useState } from 'react';

export interface LiveSegment {
  speaker: string;
  startMs: number;
  endMs: number;
  text: string;
  final: boolean;
}

function isSegment(value: unknown): value is LiveSegment {
  const v = value as Partial<LiveSegment> | null;
  return (
    typeof v?.speaker === 'string' &&
    typeof v.text === 'string' &&
    typeof v.startMs === 'number' &&
    typeof v.endMs === 'number' &&
    typeof v.final === 'boolean'
  );
}

/** What `event: ended` says: how the capture closed (or that the content was already complete). */
export interface LiveEnded {
  status: string;
  segments: number;
}

function endedOf(data: string): LiveEnded {
  try {
    const v = JSON.parse(data) as Partial<LiveEnded> | null;
    if (typeof v?.status === 'string' && typeof v.segments === 'number')
      return { status: v.status, segments: v.segments };
  } catch {
    // Not JSON: still ended.
  }
  return { status: 'unknown', segments: 0 };
}

const MAX_LINES = 200;

export function useLiveTranscript(meetingId: string | null, onEnded: () => void) {
  const [lines, setLines] = useState<LiveSegment[]>([]);
  const [interim, setInterim] = useState<LiveSegment | null>(null);
  const [state, setState] = useState<'idle' | 'live' | 'ended' | 'unavailable'>('idle');
  const [ended, setEnded] = useState<LiveEnded | null>(null);
  useEffect(() => {
    if (!meetingId || typeof EventSource === 'undefined') return;
    const source = new EventSource(`/api/meetings/${encodeURIComponent(meetingId)}/live/events`);
    source.addEventListener('open', () => setState('live'));
    source.addEventListener('segment', (event) => {
      let segment: unknown;
      try {
        segment = JSON.parse((event as MessageEvent<string>).data);
      } catch {
        return;
      }
      if (!isSegment(segment)) return;
      if (segment.final) {
        setLines((all) => [...all, segment].slice(-MAX_LINES));
        setInterim(null);
      } else {
        setInterim(segment);
      }
    });
    source.addEventListener('ended', (event) => {
      source.close();
      setInterim(null);
      setEnded(endedOf((event as MessageEvent<string>).data));
      setState('ended');
      onEnded();
    });
    source.addEventListener('error', () => {
      // Closed by the server (no live content for this meeting) rather than a dropped line,
      // which EventSource reconnects by itself.
      if (source.readyState === EventSource.CLOSED)
        setState((s) => (s === 'ended' ? s : 'unavailable'));
    });
    return () => source.close();
  }, [meetingId, onEnded]);
  return { lines, interim, state, ended };
}

/** One sentence for how the live transcript stands once nothing more is coming. */
function endedText(ended: LiveEnded | null, heardLive: boolean): string {
  switch (ended?.status) {
    case 'summarizing':
      return 'The live audio has ended. Quorum is writing the summary.';
    case 'ready':
      return heardLive
        ? 'The live audio has ended and the summary is ready.'
        : 'This meeting’s transcript is complete.';
    case 'failed':
      return heardLive
        ? 'The live audio has ended, but Quorum could not finish this meeting’s transcript.'
        : 'The live audio ended without a transcript.';
    default:
      return 'The live audio has ended.';
  }
}

export function LiveTranscript({
  lines,
  interim,
  state,
  ended,
}: ReturnType<typeof useLiveTranscript>) {
  const heardLive = lines.length > 0;
  return (
    <section aria-label="Live transcript">
      <Subtitle2 as="h2">Live transcript</Subtitle2>
      {lines.length === 0 && !interim && state !== 'ended' ? (
        <Caption1>
          {state === 'live'
            ? 'Listening: lines appear here as people speak.'
            : state === 'unavailable'
              ? 'Live lines are not available for this meeting now; the transcript and summary come after it ends.'
              : 'Lines appear here while Quorum receives the meeting; otherwise the transcript and summary come after it ends.'}
        </Caption1>
      ) : null}
      {lines.length > 0 || interim ? (
        <ol aria-live="polite" style={{ paddingLeft: 16 }}>
          {lines.map((line, i) => (
            <li key={`${line.startMs}-${i}`} data-final="true">
              <Text weight="semibold">{line.speaker}:</Text> {line.text}
            </li>
          ))}
          {interim ? (
            // Still being heard: the engine may change it, so it is shown dimmed until final.
            <li key="interim" data-final="false" style={{ opacity: 0.6 }}>
              <Text weight="semibold">{interim.speaker}:</Text> {interim.text}
            </li>
          ) : null}
        </ol>
      ) : null}
      {state === 'ended' ? <Caption1 role="status">{endedText(ended, heardLive)}</Caption1> : null}
    </section>
  );
}
