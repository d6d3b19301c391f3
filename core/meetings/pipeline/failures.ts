// The failures the pipeline tells apart: one no retry can fix, and a crash test's interruption.
import { SummaryInputError } from '../../ai/index.ts';
import { DecryptionFailedError } from '../../privacy/errors.ts';
import { TranscriptionError } from '../../speech/index.ts';
import { AudioIntegrityError } from '../audio-cipher.ts';

/** A failure that no retry can fix. */
export class PermanentFailure extends Error {
  override readonly name = 'PermanentFailure';
}

/** Wraps what a checkpoint threw, so it passes the failure handling untouched. */
export class Interrupted extends Error {
  override readonly name = 'Interrupted';
}

export function isPermanent(error: unknown): boolean {
  return (
    error instanceof PermanentFailure ||
    error instanceof TranscriptionError ||
    error instanceof SummaryInputError ||
    error instanceof AudioIntegrityError ||
    (error instanceof DecryptionFailedError &&
      ['not-authentic', 'malformed', 'key-destroyed', 'key-missing'].includes(error.reason))
  );
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
