// Bolt and its Web API client log through Quorum's logger (infra/http/sdk-logger.ts), with
// secrets masked like every other line.
import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from '../../core/logger.ts';
import { sdkLog } from '../../infra/http/sdk-logger.ts';

export function boltLogger(logger: Logger): SlackLogger {
  const log = sdkLog(logger, 'slack');
  let level: LogLevel = LogLevel.INFO;
  return {
    debug: log.debug,
    info: log.info,
    warn: log.warn,
    error: log.error,
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
