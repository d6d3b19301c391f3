// Runs an external program (ffmpeg, pocketsphinx) the safe way: an argument array and no
// shell, a deadline, a kill when the caller aborts, and the output kept within bounds. Its
// output may also be read as it comes (a decoder reading live audio), with the deadline set
// once its input is complete.
import { spawn, type ChildProcess } from 'node:child_process';
import { TranscriptionError } from './transcriber.ts';

export interface RunOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** What to tell a person when the program is missing, e.g. "apt-get install ffmpeg". */
  installHint: string;
}

export interface StartOptions extends Omit<RunOptions, 'timeoutMs'> {
  /** A deadline from the start; without one, `setDeadline` gives it later. */
  timeoutMs?: number;
  /** Its output as it comes (then not gathered into the result). */
  onStdout?: (text: string) => void;
}

export interface RunResult {
  stdout: string;
  /** The last part of standard error, for messages. */
  stderrTail: string;
}

export interface RunningProcess {
  /** Stops the program unless it exits within `ms` from now. */
  setDeadline(ms: number): void;
  /** Stops the program now; `done` rejects with `why`. */
  stop(why: Error): void;
  /** Settles once the program has exited (never before, so its files may then be removed). */
  readonly done: Promise<RunResult>;
}

const STDOUT_LIMIT = 64 * 1024 * 1024;
const STDERR_TAIL = 4 * 1024;

/** Resolves when the program exits 0; rejects with a TranscriptionError (or the abort reason). */
export function runProcess(
  command: string,
  args: readonly string[],
  options: RunOptions,
): Promise<RunResult> {
  try {
    return startProcess(command, args, options).done;
  } catch (error) {
    return Promise.reject(error as Error);
  }
}

/** Starts the program; throws the abort reason at once when the caller already aborted. */
export function startProcess(
  command: string,
  args: readonly string[],
  options: StartOptions,
): RunningProcess {
  options.signal?.throwIfAborted();
  return new ProcessRun(command, args, options);
}

class ProcessRun implements RunningProcess {
  readonly done: Promise<RunResult>;
  readonly #command: string;
  readonly #program: string;
  readonly #child: ChildProcess;
  readonly #options: StartOptions;
  readonly #stdout: Buffer[] = [];
  readonly #decoder = new TextDecoder();
  #stdoutBytes = 0;
  #stderrTail = '';
  // Set when we stop the child; `done` settles only once it has exited, so callers never
  // clean up files a program still has open.
  #stopped: Error | null = null;
  #exited = false;
  #timer: NodeJS.Timeout | undefined;
  #spawnError: NodeJS.ErrnoException | null = null;
  readonly #onAbort = () => this.stop(abortReason(this.#options.signal));

  constructor(command: string, args: readonly string[], options: StartOptions) {
    this.#command = command;
    this.#program = command.split('/').at(-1) ?? command;
    this.#options = options;
    this.#child = spawn(command, args, { shell: false, stdio: ['ignore', 'pipe', 'pipe'] });
    if (options.timeoutMs !== undefined) this.setDeadline(options.timeoutMs);
    options.signal?.addEventListener('abort', this.#onAbort, { once: true });
    this.#child.stdout?.on('data', (chunk: Buffer) => this.#read(chunk));
    this.#child.stderr?.on('data', (chunk: Buffer) => {
      this.#stderrTail = (this.#stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL);
    });
    this.#child.on('error', (error: NodeJS.ErrnoException) => (this.#spawnError = error));
    this.done = new Promise<RunResult>((resolve, reject) =>
      this.#child.on('close', (code, signal) => {
        try {
          resolve(this.#closed(code, signal));
        } catch (error) {
          reject(error as Error);
        }
      }),
    );
    // A caller busy feeding the program's input reads `done` later; meanwhile it is handled.
    this.done.catch(() => {});
  }

  setDeadline(ms: number): void {
    clearTimeout(this.#timer);
    const message = `${this.#program} took longer than ${seconds(ms)} s and was stopped.`;
    this.#timer = setTimeout(() => this.stop(new TranscriptionError(message)), ms);
  }

  stop(why: Error): void {
    if (this.#stopped !== null || this.#exited) return;
    this.#stopped = why;
    this.#child.kill('SIGKILL');
  }

  #read(chunk: Buffer): void {
    this.#stdoutBytes += chunk.length;
    if (this.#stdoutBytes > STDOUT_LIMIT) {
      const message = `${this.#program} wrote more than ${STDOUT_LIMIT} bytes; stopped.`;
      this.stop(new TranscriptionError(message));
      return;
    }
    if (this.#options.onStdout)
      this.#options.onStdout(this.#decoder.decode(chunk, { stream: true }));
    else this.#stdout.push(chunk);
  }

  /** The result once the program exited, or why it failed (thrown). */
  #closed(code: number | null, signal: NodeJS.Signals | null): RunResult {
    this.#exited = true;
    clearTimeout(this.#timer);
    this.#options.signal?.removeEventListener('abort', this.#onAbort);
    if (this.#stopped !== null) throw this.#stopped;
    if (this.#spawnError !== null) {
      throw notStarted(this.#command, this.#spawnError, this.#options.installHint);
    }
    if (code !== 0) {
      const how = code === null ? `was killed by ${signal}` : `exited with code ${code}`;
      throw new TranscriptionError(`${this.#program} ${how}: ${lastLines(this.#stderrTail)}`);
    }
    const rest = this.#decoder.decode();
    if (rest !== '') this.#options.onStdout?.(rest);
    return { stdout: Buffer.concat(this.#stdout).toString('utf8'), stderrTail: this.#stderrTail };
  }
}

function notStarted(command: string, error: NodeJS.ErrnoException, hint: string): Error {
  return new TranscriptionError(
    error.code === 'ENOENT'
      ? `${command} was not found; install it (${hint}) or configure its path.`
      : `${command} could not be started: ${error.message}`,
  );
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
