// Transcription with Whisper on Azure OpenAI (audio/transcriptions, response_format
// verbose_json). The service takes files of at most 25 MB in a few formats, so ffmpeg first
// turns any recording into 16 kHz mono MP3 at 32 kbit/s (about 14 MB an hour) cut into pieces of
// `pieceSeconds`; each piece is sent on its own and its segments are moved to the piece's place
// in the recording. Whisper does not tell voices apart: every segment is "Speaker 1", as with
// PocketSphinx. The pieces live in a private temporary directory removed whatever happens.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { toFile, type AzureOpenAI } from 'openai';
import {
  createAzureOpenAIClient,
  describeAzureOpenAIError,
  type AzureOpenAISettings,
} from '../azure-openai/client.ts';
import { runProcess } from '../../../core/speech/run-process.ts';
import { numberedSpeaker, type Segment } from '../../../core/speech/segment.ts';
import {
  TranscriptionError,
  unsupportedSource,
  type SourceKind,
  type TranscribeOptions,
  type Transcriber,
  type TranscriptionSource,
} from '../../../core/speech/transcriber.ts';

/** The service's limit on one uploaded file. */
export const WHISPER_MAX_FILE_BYTES = 25 * 1024 * 1024;

export interface AzureWhisperOptions extends AzureOpenAISettings {
  /** The Whisper model deployment, e.g. "whisper". */
  deployment: string;
  /** Length of the pieces sent one by one. Default 20 minutes (about 4.7 MB of MP3). */
  pieceSeconds?: number;
  ffmpegPath?: string;
  tempRoot?: string;
  convertTimeoutMs?: number;
  client?: AzureOpenAI;
}

interface VerboseSegment {
  start: number;
  end: number;
  text: string;
  avg_logprob?: number;
}

const ACCEPTS: ReadonlySet<SourceKind> = new Set(['audio-file']);

export function createAzureWhisperTranscriber(options: AzureWhisperOptions): Transcriber {
  const client = options.client ?? createAzureOpenAIClient(options, options.deployment);
  const pieceSeconds = options.pieceSeconds ?? 20 * 60;
  if (!(pieceSeconds >= 1)) throw new RangeError('pieceSeconds must be at least 1');
  const ffmpeg = options.ffmpegPath ?? 'ffmpeg';
  const tempRoot = options.tempRoot ?? os.tmpdir();
  const where = {
    deployment: options.deployment,
    endpoint: options.endpoint,
    setting: 'AZURE_OPENAI_WHISPER_DEPLOYMENT',
  };

  async function transcribePiece(
    file: string,
    language: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<VerboseSegment[]> {
    // The piece (a few MB) is read whole: the SDK retries a request only when its body can be
    // sent again, which a file stream cannot.
    const upload = await toFile(await readFile(file), path.basename(file), { type: 'audio/mpeg' });
    try {
      const result = await client.audio.transcriptions.create(
        {
          file: upload,
          model: options.deployment,
          response_format: 'verbose_json',
          timestamp_granularities: ['segment'],
          ...(language ? { language } : {}),
        },
        { signal },
      );
      return (result as { segments?: VerboseSegment[] }).segments ?? [];
    } catch (error) {
      const message = describeAzureOpenAIError(error, where);
      if (message === undefined) throw error;
      throw new TranscriptionError(message);
    }
  }

  const transcriber: Transcriber = {
    engine: 'azure-whisper',
    accepts: ACCEPTS,
    async transcribe(source: TranscriptionSource, opts: TranscribeOptions = {}) {
      if (source.kind !== 'audio-file') return unsupportedSource(transcriber, source);
      // Whisper takes ISO 639-1 codes: "en-US" is "en".
      const language = opts.language?.split('-')[0]?.toLowerCase();
      if (language !== undefined && !/^[a-z]{2}$/.test(language)) {
        throw new TranscriptionError(`"${opts.language}" is not a language tag such as en-US.`);
      }
      const info = await stat(source.path).catch(() => null);
      if (info === null || !info.isFile()) {
        throw new TranscriptionError(`There is no audio file at ${source.path}.`);
      }
      opts.signal?.throwIfAborted();
      const workDir = await mkdtemp(path.join(tempRoot, 'quorum-whisper-'));
      try {
        const pieces = await cutIntoPieces(
          ffmpeg,
          source.path,
          workDir,
          pieceSeconds,
          options.convertTimeoutMs ?? 10 * 60_000,
          opts.signal,
        );
        const segments: Segment[] = [];
        for (const piece of pieces) {
          if ((await stat(piece.file)).size > WHISPER_MAX_FILE_BYTES) {
            throw new TranscriptionError(
              'A piece of the recording is over the 25 MB Whisper takes; use shorter pieces.',
            );
          }
          for (const s of await transcribePiece(piece.file, language, opts.signal)) {
            const text = s.text.trim();
            if (text === '') continue;
            const segment: Segment = {
              speaker: numberedSpeaker(1),
              startMs: Math.round((piece.startSeconds + s.start) * 1000),
              endMs: Math.round((piece.startSeconds + s.end) * 1000),
              text,
              confidence:
                typeof s.avg_logprob === 'number'
                  ? Math.min(1, Math.max(0, Math.exp(s.avg_logprob)))
                  : null,
            };
            segments.push(segment);
            opts.onSegment?.(segment);
          }
        }
        return segments;
      } finally {
        await rm(workDir, { recursive: true, force: true });
      }
    },
  };
  return transcriber;
}

/** ffmpeg's segment muxer writes the pieces and a CSV list of "file,start,end" seconds. */
async function cutIntoPieces(
  ffmpeg: string,
  input: string,
  dir: string,
  pieceSeconds: number,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<Array<{ file: string; startSeconds: number }>> {
  const list = path.join(dir, 'pieces.csv');
  try {
    await runProcess(
      ffmpeg,
      [
        '-nostdin',
        '-hide_banner',
        '-loglevel',
        'error',
        '-i',
        `file:${path.resolve(input)}`,
        '-vn',
        '-ac',
        '1',
        '-ar',
        '16000',
        '-c:a',
        'libmp3lame',
        '-b:a',
        '32k',
        '-f',
        'segment',
        '-segment_time',
        String(pieceSeconds),
        '-segment_list',
        list,
        '-segment_list_type',
        'csv',
        '-reset_timestamps',
        '1',
        path.join(dir, 'piece-%05d.mp3'),
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
  const rows = (await readFile(list, 'utf8')).split('\n').filter((line) => line.trim() !== '');
  return rows.map((row) => {
    const [name, start] = row.split(',');
    return { file: path.join(dir, name!), startSeconds: Number(start) };
  });
}
