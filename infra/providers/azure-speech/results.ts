// Speech SDK conversation-transcription results as Quorum segments. The service labels the
// voices it tells apart "Guest-1", "Guest-2"…, and "Unknown" while it is not yet sure (interim
// results), so those become "Speaker 1", "Speaker 2"… and "Unknown speaker".
import { UNKNOWN_SPEAKER, numberedSpeaker, type Segment } from '../../../core/speech/segment.ts';

/** The fields of a ConversationTranscriptionResult this mapping reads. */
export interface TranscriptionResultLike {
  text: string;
  /** 100 ns ticks from the start of the audio. */
  offset: number;
  duration: number;
  speakerId?: string;
}

const TICKS_PER_MS = 10_000;

export function speakerLabel(speakerId: string | undefined): string {
  const id = speakerId?.trim() ?? '';
  const guest = /^Guest-(\d+)$/i.exec(id);
  if (guest) return numberedSpeaker(Number(guest[1]));
  if (id === '' || /^unknown$/i.test(id)) return UNKNOWN_SPEAKER;
  return id;
}

/** A segment, or null for a result with no words. */
export function segmentFromResult(result: TranscriptionResultLike, offsetMs = 0): Segment | null {
  const text = result.text?.trim() ?? '';
  if (text === '') return null;
  const startMs = offsetMs + Math.round(result.offset / TICKS_PER_MS);
  return {
    speaker: speakerLabel(result.speakerId),
    startMs,
    endMs: startMs + Math.round(result.duration / TICKS_PER_MS),
    text,
    confidence: null,
  };
}
