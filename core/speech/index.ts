export {
  createCaptionsTranscriber,
  mergeTurns,
  readMeetEntries,
  readWebVtt,
} from './captions/index.ts';
export type { MeetEntriesInput, MergeOptions } from './captions/index.ts';
export {
  DEBIAN_EN_US_MODEL,
  createPocketsphinxTranscriber,
  type PocketsphinxModel,
  type PocketsphinxOptions,
} from './pocketsphinx.ts';
export { UNKNOWN_SPEAKER, isAnonymousSpeaker, numberedSpeaker, type Segment } from './segment.ts';
export {
  TranscriptionError,
  type PcmFormat,
  type SourceKind,
  type TranscribeOptions,
  type Transcriber,
  type TranscriberEngine,
  type TranscriptionSource,
} from './transcriber.ts';
export { normalizedWords, wordErrors, type WordErrors } from './word-error-rate.ts';
