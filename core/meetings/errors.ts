// Why a meetings request cannot be done, said so the caller can act. Adapters map `code` to
// their own answer (HTTP status, an ephemeral chat message).
export type MeetingErrorCode =
  /** No such meeting for this caller: absent, another tenant's, or not theirs to see. */
  | 'not-found'
  /** They see it but may not do this (e.g. only the organizer deletes). */
  | 'forbidden'
  /** Not now: it already has a recording, or it is being processed. */
  | 'conflict'
  /** The input is wrong; the message names what and how to fix it. */
  | 'invalid'
  /** Stored content failed its integrity check or its key is gone; it is not shown. */
  | 'unreadable';

export class MeetingError extends Error {
  override readonly name = 'MeetingError';
  readonly code: MeetingErrorCode;
  constructor(code: MeetingErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

export const meetingNotFound = () => new MeetingError('not-found', 'That meeting was not found.');
