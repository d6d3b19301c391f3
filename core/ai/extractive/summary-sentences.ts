// Picks the summary: the most central statements by TextRank, not repeating one another,
// told in the order they were said.
import type { Sentence } from './sentences.ts';
import { contentTerms } from './terms.ts';
import { textRank } from './text-rank.ts';

// A statement needs this many content words to say something on its own.
const MIN_TERMS = 4;
// Two picks more alike than this say the same thing; the lower-ranked one is left out.
const MAX_OVERLAP = 0.5;
const MIN_PICKS = 3;
const MAX_PICKS = 10;

export function pickSummary(sentences: readonly Sentence[]): string[] {
  const candidates = sentences
    .filter((s) => !s.isQuestion)
    .map((s) => ({ sentence: s, terms: contentTerms(s.text) }))
    .filter((c) => c.terms.length >= MIN_TERMS);
  if (candidates.length === 0) return [];

  const { scores, similarity } = textRank(candidates.map((c) => c.terms));
  // About the square root of the length, halved: 3 sentences for a stand-up, 10 for an hour.
  const wanted = Math.min(
    MAX_PICKS,
    Math.max(MIN_PICKS, Math.round(Math.sqrt(candidates.length) / 2)),
  );

  const order = candidates.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
  const picked: number[] = [];
  for (const i of order) {
    if (picked.length === wanted) break;
    if (picked.some((p) => similarity(p, i) > MAX_OVERLAP)) continue;
    picked.push(i);
  }
  return picked.sort((a, b) => a - b).map((i) => candidates[i]!.sentence.text);
}
