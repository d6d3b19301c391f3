// Bolt and its Web API client log through Quorum's logger, with secrets masked like every other
// line (a token in an error message included).
import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
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

export function boltLogger(logger: Logger): SlackLogger {
  const log = logger.child({ component: 'slack' });
  let level: LogLevel = LogLevel.INFO;
  return {
    debug: (...parts) => log.debug(text(parts)),
    // Bolt's info lines are about its own plumbing (socket connects, retries): debug for us.
    info: (...parts) => log.debug(text(parts)),
    warn: (...parts) => log.warn(text(parts)),
    error: (...parts) => log.error(text(parts)),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
