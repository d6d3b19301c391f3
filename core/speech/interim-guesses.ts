// Interim results for a decoder that speaks only once an utterance is over (pocketsphinx): each
// time so much new audio has arrived, what was heard since the last final utterance (at most a
// window of it) is decoded on its own as a guess, shown until a final line replaces it. One
// guess at a time, beside the decoder and never holding it back; what the final lines have
// overtaken by the time a guess is ready is not shown.
import type { Segment } from './segment.ts';

export interface InterimGuessOptions {
  /** New audio between guesses, in bytes. */
  everyBytes: number;
  /** The most audio one guess reads, in bytes. */
  windowBytes: number;
  bytesPerSecond: number;
  /** Decodes PCM on its own; times are from the start of `pcm`. */
  guess(pcm: Buffer, signal: AbortSignal): Promise<Segment[]>;
  publish(segment: Segment): void;
}

export class InterimGuesses {
  readonly #options: InterimGuessOptions;
  /** The latest audio, from byte `#recentStart` of the stream on. */
  readonly #recent: Uint8Array[] = [];
  #recentStart = 0;
  #heard = 0;
  #lastGuess = 0;
  /** Where the final utterances so far end, in bytes and milliseconds of the stream. */
  #finalBytes = 0;
  #finalMs = 0;
  #running: Promise<void> | null = null;
  readonly #aborter = new AbortController();

  constructor(options: InterimGuessOptions) {
    this.#options = options;
  }

  /** More audio reached the decoder. */
  heard(chunk: Uint8Array): void {
    if (this.#aborter.signal.aborted) return;
    this.#recent.push(chunk);
    this.#heard += chunk.length;
    this.#forgetOld();
    const { everyBytes } = this.#options;
    const due =
      this.#heard - this.#lastGuess >= everyBytes && this.#heard - this.#finalBytes >= everyBytes;
    if (due && this.#running === null) {
      this.#lastGuess = this.#heard;
      this.#running = this.#guess().finally(() => (this.#running = null));
    }
  }

  /** A final utterance ends at `endMs`: guesses need only the audio after it. */
  finalReached(endMs: number): void {
    this.#finalMs = Math.max(this.#finalMs, endMs);
    this.#finalBytes = Math.max(
      this.#finalBytes,
      Math.floor((endMs / 1000) * this.#options.bytesPerSecond) & ~1,
    );
  }

  /** No more guesses: stops the one under way and waits until it has. */
  async stop(): Promise<void> {
    this.#aborter.abort(new Error('the live audio ended'));
    await this.#running;
  }

  async #guess(): Promise<void> {
    const { windowBytes, bytesPerSecond } = this.#options;
    const from = Math.max(this.#finalBytes, this.#heard - windowBytes, this.#recentStart) & ~1;
    const pcm = Buffer.concat(this.#recent).subarray(from - this.#recentStart);
    const fromMs = Math.round((from / bytesPerSecond) * 1000);
    let found: Segment[];
    try {
      found = await this.#options.guess(pcm, this.#aborter.signal);
    } catch {
      // A guess that fails costs nothing: the final lines come from the decoder.
      return;
    }
    if (this.#aborter.signal.aborted) return;
    for (const segment of found) {
      const endMs = segment.endMs + fromMs;
      // What the final lines already say is not guessed at again.
      if (endMs <= this.#finalMs) continue;
      this.#options.publish({ ...segment, startMs: segment.startMs + fromMs, endMs });
    }
  }

  /** Keeps only the audio a guess may read. */
  #forgetOld(): void {
    const keepFrom = this.#heard - this.#options.windowBytes;
    while (this.#recent.length > 1 && this.#recentStart + this.#recent[0]!.length <= keepFrom) {
      this.#recentStart += this.#recent.shift()!.length;
    }
  }
}
