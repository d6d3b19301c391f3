// Caption sources cut one person's turn into many short cues (Teams: a line or two each).
// Joining consecutive cues of the same speaker gives the summarizer whole turns to read.
import type { Segment } from '../segment.ts';

export interface MergeOptions {
  /** Longest silence between two cues of one turn. */
  maxGapMs: number;
  /** A turn is not grown past this length, so one segment never covers a whole monologue. */
  maxSegmentMs: number;
}

export const DEFAULT_MERGE: MergeOptions = { maxGapMs: 2_000, maxSegmentMs: 60_000 };

/**
 * Joins each segment onto the one before it when the same speaker goes on within `maxGapMs`
 * (overlap counts as no gap). Rolling captions repeat the previous line; a cue whose text is
 * already the end of the turn adds nothing. Segments must be in order of start time.
 */
export function mergeTurns<T extends Segment>(
  segments: readonly T[],
  options: MergeOptions = DEFAULT_MERGE,
): Segment[] {
  const merged: Segment[] = [];
  for (const next of segments) {
    const turn = merged.at(-1);
    const joins =
      turn !== undefined &&
      turn.speaker === next.speaker &&
      next.startMs - turn.endMs <= options.maxGapMs &&
      Math.max(turn.endMs, next.endMs) - turn.startMs <= options.maxSegmentMs;
    if (!joins) {
      merged.push(plain(next));
      continue;
    }
    turn.endMs = Math.max(turn.endMs, next.endMs);
    if (!turn.text.endsWith(next.text)) turn.text = `${turn.text} ${next.text}`;
    turn.confidence = joinConfidence(turn.confidence, next.confidence);
  }
  return merged;
}

function plain(segment: Segment): Segment {
  const { speaker, startMs, endMs, text, confidence } = segment;
  return { speaker, startMs, endMs, text, confidence };
}

/** A turn is as sure as its least sure part. */
function joinConfidence(a: number | null, b: number | null): number | null {
  if (a === null || b === null) return a ?? b;
  return Math.min(a, b);
}
