/** One stretch of speech by one speaker: what every transcriber produces. */
export interface Segment {
  /** A display name when the source knows it, else a label such as "Speaker 1". */
  speaker: string;
  /** Milliseconds from the start of the recording or meeting. */
  startMs: number;
  endMs: number;
  text: string;
  /** 0–1 when the engine reports how sure it is; null when it does not (captions). */
  confidence: number | null;
}

/** The speaker of a caption that names nobody. */
export const UNKNOWN_SPEAKER = 'Unknown speaker';

/** The label an engine without diarization gives its nth voice (1-based). */
export function numberedSpeaker(n: number): string {
  return `Speaker ${n}`;
}

/** True for labels that stand for no particular person, so they are never anyone's name. */
export function isAnonymousSpeaker(speaker: string): boolean {
  return speaker === UNKNOWN_SPEAKER || /^Speaker \d+$/.test(speaker);
}
