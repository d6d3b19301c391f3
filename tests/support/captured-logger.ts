// A logger whose output a test reads back: what Quorum would write to standard output.
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../core/logger.ts';

export interface CapturedLogger {
  logger: Logger;
  /** Everything logged so far (one JSON line per record). */
  text(): string;
  /** Forgets what was logged so far. */
  clear(): void;
}

export function capturedLogger(level = 'info'): CapturedLogger {
  let text = '';
  const logger = createLogger({
    level,
    destination: new Writable({
      write(chunk, _encoding, done) {
        text += String(chunk);
        done();
      },
    }),
  });
  return {
    logger,
    text: () => text,
    clear: () => {
      text = '';
    },
  };
}
