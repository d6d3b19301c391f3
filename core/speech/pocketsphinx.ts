// Transcription with CMU PocketSphinx. A recording: ffmpeg turns it into the 16 kHz mono 16-bit
// samples the acoustic model expects, and pocketsphinx_continuous decodes them with word times.
// Live audio (already such samples): one decoder reads it as it arrives
// (pocketsphinx-stream.ts), with the same flags, so it gives what the same audio gives as a
// file. No diarization: everything is one speaker. The converted audio lives in a private
// temporary directory that is removed whatever happens, because audio is kept no longer than
// needed.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  decodeRawFile,
  mustHaveModel,
  type DecoderSettings,
  type PocketsphinxModel,
} from './pocketsphinx-decoder.ts';
import { transcribeLive, type StreamSettings } from './pocketsphinx-stream.ts';
import { runProcess } from './run-process.ts';
import type { Segment } from './segment.ts';
import {
  TranscriptionError,
  unsupportedSource,
  type SourceKind,
  type TranscribeOptions,
  type Transcriber,
  type TranscriptionSource,
} from './transcriber.ts';

export type { PocketsphinxModel } from './pocketsphinx-decoder.ts';

/** The general US English model of Debian's pocketsphinx-en-us package. */
export const DEBIAN_EN_US_MODEL: PocketsphinxModel = {
  hmm: '/usr/share/pocketsphinx/model/en-us/en-us',
  lm: '/usr/share/pocketsphinx/model/en-us/en-us.lm.bin',
  dict: '/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict',
};

export interface PocketsphinxOptions {
  pocketsphinxPath?: string;
  ffmpegPath?: string;
  model?: PocketsphinxModel;
  /** Where the private temporary directory is made; the system's by default. */
  tempRoot?: string;
  /**
   * Recordings decoded at once (each takes a core for about its length); the others wait their
   * turn before their deadline starts. Default: the cores of this machine.
   */
  maxConcurrent?: number;
  /** Deadline for the ffmpeg conversion. */
  convertTimeoutMs?: number;
  /**
   * Deadline for decoding: a fixed part plus so much per second of audio. PocketSphinx runs
   * at about 1–1.5× real time on one core here, so the default leaves room for a slow machine.
   */
  decodeTimeout?: { baseMs: number; perAudioSecondMs: number };
}

const ACCEPTS: ReadonlySet<SourceKind> = new Set(['audio-file', 'audio-stream']);

export function createPocketsphinxTranscriber(options: PocketsphinxOptions = {}): Transcriber {
  const settings: StreamSettings & { ffmpeg: string; convertTimeoutMs: number } = {
    pocketsphinx: options.pocketsphinxPath ?? 'pocketsphinx_continuous',
    ffmpeg: options.ffmpegPath ?? 'ffmpeg',
    model: options.model ?? DEBIAN_EN_US_MODEL,
    tempRoot: options.tempRoot ?? os.tmpdir(),
    convertTimeoutMs: options.convertTimeoutMs ?? 10 * 60_000,
    decodeTimeout: options.decodeTimeout ?? { baseMs: 30_000, perAudioSecondMs: 4_000 },
  };
  const turns = new Turns(options.maxConcurrent ?? os.availableParallelism());

  const transcriber: Transcriber = {
    engine: 'pocketsphinx',
    accepts: ACCEPTS,
    async transcribe(source: TranscriptionSource, opts: TranscribeOptions = {}) {
      if (source.kind !== 'audio-file' && source.kind !== 'audio-stream') {
        return unsupportedSource(transcriber, source);
      }
      if (opts.language !== undefined && !/^en(?:-|$)/i.test(opts.language)) {
        throw new TranscriptionError(
          `PocketSphinx here has only an English model; it cannot transcribe "${opts.language}".`,
        );
      }
      if (source.kind === 'audio-file') await mustBeFile(source.path);
      await mustHaveModel(settings.model);
      opts.signal?.throwIfAborted();
      // A recording waits its turn (a core each); live audio is decoded as it comes.
      const segments =
        source.kind === 'audio-stream'
          ? await transcribeLive(settings, source, opts)
          : await turns.during(opts.signal, () =>
              transcribeFile(settings, source.path, opts.signal),
            );
      if (source.kind === 'audio-file') for (const segment of segments) opts.onSegment?.(segment);
      return segments;
    },
  };
  return transcriber;
}

/** Converts the recording to raw samples in a private folder, then decodes them. */
async function transcribeFile(
  settings: DecoderSettings & { ffmpeg: string; tempRoot: string; convertTimeoutMs: number },
  file: string,
  signal: AbortSignal | undefined,
): Promise<Segment[]> {
  const workDir = await mkdtemp(path.join(settings.tempRoot, 'quorum-sphinx-'));
  try {
    const raw = path.join(workDir, 'audio.raw');
    await convert(settings.ffmpeg, file, raw, settings.convertTimeoutMs, signal);
    return await decodeRawFile(settings, raw, signal);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

async function mustBeFile(file: string): Promise<void> {
  const info = await stat(file).catch(() => null);
  if (info === null || !info.isFile()) {
    throw new TranscriptionError(`There is no audio file at ${file}.`);
  }
}

async function convert(
  ffmpeg: string,
  input: string,
  output: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  try {
    await runProcess(
      ffmpeg,
      [
        '-nostdin',
        '-hide_banner',
        '-loglevel',
        'error',
        // "file:" so a name such as "concat:x" or "http:…" is read as a plain local file.
        '-i',
        `file:${path.resolve(input)}`,
        '-vn',
        '-ac',
        '1',
        '-ar',
        '16000',
        '-c:a',
        'pcm_s16le',
        // Raw samples, which the decoder reads as they are (see pocketsphinx-decoder.ts).
        '-f',
        's16le',
        '-y',
        `file:${output}`,
      ],
      { timeoutMs, signal, installHint: 'apt-get install ffmpeg' },
    );
  } catch (error) {
    if (!(error instanceof TranscriptionError) || !/exited with code/.test(error.message))
      throw error;
    throw new TranscriptionError(
      `ffmpeg could not read ${input} as audio (${error.message}); give a recording in a common ` +
        'audio or video format.',
    );
  }
}

/** At most `limit` holders at once; the others wait in order of arrival. */
class Turns {
  readonly #limit: number;
  #held = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(limit: number) {
    this.#limit = Math.max(1, limit);
  }

  /** Runs `fn` once a turn is free, and gives the turn back when it ends. */
  async during<T>(signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
    const release = await this.#take(signal);
    try {
      return await fn();
    } finally {
      release();
    }
  }

  /** Resolves to the function that gives the turn back, once one is free. */
  async #take(signal?: AbortSignal): Promise<() => void> {
    if (this.#held >= this.#limit) {
      await new Promise<void>((resolve, reject) => {
        const turn = () => {
          signal?.removeEventListener('abort', abort);
          resolve();
        };
        const abort = () => {
          this.#waiting.splice(this.#waiting.indexOf(turn), 1);
          reject(signal!.reason);
        };
        signal?.addEventListener('abort', abort, { once: true });
        this.#waiting.push(turn);
      });
    } else {
      this.#held += 1;
    }
    let given = false;
    return () => {
      if (given) return;
      given = true;
      const next = this.#waiting.shift();
      if (next) next();
      else this.#held -= 1;
    };
  }
}
