// Reads what `pocketsphinx_continuous -time yes` prints: for each utterance its hypothesis on
// one line, then one line per word: "word start-seconds end-seconds posterior", ending with
// the sentence end "</s>". Alternative pronunciations carry a suffix ("was(2)"); silences,
// sentence marks and noises are fillers. The reader takes the output in any pieces, as a
// decoder reading live audio prints it, and gives each utterance once it is complete; a whole
// file's output read at once gives the very same segments.
import type { Segment } from './segment.ts';

const WORD_LINE = /^(\S+) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)$/;
const FILLER = /^(?:<s>|<\/s>|<sil>|\[[A-Z_]+\]|\+\+.*\+\+)$/;
const UTTERANCE_END = '</s>';

interface Word {
  text: string;
  startMs: number;
  endMs: number;
  posterior: number;
}

export class PocketsphinxReader {
  readonly #speaker: string;
  /** The end of the output not yet read: a line still being printed. */
  #partial = '';
  /** The words of the utterance being read, or null between utterances. */
  #current: Word[] | null = null;

  constructor(speaker: string) {
    this.#speaker = speaker;
  }

  /** Reads more output; gives the utterances it completed. */
  read(text: string): Segment[] {
    const lines = (this.#partial + text).split('\n');
    this.#partial = lines.pop() ?? '';
    return lines.flatMap((line) => this.#line(line.trim()));
  }

  /** The output ended: gives the utterance still open, if any. */
  end(): Segment[] {
    const last = this.#line(this.#partial.trim());
    this.#partial = '';
    return [...last, ...this.#close()];
  }

  #line(line: string): Segment[] {
    if (line === '') return [];
    const match = WORD_LINE.exec(line);
    // A hypothesis line opens the next utterance.
    if (match === null) {
      const closed = this.#close();
      this.#current = [];
      return closed;
    }
    if (match[1] === UTTERANCE_END) return this.#close();
    if (FILLER.test(match[1]!)) return [];
    (this.#current ??= []).push({
      text: match[1]!.replace(/\(\d+\)$/, ''),
      startMs: Math.round(Number(match[2]) * 1000),
      endMs: Math.round(Number(match[3]) * 1000),
      posterior: Math.min(1, Math.max(0, Number(match[4]))),
    });
    return [];
  }

  /** One segment for the utterance being read when it has a real word; confidence is the mean posterior. */
  #close(): Segment[] {
    const words = this.#current;
    this.#current = null;
    if (words === null || words.length === 0) return [];
    return [
      {
        speaker: this.#speaker,
        startMs: words[0]!.startMs,
        endMs: words.at(-1)!.endMs,
        text: words.map((w) => w.text).join(' '),
        confidence: round3(words.reduce((sum, w) => sum + w.posterior, 0) / words.length),
      },
    ];
  }
}

/** One segment per utterance that has at least one real word. */
export function readPocketsphinxOutput(stdout: string, speaker: string): Segment[] {
  const reader = new PocketsphinxReader(speaker);
  return [...reader.read(stdout), ...reader.end()];
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
