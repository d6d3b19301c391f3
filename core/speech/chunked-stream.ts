// Live audio for an engine that only reads files (pocketsphinx, Whisper): the PCM is gathered
// into pieces of `chunkSeconds`, each written to a private WAV, transcribed, and removed at once.
// Halfway through a piece, what has arrived of it is transcribed too and reported as interim
// (it may change when the whole piece is read). Pieces are cut by length, not at pauses, so a word
// spoken across a cut may be misheard: the honest cost of streaming with a file engine.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Segment } from './segment.ts';
import {
  TranscriptionError,
  unsupportedSource,
  type PcmFormat,
  type SourceKind,
  type TranscribeOptions,
  type Transcriber,
  type TranscriptionSource,
} from './transcriber.ts';

export interface ChunkedStreamOptions {
  /** Seconds of audio per piece. Default 10. */
  chunkSeconds?: number;
  /** Transcribe the first part of a piece for interim results. Default true. */
  interim?: boolean;
  tempRoot?: string;
}

const ACCEPTS: ReadonlySet<SourceKind> = new Set(['audio-stream']);
/** Less than this much audio at the end is not worth a transcription. */
const MIN_TAIL_SECONDS = 0.3;

export function chunkedStreamTranscriber(
  fileEngine: Transcriber,
  options: ChunkedStreamOptions = {},
): Transcriber {
  if (!fileEngine.accepts.has('audio-file')) {
    throw new Error(`${fileEngine.engine} does not read audio files`);
  }
  const chunkSeconds = options.chunkSeconds ?? 10;
  const tempRoot = options.tempRoot ?? os.tmpdir();

  const transcriber: Transcriber = {
    engine: fileEngine.engine,
    accepts: ACCEPTS,
    async transcribe(source: TranscriptionSource, opts: TranscribeOptions = {}) {
      if (source.kind !== 'audio-stream') return unsupportedSource(transcriber, source);
      const { format } = source;
      if (format.bitsPerSample !== 16 || format.channels !== 1) {
        throw new TranscriptionError('Live audio must be 16-bit mono PCM.');
      }
      const bytesPerSecond = format.sampleRateHz * 2;
      const chunkBytes = Math.round(chunkSeconds * bytesPerSecond) & ~1;
      const workDir = await mkdtemp(path.join(tempRoot, 'quorum-live-'));
      const segments: Segment[] = [];
      let pieces = 0;
      const read = async (pcm: Buffer, startMs: number): Promise<Segment[]> => {
        const wav = path.join(workDir, `piece-${pieces++}.wav`);
        await writeFile(wav, Buffer.concat([wavHeader(pcm.length, format), pcm]), { mode: 0o600 });
        try {
          const found = await fileEngine.transcribe(
            { kind: 'audio-file', path: wav },
            { signal: opts.signal, ...(opts.language ? { language: opts.language } : {}) },
          );
          return found.map((s) => ({
            ...s,
            startMs: s.startMs + startMs,
            endMs: s.endMs + startMs,
          }));
        } finally {
          await rm(wav, { force: true });
        }
      };
      try {
        let pending: Buffer[] = [];
        let pendingBytes = 0;
        let pieceStartMs = 0;
        let interimDone = false;
        const finish = async (pcm: Buffer) => {
          for (const segment of await read(pcm, pieceStartMs)) {
            segments.push(segment);
            opts.onSegment?.(segment);
          }
          pieceStartMs += Math.round((pcm.length / bytesPerSecond) * 1000);
          interimDone = false;
        };
        for await (const chunk of source.chunks) {
          opts.signal?.throwIfAborted();
          pending.push(Buffer.from(chunk));
          pendingBytes += chunk.length;
          while (pendingBytes >= chunkBytes) {
            const all = Buffer.concat(pending);
            const piece = all.subarray(0, chunkBytes);
            pending = [all.subarray(chunkBytes)];
            pendingBytes = all.length - chunkBytes;
            await finish(piece);
          }
          if (options.interim !== false && !interimDone && pendingBytes >= chunkBytes / 2) {
            interimDone = true;
            const partial = Buffer.concat(pending);
            for (const segment of await read(
              partial.subarray(0, partial.length & ~1),
              pieceStartMs,
            )) {
              opts.onInterim?.(segment);
            }
          }
        }
        const tail = Buffer.concat(pending);
        if (tail.length >= MIN_TAIL_SECONDS * bytesPerSecond)
          await finish(tail.subarray(0, tail.length & ~1));
        return segments;
      } finally {
        await rm(workDir, { recursive: true, force: true });
      }
    },
  };
  return transcriber;
}

/** The 44-byte header of a PCM WAV file. */
function wavHeader(dataBytes: number, format: PcmFormat): Buffer {
  const header = Buffer.alloc(44);
  const blockAlign = format.channels * (format.bitsPerSample / 8);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(format.channels, 22);
  header.writeUInt32LE(format.sampleRateHz, 24);
  header.writeUInt32LE(format.sampleRateHz * blockAlign, 28);
  header.writeUInt16LE(blockAlign, 32);
  header.writeUInt16LE(format.bitsPerSample, 34);
  header.write('data', 36);
  header.writeUInt32LE(dataBytes, 40);
  return header;
}
