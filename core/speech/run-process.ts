// Runs an external program (ffmpeg, pocketsphinx) the safe way: an argument array and no
// shell, a deadline, a kill when the caller aborts, and the output kept within bounds.
import { spawn } from 'node:child_process';
import { TranscriptionError } from './transcriber.ts';

export interface RunOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** What to tell a person when the program is missing, e.g. "apt-get install ffmpeg". */
  installHint: string;
}

export interface RunResult {
  stdout: string;
  /** The last part of standard error, for messages. */
  stderrTail: string;
}

const STDOUT_LIMIT = 64 * 1024 * 1024;
const STDERR_TAIL = 4 * 1024;

/** Resolves when the program exits 0; rejects with a TranscriptionError (or the abort reason). */
export function runProcess(
  command: string,
  args: readonly string[],
  options: RunOptions,
): Promise<RunResult> {
  const program = command.split('/').at(-1) ?? command;
  return new Promise((resolve, reject) => {
    options.signal?.throwIfAborted();
    const child = spawn(command, args, { shell: false, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderrTail = '';
    // Set when we stop the child; the promise settles only once it has exited, so callers
    // never clean up files a program still has open.
    let stopped: Error | null = null;

    const stop = (why: Error) => {
      if (stopped !== null) return;
      stopped = why;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(
      () =>
        stop(
          new TranscriptionError(
            `${program} took longer than ${seconds(options.timeoutMs)} s and was stopped.`,
          ),
        ),
      options.timeoutMs,
    );
    const onAbort = () => stop(abortReason(options.signal));
    options.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes > STDOUT_LIMIT) {
        stop(new TranscriptionError(`${program} wrote more than ${STDOUT_LIMIT} bytes; stopped.`));
        return;
      }
      stdout.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderrTail = (stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL);
    });

    let spawnError: NodeJS.ErrnoException | null = null;
    child.on('error', (error: NodeJS.ErrnoException) => {
      spawnError = error;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (stopped !== null) return reject(stopped);
      if (spawnError !== null) {
        const missing = spawnError.code === 'ENOENT';
        return reject(
          new TranscriptionError(
            missing
              ? `${command} was not found; install it (${options.installHint}) or configure its path.`
              : `${command} could not be started: ${spawnError.message}`,
          ),
        );
      }
      if (code !== 0) {
        const how = code === null ? `was killed by ${signal}` : `exited with code ${code}`;
        return reject(new TranscriptionError(`${program} ${how}: ${lastLines(stderrTail)}`));
      }
      resolve({ stdout: Buffer.concat(stdout).toString('utf8'), stderrTail });
    });
  });
}

function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error
    ? reason
    : new DOMException('The operation was aborted.', 'AbortError');
}

function lastLines(text: string): string {
  const lines = text.trim().split('\n').slice(-3).join(' | ');
  return lines === '' ? '(no message)' : lines;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(ms < 10_000 ? 1 : 0);
}
