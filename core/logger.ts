// Structured JSON logs that never carry secrets.
//
// Two layers: pino's path redaction for known fields (headers, tokens, passwords), and a
// serializer pass that masks secrets embedded inside strings (a bearer token in an error
// message, a password in a URL, a Slack token pasted into text).
import { Stream } from 'node:stream';
import pino, { type Logger } from 'pino';

export type { Logger };

const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["x-slack-signature"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.access_token',
  '*.refresh_token',
  '*.id_token',
  '*.clientSecret',
  '*.client_secret',
  '*.apiKey',
  '*.secret',
  'password',
  'token',
  'accessToken',
  'refreshToken',
  'apiKey',
  'secret',
];

const IN_STRING_PATTERNS: Array<[RegExp, string]> = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [REDACTED]'],
  [/\bxox[abposr]-[A-Za-z0-9-]{8,}/g, '[REDACTED]'],
  [/\bxapp-[A-Za-z0-9-]{8,}/g, '[REDACTED]'],
  [/\bqrm_[A-Za-z0-9_-]{16,}/g, '[REDACTED]'],
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, '[REDACTED]'],
  [/(\/\/[^/:@\s]+:)[^@\s/]+@/g, '$1[REDACTED]@'],
  [
    /\b(password|passwd|pwd|token|access_token|refresh_token|id_token|client_secret|api_key|apikey|secret|code|t)=([^&\s"']+)/gi,
    '$1=[REDACTED]',
  ],
];

/** Masks secrets that appear inside free text. */
export function redactString(text: string): string {
  let out = text;
  for (const [pattern, replacement] of IN_STRING_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactString(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  // A request or response (a stream) is left to its own serializer, which picks the few fields
  // logged and masks the URL. Copying it here would drop what lives on its prototype, such as
  // `headersSent`, which the response serializer reads for the status code.
  if (value instanceof Stream) return value;
  if (value instanceof Error) {
    return {
      type: value.name,
      message: redactString(value.message),
      stack: value.stack && redactString(value.stack),
    };
  }
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v, depth + 1)]));
}

export function createLogger(options: {
  level: string;
  destination?: pino.DestinationStream;
  name?: string;
}): Logger {
  return pino(
    {
      name: options.name ?? 'quorum',
      level: options.level,
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      formatters: { log: (object) => scrub(object) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          // Mask secrets in the message string too, not only in the bound object.
          const masked = args.map((a) => (typeof a === 'string' ? redactString(a) : a));
          method.apply(this, masked as Parameters<typeof method>);
        },
      },
      serializers: { err: (e: unknown) => scrub(e) },
    },
    options.destination,
  );
}
