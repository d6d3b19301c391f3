// The Teams SDK logs through Quorum's logger, with secrets masked like every other line.
import type { ILogger, LogLevel } from '@microsoft/teams.common';
import { redactString, type Logger } from '../../core/logger.ts';

function text(parts: unknown[]): string {
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

export function sdkLogger(logger: Logger, name = 'teams'): ILogger {
  const log = logger.child({ component: name });
  const self: ILogger = {
    // The SDK's info lines are about its own plumbing: debug for us.
    debug: (...parts: unknown[]) => log.debug(text(parts)),
    info: (...parts: unknown[]) => log.debug(text(parts)),
    warn: (...parts: unknown[]) => log.warn(text(parts)),
    error: (...parts: unknown[]) => log.error(text(parts)),
    trace: (...parts: unknown[]) => log.trace(text(parts)),
    log: (level: LogLevel, ...parts: unknown[]) => {
      const method = level === 'error' || level === 'warn' || level === 'trace' ? level : 'debug';
      log[method](text(parts));
    },
    child: (child: string) => sdkLogger(logger, `${name}/${child}`),
  };
  return self;
}
