// The captions transcriber: no audio, only the transcript a meeting platform already made.
import type { Segment } from '../segment.ts';
import {
  unsupportedSource,
  type SourceKind,
  type TranscribeOptions,
  type Transcriber,
  type TranscriptionSource,
} from '../transcriber.ts';
import { DEFAULT_MERGE, mergeTurns, type MergeOptions } from './merge.ts';
import { readMeetEntries } from './meet-entries.ts';
import { readWebVtt } from './webvtt.ts';

export { DEFAULT_MERGE, mergeTurns, type MergeOptions } from './merge.ts';
export { readMeetEntries, type MeetEntriesInput } from './meet-entries.ts';
export { readWebVtt } from './webvtt.ts';

const ACCEPTS: ReadonlySet<SourceKind> = new Set(['webvtt', 'meet-entries']);

/** Reads Teams/Zoom WebVTT or Meet entries and joins each speaker's consecutive cues. */
export function createCaptionsTranscriber(merge: MergeOptions = DEFAULT_MERGE): Transcriber {
  const transcriber: Transcriber = {
    engine: 'captions',
    accepts: ACCEPTS,
    async transcribe(source: TranscriptionSource, options: TranscribeOptions = {}) {
      options.signal?.throwIfAborted();
      let cues: Segment[];
      if (source.kind === 'webvtt') cues = readWebVtt(source.text);
      else if (source.kind === 'meet-entries') cues = readMeetEntries(source);
      else return unsupportedSource(transcriber, source);
      const segments = mergeTurns(cues, merge);
      for (const segment of segments) options.onSegment?.(segment);
      return segments;
    },
  };
  return transcriber;
}
