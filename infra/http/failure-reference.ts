// When a request fails for a reason the person cannot act on, they get a short reference to
// quote and the log line carries the same one: never the error itself.
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../core/logger.ts';

/** Logs the failure with a fresh reference and returns the reference. */
export function logFailure(logger: Logger, error: unknown, what: string): string {
  const reference = randomUUID().slice(0, 8);
  logger.error({ err: error, reference }, what);
  return reference;
}

/** The sentence shown with the reference (a surface adds its own markup around it). */
export function failureText(reference: string, quoted: (ref: string) => string = (r) => r): string {
  return `Something went wrong on our side and nothing was changed. Try again in a moment; if it keeps happening, give your administrator this reference: ${quoted(reference)}.`;
}
