// The Transcriber port: audio or captions in, speaker-attributed segments out. Each engine
// says which kinds of source it takes; the caller picks an engine that accepts what it has.
import type { Segment } from './segment.ts';

/** Raw PCM as pushed by a live source (a meeting bot's audio socket). */
export interface PcmFormat {
  sampleRateHz: number;
  channels: number;
  bitsPerSample: 8 | 16 | 32;
}

export type TranscriptionSource =
  /** A recording on local disk in any format ffmpeg reads (wav, mp3, m4a, mp4, webm…). */
  | { kind: 'audio-file'; path: string }
  /** Audio pushed as it arrives, for streaming engines such as Azure Speech. */
  | { kind: 'audio-stream'; format: PcmFormat; chunks: AsyncIterable<Uint8Array> }
  /** A WebVTT transcript as Teams (voice tags) or Zoom ("Name: text" cues) produce it. */
  | { kind: 'webvtt'; text: string }
  /**
   * Google Meet transcript entries (conferenceRecords.transcripts.entries) and the
   * conference's participants (conferenceRecords.participants), as the Meet REST API returns
   * them: either the list responses or their arrays. Names come from the participants.
   */
  | { kind: 'meet-entries'; entries: unknown; participants?: unknown; conferenceStart?: string };

export type SourceKind = TranscriptionSource['kind'];

export type TranscriberEngine = 'captions' | 'pocketsphinx' | 'azure-speech' | 'azure-whisper';

export interface TranscribeOptions {
  /** Stops the work (and any child process) when aborted. */
  signal?: AbortSignal;
  /** BCP 47 tag of the spoken language, e.g. "en-US"; engines refuse ones they cannot do. */
  language?: string;
  /** Called with each segment as soon as it is final, for engines that stream. */
  onSegment?: (segment: Segment) => void;
  /** Called with a guess at a segment still being spoken, for engines that stream; may change. */
  onInterim?: (segment: Segment) => void;
  /**
   * For engines that guess by reading the audio again (pocketsphinx): seconds of new audio
   * between guesses. Without it they make none.
   */
  interimEverySeconds?: number;
}

export interface Transcriber {
  readonly engine: TranscriberEngine;
  readonly accepts: ReadonlySet<SourceKind>;
  /** Segments in order of start time. Rejects with a TranscriptionError when it cannot. */
  transcribe(source: TranscriptionSource, options?: TranscribeOptions): Promise<Segment[]>;
}

/** Why a transcription failed, in words a person can act on. */
export class TranscriptionError extends Error {
  override readonly name = 'TranscriptionError';
}

/** The refusal every engine gives for a source it does not take. */
export function unsupportedSource(transcriber: Transcriber, source: TranscriptionSource): never {
  const accepted = [...transcriber.accepts].join(', ');
  throw new TranscriptionError(
    `The ${transcriber.engine} transcriber cannot take a ${source.kind} source; it takes: ${accepted}.`,
  );
}
