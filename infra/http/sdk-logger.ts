// Platform SDKs (Bolt, the Teams SDK) log through Quorum's logger, with secrets masked like
// every other line (a token in an error message included). Each adapter wraps this in the
// logger shape its SDK wants; the SDKs' info lines are about their own plumbing (socket
// connects, retries), so they are debug for us.
import { redactString, type Logger } from '../../core/logger.ts';

/** One log line from an SDK's variadic arguments, secrets masked. */
export function sdkLogText(parts: unknown[]): string {
  return redactString(
    parts
      .map((part) => {
        if (typeof part === 'string') return part;
        if (part instanceof Error) return part.message;
        try {
          return JSON.stringify(part);
        } catch {
          return String(part);
        }
      })
      .join(' '),
  );
}

export interface SdkLog {
  debug(...parts: unknown[]): void;
  info(...parts: unknown[]): void;
  warn(...parts: unknown[]): void;
  error(...parts: unknown[]): void;
  trace(...parts: unknown[]): void;
}

/** The logging methods every SDK logger has, on a child logger named for the component. */
export function sdkLog(logger: Logger, component: string): SdkLog {
  const log = logger.child({ component });
  return {
    debug: (...parts) => log.debug(sdkLogText(parts)),
    info: (...parts) => log.debug(sdkLogText(parts)),
    warn: (...parts) => log.warn(sdkLogText(parts)),
    error: (...parts) => log.error(sdkLogText(parts)),
    trace: (...parts) => log.trace(sdkLogText(parts)),
  };
}
