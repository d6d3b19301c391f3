// Transcription with the Azure Speech service's conversation transcriber: speaker diarization
// ("Guest-1", "Guest-2"…) on audio fed through a push stream, from a recording (ffmpeg turns it
// into 16 kHz mono PCM) or live PCM as it arrives. Final results are segments; interim results
// are passed to onInterim for watchers of a live meeting.
import * as sdk from 'microsoft-cognitiveservices-speech-sdk';
import { pcmFromFile } from '../../../core/speech/pcm-from-file.ts';
import type { Segment } from '../../../core/speech/segment.ts';
import {
  TranscriptionError,
  unsupportedSource,
  type SourceKind,
  type TranscribeOptions,
  type Transcriber,
  type TranscriptionSource,
} from '../../../core/speech/transcriber.ts';
import { segmentFromResult } from './results.ts';

export interface AzureSpeechOptions {
  key: string;
  /** The resource's region, e.g. "westeurope"; or give `endpoint`. */
  region?: string;
  /** A full endpoint (wss://… or, for tests, ws://127.0.0.1…); wins over `region`. */
  endpoint?: string;
  /** Used when a transcription names no language. Default en-US. */
  defaultLanguage?: string;
  ffmpegPath?: string;
}

const ACCEPTS: ReadonlySet<SourceKind> = new Set(['audio-file', 'audio-stream']);

export function createAzureSpeechTranscriber(options: AzureSpeechOptions): Transcriber {
  if (!options.endpoint && !options.region) {
    throw new Error('Azure Speech needs a region or an endpoint.');
  }

  function speechConfig(language: string): sdk.SpeechConfig {
    const config = options.endpoint
      ? sdk.SpeechConfig.fromEndpoint(new URL(options.endpoint), options.key)
      : sdk.SpeechConfig.fromSubscription(options.key, options.region!);
    config.speechRecognitionLanguage = language;
    config.outputFormat = sdk.OutputFormat.Simple;
    return config;
  }

  const transcriber: Transcriber = {
    engine: 'azure-speech',
    accepts: ACCEPTS,
    async transcribe(source: TranscriptionSource, opts: TranscribeOptions = {}) {
      if (source.kind !== 'audio-file' && source.kind !== 'audio-stream') {
        return unsupportedSource(transcriber, source);
      }
      const language = opts.language ?? options.defaultLanguage ?? 'en-US';
      if (!/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(language)) {
        throw new TranscriptionError(`"${language}" is not a language tag such as en-US.`);
      }
      const format =
        source.kind === 'audio-stream'
          ? source.format
          : { sampleRateHz: 16_000, channels: 1, bitsPerSample: 16 as const };
      if (format.bitsPerSample !== 16 || format.channels !== 1) {
        throw new TranscriptionError(
          'Azure Speech takes live audio as 16-bit mono PCM; convert it before sending.',
        );
      }
      const chunks =
        source.kind === 'audio-stream'
          ? source.chunks
          : pcmFromFile(source.path, { ffmpegPath: options.ffmpegPath, signal: opts.signal });
      opts.signal?.throwIfAborted();

      const push = sdk.AudioInputStream.createPushStream(
        sdk.AudioStreamFormat.getWaveFormatPCM(format.sampleRateHz, 16, 1),
      );
      const engine = new sdk.ConversationTranscriber(
        speechConfig(language),
        sdk.AudioConfig.fromStreamInput(push),
      );
      const segments: Segment[] = [];
      let failure: Error | null = null;
      const finished = new Promise<void>((resolve) => {
        engine.transcribing = (_sender, event) => {
          const segment = segmentFromResult(event.result);
          if (segment) opts.onInterim?.(segment);
        };
        engine.transcribed = (_sender, event) => {
          if (event.result.reason !== sdk.ResultReason.RecognizedSpeech) return;
          const segment = segmentFromResult(event.result);
          if (!segment) return;
          segments.push(segment);
          opts.onSegment?.(segment);
        };
        engine.canceled = (_sender, event) => {
          if (event.reason === sdk.CancellationReason.Error) {
            failure ??= new TranscriptionError(describeCancel(event.errorCode, event.errorDetails));
          }
          resolve();
        };
        engine.sessionStopped = () => resolve();
      });
      const onAbort = () => push.close();
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      try {
        await new Promise<void>((resolve, reject) =>
          engine.startTranscribingAsync(resolve, (error) =>
            reject(new TranscriptionError(`Azure Speech could not start: ${error}`)),
          ),
        );
        try {
          for await (const chunk of chunks) {
            if (failure) break;
            // A copy: the SDK keeps the buffer, and callers may reuse theirs.
            push.write(Uint8Array.from(chunk).buffer);
          }
        } finally {
          push.close();
        }
        await finished;
        opts.signal?.throwIfAborted();
        if (failure) throw failure;
        return segments.sort((a, b) => a.startMs - b.startMs);
      } finally {
        opts.signal?.removeEventListener('abort', onAbort);
        await new Promise<void>((resolve) =>
          engine.stopTranscribingAsync(resolve, () => resolve()),
        );
        engine.close();
      }
    },
  };
  return transcriber;
}

function describeCancel(code: sdk.CancellationErrorCode, details: string | undefined): string {
  switch (code) {
    case sdk.CancellationErrorCode.AuthenticationFailure:
      return 'Azure Speech refused the key; check AZURE_SPEECH_KEY and AZURE_SPEECH_REGION (or AZURE_SPEECH_ENDPOINT).';
    case sdk.CancellationErrorCode.ConnectionFailure:
      // A refused key shows up here too: the WebSocket client cannot see the upgrade's 401.
      return 'Azure Speech could not be reached or refused the key; check AZURE_SPEECH_KEY, AZURE_SPEECH_REGION (or AZURE_SPEECH_ENDPOINT) and the network.';
    case sdk.CancellationErrorCode.TooManyRequests:
      return 'Azure Speech is throttling this resource; try again later.';
    default:
      return `Azure Speech stopped with ${sdk.CancellationErrorCode[code]}${details ? `: ${details.split(/\s+SessionId/)[0]}` : ''}.`;
  }
}
