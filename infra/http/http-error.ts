// An error meant for the user: its status and message are shown as they are (no stack trace).
export class HttpError extends Error {
  override name = 'HttpError';
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;
  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

/** 404 for anything the caller may not see: never reveal that another tenant's id exists. */
export const notFound = (what = 'That item') =>
  new HttpError(404, 'not_found', `${what} was not found.`);
