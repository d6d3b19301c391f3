// Calls Quorum's JSON API from a browser page. Failures become an ApiError whose message is
// the server's own user-facing sentence (or says Quorum could not be reached), never a stack.

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export interface ApiOptions {
  method?: string;
  body?: unknown;
  /** Extra headers, e.g. the Zoom App context or an Office SSO token. */
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export async function api<T>(path: string, options: ApiOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? null : JSON.stringify(options.body),
      signal: options.signal ?? null,
    });
  } catch {
    throw new ApiError(0, 'unreachable', 'Quorum could not be reached. Check your connection.');
  }
  const text = await res.text();
  let data: unknown = undefined;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    // A proxy's HTML error page, for instance: reported below by status.
  }
  if (!res.ok) {
    const body = (data ?? {}) as { error?: string; message?: string; requestId?: string };
    const message = body.message ?? `Quorum answered ${res.status}. Try again in a moment.`;
    // A server failure's message asks to quote its id: the person must be able to see it.
    throw new ApiError(
      res.status,
      body.error ?? 'http_error',
      body.error === 'internal' && typeof body.requestId === 'string'
        ? `${message} (id ${body.requestId})`
        : message,
    );
  }
  return data as T;
}
