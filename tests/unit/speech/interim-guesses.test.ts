// Guesses at the utterance under way, for a decoder that speaks only at pauses: one every so
// much new audio, one at a time, over the audio since the last final line (at most a window),
// with stream times; what the final lines overtook is not shown; stopping waits for the guess
// under way. The guess itself is a plain function here (the port the engine fills with a real
// decode), answering when the test says.
import { describe, expect, it } from 'vitest';
import { InterimGuesses } from '../../../core/speech/interim-guesses.ts';
import type { Segment } from '../../../core/speech/index.ts';

const SECOND = 32_000;
/** Once every promise reaction of an answer has run (no timer involved). */
const answered = () => new Promise<void>((resolve) => setImmediate(resolve));

function harness() {
  const asked: Array<{ bytes: number; answer(found: Segment[]): void; signal: AbortSignal }> = [];
  const shown: Segment[] = [];
  const guesses = new InterimGuesses({
    everyBytes: SECOND,
    windowBytes: 2 * SECOND,
    bytesPerSecond: SECOND,
    guess: (pcm, signal) =>
      new Promise((resolve) => asked.push({ bytes: pcm.length, answer: resolve, signal })),
    publish: (segment) => shown.push(segment),
  });
  const hear = (seconds: number) => {
    for (let i = 0; i < Math.round(seconds * 10); i++) guesses.heard(new Uint8Array(SECOND / 10));
  };
  const said = (startMs: number, endMs: number, text: string): Segment => ({
    speaker: 'Speaker 1',
    startMs,
    endMs,
    text,
    confidence: 0.5,
  });
  return { guesses, asked, shown, hear, said };
}

describe('InterimGuesses', () => {
  it('guesses once a second of audio arrived, one guess at a time, then over the latest window', async () => {
    const { guesses, asked, shown, hear, said } = harness();
    hear(0.9);
    expect(asked).toHaveLength(0);
    hear(0.1);
    expect(asked.map((a) => a.bytes)).toEqual([SECOND]);
    // More audio while it guesses: no second guess until the first answered.
    hear(2);
    expect(asked).toHaveLength(1);
    asked[0]!.answer([said(100, 800, 'good morning')]);
    await answered();
    expect(shown).toEqual([said(100, 800, 'good morning')]);
    hear(0.1);
    // The window: the last 2 s of the 3.1 s heard, its times from the stream's start.
    expect(asked.map((a) => a.bytes)).toEqual([SECOND, 2 * SECOND]);
    asked[1]!.answer([said(0, 500, 'every one')]);
    await answered();
    expect(shown.at(-1)).toEqual(said(1100, 1600, 'every one'));
    await guesses.stop();
  });

  it('guesses only at what follows the final lines, and shows nothing they overtook', async () => {
    const { guesses, asked, shown, hear, said } = harness();
    hear(1);
    guesses.finalReached(1500);
    asked[0]!.answer([said(0, 900, 'good morning')]);
    await answered();
    expect(shown).toEqual([]);
    // A second of audio after the final line's end (1.5 s) is needed before guessing again,
    // and the guess reads only that.
    hear(1.4);
    expect(asked).toHaveLength(1);
    hear(0.1);
    expect(asked.map((a) => a.bytes)).toEqual([SECOND, SECOND]);
    asked[1]!.answer([said(0, 400, 'let us')]);
    await answered();
    expect(shown).toEqual([said(1500, 1900, 'let us')]);
    await guesses.stop();
  });

  it('stops the guess under way and waits for it; nothing is shown after', async () => {
    const { guesses, asked, shown, hear, said } = harness();
    hear(1);
    let stopped = false;
    const stopping = guesses.stop().then(() => (stopped = true));
    expect(asked[0]!.signal.aborted).toBe(true);
    await answered();
    expect(stopped).toBe(false);
    asked[0]!.answer([said(0, 900, 'late')]);
    await stopping;
    hear(5);
    expect(asked).toHaveLength(1);
    expect(shown).toEqual([]);
  });
});
