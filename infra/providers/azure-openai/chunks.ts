// Splits a transcript into pieces that each fit a prompt budget, so a long meeting is summarized
// in parts and merged, never cut off. Tokens are estimated from characters (no tokenizer for
// every model is at hand): one token per three characters over-counts English (about four), so
// a piece estimated within budget is within it.
import type { Segment } from '../../../core/speech/segment.ts';

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 3);
}

/** One transcript line as the model reads it: "[12] Ana Lopez (03:41): text". */
export function transcriptLine(index: number, segment: Segment, text = segment.text): string {
  return `[${index}] ${segment.speaker} (${clock(segment.startMs)}): ${text.trim()}`;
}

function clock(ms: number): string {
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/**
 * Transcript lines grouped so each group's estimated tokens stay within `budget`. A segment
 * longer than the budget on its own is cut at word boundaries into several lines that keep its
 * index, so the model can still point at it.
 */
export function chunkTranscript(segments: readonly Segment[], budget: number): string[][] {
  if (budget < 50) throw new RangeError('the transcript budget must be at least 50 tokens');
  const chunks: string[][] = [];
  let current: string[] = [];
  let used = 0;
  const push = (line: string) => {
    const cost = estimateTokens(line) + 1;
    if (used + cost > budget && current.length > 0) {
      chunks.push(current);
      current = [];
      used = 0;
    }
    current.push(line);
    used += cost;
  };
  segments.forEach((segment, index) => {
    const line = transcriptLine(index, segment);
    if (estimateTokens(line) + 1 <= budget) return push(line);
    for (const piece of splitText(
      segment.text,
      budget,
      transcriptLine(index, segment, '').length,
    )) {
      push(transcriptLine(index, segment, piece));
    }
  });
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Text cut into pieces whose line (prefix + piece) fits the budget. */
function splitText(text: string, budget: number, prefixChars: number): string[] {
  const maxChars = Math.max(1, (budget - 1) * 3 - prefixChars);
  const pieces: string[] = [];
  let piece = '';
  for (const word of text.trim().split(/\s+/)) {
    for (let w = word; w.length > 0; w = w.slice(maxChars)) {
      const part = w.slice(0, maxChars);
      const next = piece === '' ? part : `${piece} ${part}`;
      if (next.length > maxChars) {
        pieces.push(piece);
        piece = part;
      } else piece = next;
    }
  }
  if (piece !== '') pieces.push(piece);
  return pieces;
}

/** Items grouped so each group's rendering stays within `budget`; every group has at least one. */
export function groupWithin<T>(
  items: readonly T[],
  render: (t: T) => string,
  budget: number,
): T[][] {
  const groups: T[][] = [];
  let current: T[] = [];
  let used = 0;
  for (const item of items) {
    const cost = estimateTokens(render(item)) + 1;
    if (used + cost > budget && current.length > 0) {
      groups.push(current);
      current = [];
      used = 0;
    }
    current.push(item);
    used += cost;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}
