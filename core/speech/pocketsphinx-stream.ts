// Live audio with PocketSphinx: one decoder reads the whole stream on its standard input and
// prints each utterance when the speaker pauses, so the final segments are exactly what the
// same audio gives as a file, wherever the pauses fall. When the decoder is slower than the
// audio arrives, writing to it waits (its pipe is full) and the audio waits with the caller,
// which queues it; nothing is skipped. Guesses at the utterance under way come from
// interim-guesses.ts.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InterimGuesses } from './interim-guesses.ts';
import {
  decodeRawFile,
  PCM_BYTES_PER_SECOND,
  startStreamDecoder,
  type DecoderSettings,
} from './pocketsphinx-decoder.ts';
import type { Segment } from './segment.ts';
import {
  TranscriptionError,
  type TranscribeOptions,
  type TranscriptionSource,
} from './transcriber.ts';

export interface StreamSettings extends DecoderSettings {
  /** Where each guess's private temporary folder is made. */
  tempRoot: string;
}

type AudioStream = Extract<TranscriptionSource, { kind: 'audio-stream' }>;

export async function transcribeLive(
  settings: StreamSettings,
  source: AudioStream,
  opts: TranscribeOptions,
): Promise<Segment[]> {
  const { format } = source;
  if (format.sampleRateHz !== 16_000 || format.bitsPerSample !== 16 || format.channels !== 1) {
    throw new TranscriptionError('Live audio for PocketSphinx must be 16 kHz 16-bit mono PCM.');
  }
  const guesses = interimGuesses(settings, opts);
  const segments: Segment[] = [];
  const decoder = await startStreamDecoder(settings, {
    signal: opts.signal,
    onUtterance: (segment) => {
      segments.push(segment);
      guesses?.finalReached(segment.endMs);
      opts.onSegment?.(segment);
    },
  });
  try {
    for await (const chunk of source.chunks) {
      opts.signal?.throwIfAborted();
      await decoder.write(chunk);
      guesses?.heard(chunk);
    }
    await decoder.end();
    await decoder.done;
    return segments;
  } catch (error) {
    decoder.stop(error as Error);
    // Why the decoder ended says more than a write it no longer took.
    throw await decoder.done.then(
      () => error,
      (why: unknown) => why,
    );
  } finally {
    await guesses?.stop();
  }
}

function interimGuesses(settings: StreamSettings, opts: TranscribeOptions): InterimGuesses | null {
  const every = opts.interimEverySeconds;
  const publish = opts.onInterim;
  if (!publish || every === undefined || every <= 0) return null;
  const everyBytes = Math.round(every * PCM_BYTES_PER_SECOND) & ~1;
  return new InterimGuesses({
    everyBytes,
    // Twice the spacing: a guess reads the last piece of an utterance, as the old pieces did.
    windowBytes: everyBytes * 2,
    bytesPerSecond: PCM_BYTES_PER_SECOND,
    guess: (pcm, signal) => guessOnce(settings, pcm, signal),
    publish,
  });
}

/** Decodes PCM from a private temporary file, removed at once. */
async function guessOnce(
  settings: StreamSettings,
  pcm: Buffer,
  signal: AbortSignal,
): Promise<Segment[]> {
  const dir = await mkdtemp(path.join(settings.tempRoot, 'quorum-guess-'));
  try {
    const file = path.join(dir, 'audio.raw');
    await writeFile(file, pcm, { mode: 0o600 });
    return await decodeRawFile(settings, file, signal);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
