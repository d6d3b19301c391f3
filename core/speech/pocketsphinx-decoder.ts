// The one way Quorum runs the PocketSphinx decoder: on 16 kHz mono 16-bit raw PCM, read from a
// file (a recording, once converted) or from a named pipe (live audio, as it arrives). Both
// read the samples the same way with the same flags, so live audio decodes to exactly what the
// same audio gives as a file.
import { stat } from 'node:fs/promises';
import { NamedPipeWriter } from './named-pipe.ts';
import { PocketsphinxReader } from './pocketsphinx-output.ts';
import { startProcess } from './run-process.ts';
import { numberedSpeaker, type Segment } from './segment.ts';
import { TranscriptionError } from './transcriber.ts';

export interface PocketsphinxModel {
  /** Acoustic model directory (-hmm). */
  hmm: string;
  /** Language model (-lm). */
  lm: string;
  /** Pronunciation dictionary (-dict). */
  dict: string;
}

export interface DecoderSettings {
  pocketsphinx: string;
  model: PocketsphinxModel;
  /** Deadline for decoding: a fixed part plus so much per second of audio. */
  decodeTimeout: { baseMs: number; perAudioSecondMs: number };
}

/** Bytes per second of the PCM the decoder reads. */
export const PCM_BYTES_PER_SECOND = 16_000 * 2;
const INSTALL_HINT = 'apt-get install pocketsphinx pocketsphinx-en-us';

function decoderSpeaker(): string {
  return numberedSpeaker(1);
}

function decoderArgs(settings: DecoderSettings, infile: string): string[] {
  // A name not ending in .wav is read as raw samples (pocketsphinx would skip 44 bytes of a
  // .wav as its header, whatever the header's real length).
  return [
    '-infile',
    infile,
    '-time',
    'yes',
    '-hmm',
    settings.model.hmm,
    '-lm',
    settings.model.lm,
    '-dict',
    settings.model.dict,
  ];
}

function decodeDeadlineMs(settings: DecoderSettings, pcmBytes: number): number {
  const { baseMs, perAudioSecondMs } = settings.decodeTimeout;
  return Math.round(baseMs + (perAudioSecondMs * pcmBytes) / PCM_BYTES_PER_SECOND);
}

/** Decodes a raw PCM file. */
export async function decodeRawFile(
  settings: DecoderSettings,
  file: string,
  signal: AbortSignal | undefined,
): Promise<Segment[]> {
  const { size } = await stat(file);
  const reader = new PocketsphinxReader(decoderSpeaker());
  const found: Segment[] = [];
  const run = startProcess(settings.pocketsphinx, decoderArgs(settings, file), {
    timeoutMs: decodeDeadlineMs(settings, size),
    signal,
    installHint: INSTALL_HINT,
    onStdout: (text) => found.push(...reader.read(text)),
  });
  await run.done;
  return [...found, ...reader.end()];
}

/** A decoder reading live audio as it is written. */
export interface StreamDecoder {
  /** Resolves once the decoder may take more, so a slow decoder holds the writer back. */
  write(chunk: Uint8Array): Promise<void>;
  /** No more audio: it has until the deadline (as for a file of all the audio) to finish. */
  end(): Promise<void>;
  stop(why: Error): void;
  /** Settles once it exited, after the last utterance went to `onUtterance`. */
  readonly done: Promise<unknown>;
}

/**
 * Starts a decoder reading PCM as it is written; each utterance goes to `onUtterance` as soon
 * as the decoder prints it, the last one when it exits. It reads a named pipe (named-pipe.ts).
 */
export async function startStreamDecoder(
  settings: DecoderSettings & { tempRoot: string },
  options: { signal: AbortSignal | undefined; onUtterance: (segment: Segment) => void },
): Promise<StreamDecoder> {
  const pipe = await NamedPipeWriter.create(settings.tempRoot);
  try {
    const reader = new PocketsphinxReader(decoderSpeaker());
    const run = startProcess(settings.pocketsphinx, decoderArgs(settings, pipe.path), {
      signal: options.signal,
      installHint: INSTALL_HINT,
      onStdout: (text) => reader.read(text).forEach(options.onUtterance),
    });
    // Once it exited, all it printed has been read: the utterance still open is complete.
    const done = run.done
      .then(() => reader.end().forEach(options.onUtterance))
      .finally(() => pipe.remove());
    done.catch(() => {});
    let bytes = 0;
    return {
      write: (chunk) => {
        bytes += chunk.length;
        return pipe.write(chunk);
      },
      end: async () => {
        await pipe.end();
        run.setDeadline(decodeDeadlineMs(settings, bytes));
      },
      stop: (why) => run.stop(why),
      done,
    };
  } catch (error) {
    await pipe.remove();
    throw error;
  }
}

export async function mustHaveModel(model: PocketsphinxModel): Promise<void> {
  for (const [part, file] of Object.entries(model)) {
    if ((await stat(file).catch(() => null)) === null) {
      throw new TranscriptionError(
        `The PocketSphinx model's ${part} is missing at ${file}; install pocketsphinx-en-us ` +
          'or configure the model paths.',
      );
    }
  }
}
