// The core's meeting refusals as HTTP answers, for every route that reads or writes meetings.
import type { Request, Response } from 'express';
import { MeetingError, RecordingTooLargeError } from '../../core/meetings/index.ts';
import { EncryptionFailedError } from '../../core/privacy/errors.ts';
import { HttpError } from '../../infra/http/http-error.ts';

/** Turns the core's refusals into HTTP answers. */
export function asHttp(error: unknown): unknown {
  if (error instanceof MeetingError) {
    const status = {
      'not-found': 404,
      forbidden: 403,
      conflict: 409,
      invalid: 400,
      unreadable: 500,
    };
    const code = {
      'not-found': 'not_found',
      forbidden: 'forbidden',
      conflict: 'conflict',
      invalid: 'invalid_input',
      unreadable: 'content_unreadable',
    };
    return new HttpError(status[error.code], code[error.code], error.message);
  }
  if (error instanceof RecordingTooLargeError) {
    return new HttpError(
      413,
      'recording_too_large',
      `${error.message} Upload a shorter or more compressed recording (e.g. audio only).`,
      // The rest of an oversized upload is not read; the connection is closed after this answer.
      { Connection: 'close' },
    );
  }
  if (error instanceof EncryptionFailedError && error.reason === 'key-destroyed') {
    return new HttpError(
      409,
      'content_deleted',
      "This meeting's content was deleted and its key destroyed; nothing more is stored for it.",
    );
  }
  if (error instanceof EncryptionFailedError) {
    return new HttpError(
      503,
      'encryption_unavailable',
      'Meeting content could not be encrypted, so nothing was stored. Try again later.',
    );
  }
  return error;
}

type Handler = (req: Request, res: Response) => Promise<void>;
export const mapped =
  (handler: Handler): Handler =>
  async (req, res) => {
    try {
      await handler(req, res);
    } catch (error) {
      throw asHttp(error);
    }
  };
