// Cuts each segment's text into sentences, remembering who said each and in which segment.
import type { Segment } from '../../speech/segment.ts';

export interface Sentence {
  /** Position among all sentences of the transcript. */
  index: number;
  /** Index of the segment it came from. */
  segment: number;
  speaker: string;
  text: string;
  isQuestion: boolean;
}

// Words whose trailing period does not end a sentence.
const ABBREVIATIONS = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'prof',
  'st',
  'vs',
  'etc',
  'e.g',
  'i.e',
  'approx',
  'no',
  'inc',
  'ltd',
  'jr',
  'sr',
  'jan',
  'feb',
  'mar',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
  'u.s',
]);

// End punctuation (with closing quotes or brackets), then space, then what can start a sentence.
const BOUNDARY = /[.!?…]+["'”’)\]]*\s+(?=["'“‘([]?[\p{Lu}\p{N}])/gu;

export function splitSentences(segments: readonly Segment[]): Sentence[] {
  const sentences: Sentence[] = [];
  segments.forEach((segment, segmentIndex) => {
    for (const text of splitText(segment.text)) {
      sentences.push({
        index: sentences.length,
        segment: segmentIndex,
        speaker: segment.speaker,
        text,
        isQuestion: /\?["'”’)\]]*$/.test(text),
      });
    }
  });
  return sentences;
}

export function splitText(text: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  for (const match of text.matchAll(BOUNDARY)) {
    const end = match.index + match[0].length;
    const before = text.slice(start, match.index);
    const lastWord = /([\p{L}.]+)$/u.exec(before)?.[1]?.toLowerCase() ?? '';
    // "Dr. Lee", "e.g. this" and an initial ("J. Smith") do not end a sentence.
    if (match[0].startsWith('.') && (ABBREVIATIONS.has(lastWord) || /^\p{L}$/u.test(lastWord))) {
      continue;
    }
    pieces.push(text.slice(start, end).trim());
    start = end;
  }
  pieces.push(text.slice(start).trim());
  return pieces.filter((p) => /[\p{L}\p{N}]/u.test(p));
}
