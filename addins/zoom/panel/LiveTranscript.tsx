// Live transcript lines while Quorum receives the meeting's content, from
// GET /api/meetings/:id/live/events (Server-Sent Events): `event: segment` carries
// {speaker, startMs, endMs, text, final}; `event: ended` says the meeting's content is complete.
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

const MAX_LINES = 200;

export function useLiveTranscript(meetingId: string | null, onEnded: () => void) {
  const [lines, setLines] = useState<LiveSegment[]>([]);
  const [interim, setInterim] = useState<LiveSegment | null>(null);
  const [state, setState] = useState<'idle' | 'live' | 'ended' | 'unavailable'>('idle');
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
    source.addEventListener('ended', () => {
      source.close();
      setInterim(null);
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
  return { lines, interim, state };
}

export function LiveTranscript({ lines, interim, state }: ReturnType<typeof useLiveTranscript>) {
  return (
    <section aria-label="Live transcript">
      <Subtitle2 as="h3">Live transcript</Subtitle2>
      {lines.length === 0 && !interim ? (
        <Caption1>
          {state === 'live'
            ? 'Listening: lines appear here as people speak.'
            : 'Lines appear here while Quorum receives the meeting; otherwise the transcript and summary come after it ends.'}
        </Caption1>
      ) : (
        <ol aria-live="polite" style={{ paddingLeft: 16 }}>
          {lines.map((line, i) => (
            <li key={`${line.startMs}-${i}`}>
              <Text weight="semibold">{line.speaker}:</Text> {line.text}
            </li>
          ))}
          {interim ? (
            <li key="interim" style={{ opacity: 0.6 }}>
              <Text weight="semibold">{interim.speaker}:</Text> {interim.text}
            </li>
          ) : null}
        </ol>
      )}
    </section>
  );
}
