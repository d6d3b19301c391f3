// Reads what `pocketsphinx_continuous -time yes` prints: for each utterance its hypothesis on
// one line, then one line per word: "word start-seconds end-seconds posterior". Alternative
// pronunciations carry a suffix ("was(2)"); silences, sentence marks and noises are fillers.
import type { Segment } from './segment.ts';

const WORD_LINE = /^(\S+) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)$/;
const FILLER = /^(?:<s>|<\/s>|<sil>|\[[A-Z_]+\]|\+\+.*\+\+)$/;

interface Word {
  text: string;
  startMs: number;
  endMs: number;
  posterior: number;
}

/** One segment per utterance that has at least one real word; confidence is the mean posterior. */
export function readPocketsphinxOutput(stdout: string, speaker: string): Segment[] {
  const utterances: Word[][] = [];
  let current: Word[] | null = null;
  for (const raw of stdout.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const match = WORD_LINE.exec(line);
    if (match === null) {
      // A hypothesis line opens the next utterance.
      current = [];
      utterances.push(current);
      continue;
    }
    if (FILLER.test(match[1]!)) continue;
    if (current === null) {
      current = [];
      utterances.push(current);
    }
    current.push({
      text: match[1]!.replace(/\(\d+\)$/, ''),
      startMs: Math.round(Number(match[2]) * 1000),
      endMs: Math.round(Number(match[3]) * 1000),
      posterior: Math.min(1, Math.max(0, Number(match[4]))),
    });
  }

  return utterances
    .filter((words) => words.length > 0)
    .map((words) => ({
      speaker,
      startMs: words[0]!.startMs,
      endMs: words.at(-1)!.endMs,
      text: words.map((w) => w.text).join(' '),
      confidence: round3(words.reduce((sum, w) => sum + w.posterior, 0) / words.length),
    }));
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
