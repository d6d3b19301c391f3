// Offline transcription with CMU PocketSphinx: ffmpeg turns any recording into the 16 kHz mono
// 16-bit WAV the acoustic model expects, pocketsphinx_continuous decodes it with word times.
// No diarization: everything is one speaker. The converted audio lives in a private temporary
// directory that is removed whatever happens, because audio is kept no longer than needed.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readPocketsphinxOutput } from './pocketsphinx-output.ts';
import { runProcess } from './run-process.ts';
import { numberedSpeaker, type Segment } from './segment.ts';
import {
  TranscriptionError,
  unsupportedSource,
  type SourceKind,
  type TranscribeOptions,
  type Transcriber,
  type TranscriptionSource,
} from './transcriber.ts';

export interface PocketsphinxModel {
  /** Acoustic model directory (-hmm). */
  hmm: string;
  /** Language model (-lm). */
  lm: string;
  /** Pronunciation dictionary (-dict). */
  dict: string;
}

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

const ACCEPTS: ReadonlySet<SourceKind> = new Set(['audio-file']);
const WAV_HEADER_BYTES = 44;
const BYTES_PER_SECOND = 16_000 * 2;

export function createPocketsphinxTranscriber(options: PocketsphinxOptions = {}): Transcriber {
  const settings = {
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
      if (source.kind !== 'audio-file') return unsupportedSource(transcriber, source);
      if (opts.language !== undefined && !/^en(?:-|$)/i.test(opts.language)) {
        throw new TranscriptionError(
          `PocketSphinx here has only an English model; it cannot transcribe "${opts.language}".`,
        );
      }
      await mustBeFile(source.path);
      await mustHaveModel(settings.model);
      opts.signal?.throwIfAborted();

      const release = await turns.take(opts.signal);
      const workDir = await mkdtemp(path.join(settings.tempRoot, 'quorum-sphinx-')).catch(
        (error: unknown) => {
          release();
          throw error;
        },
      );
      try {
        const wav = path.join(workDir, 'audio.wav');
        await convert(settings.ffmpeg, source.path, wav, settings.convertTimeoutMs, opts.signal);
        const audioSeconds =
          Math.max(0, (await stat(wav)).size - WAV_HEADER_BYTES) / BYTES_PER_SECOND;
        const { baseMs, perAudioSecondMs } = settings.decodeTimeout;
        const { stdout } = await runProcess(
          settings.pocketsphinx,
          [
            '-infile',
            wav,
            '-time',
            'yes',
            '-hmm',
            settings.model.hmm,
            '-lm',
            settings.model.lm,
            '-dict',
            settings.model.dict,
          ],
          {
            timeoutMs: Math.round(baseMs + perAudioSecondMs * audioSeconds),
            signal: opts.signal,
            installHint: 'apt-get install pocketsphinx pocketsphinx-en-us',
          },
        );
        const segments: Segment[] = readPocketsphinxOutput(stdout, numberedSpeaker(1));
        for (const segment of segments) opts.onSegment?.(segment);
        return segments;
      } finally {
        release();
        await rm(workDir, { recursive: true, force: true });
      }
    },
  };
  return transcriber;
}

/** At most `limit` holders at once; the others wait in order of arrival. */
class Turns {
  readonly #limit: number;
  #held = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(limit: number) {
    this.#limit = Math.max(1, limit);
  }

  /** Resolves to the function that gives the turn back, once one is free. */
  async take(signal?: AbortSignal): Promise<() => void> {
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

async function mustBeFile(file: string): Promise<void> {
  const info = await stat(file).catch(() => null);
  if (info === null || !info.isFile()) {
    throw new TranscriptionError(`There is no audio file at ${file}.`);
  }
}

async function mustHaveModel(model: PocketsphinxModel): Promise<void> {
  for (const [part, file] of Object.entries(model)) {
    if ((await stat(file).catch(() => null)) === null) {
      throw new TranscriptionError(
        `The PocketSphinx model's ${part} is missing at ${file}; install pocketsphinx-en-us ` +
          'or configure the model paths.',
      );
    }
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
        '-f',
        'wav',
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
