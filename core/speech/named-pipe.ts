// Feeding a program that opens its input by name (pocketsphinx's -infile) with data as it
// arrives: a named pipe in a private folder. A child's standard input here is a socket, which
// such a program cannot open, hence the named pipe. The writing end is opened only once the
// program has opened its end (until then opening it without waiting fails with ENXIO): closing
// a pipe it has not opened yet would lose what was written, or leave it waiting forever for a
// writer. Writes wait while the pipe is full, so a slow reader holds the writer back.
import { constants, open } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { Socket } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { runProcess } from './run-process.ts';

const openFd = promisify(open);
/** How often to look whether the reader has opened its end (it does once its model is loaded). */
const READER_POLL_MS = 20;

export class NamedPipeWriter {
  readonly path: string;
  readonly #dir: string;
  #socket: Promise<Socket> | null = null;
  #readerGone = false;
  /** The one write waiting for room in the pipe. */
  #waiting: { resolve(): void; reject(error: Error): void } | null = null;

  private constructor(dir: string) {
    this.#dir = dir;
    this.path = path.join(dir, 'input');
  }

  /** Makes the pipe in a private folder under `root`. */
  static async create(root: string): Promise<NamedPipeWriter> {
    const dir = await mkdtemp(path.join(root, 'quorum-live-'));
    const pipe = new NamedPipeWriter(dir);
    try {
      await runProcess('mkfifo', ['-m', '600', pipe.path], {
        timeoutMs: 10_000,
        installHint: 'it comes with coreutils',
      });
      return pipe;
    } catch (error) {
      await pipe.remove();
      throw error;
    }
  }

  /** Resolves once the pipe may take more; rejects when the reader is gone. */
  async write(chunk: Uint8Array): Promise<void> {
    const socket = await this.#open();
    if (this.#readerGone) throw new Error('the reader of the pipe is gone');
    if (socket.write(chunk)) return;
    await new Promise<void>((resolve, reject) => (this.#waiting = { resolve, reject }));
  }

  /** No more data: the reader sees the end once it has read the rest. */
  async end(): Promise<void> {
    if (this.#readerGone) return;
    const socket = await this.#open();
    await new Promise<void>((resolve) => {
      socket.once('finish', resolve).once('close', resolve);
      socket.end();
    });
  }

  /** The reader exited (or will not read): writes stop waiting for it. */
  #gone(): void {
    this.#readerGone = true;
    this.#tell()?.reject(new Error('the reader of the pipe is gone'));
    void this.#socket?.then((s) => s.destroy()).catch(() => {});
  }

  /** Once the reader exited: writes stop waiting for it, and the pipe and its folder go. */
  async remove(): Promise<void> {
    this.#gone();
    await rm(this.#dir, { recursive: true, force: true });
  }

  #open(): Promise<Socket> {
    return (this.#socket ??= this.#whenReaderOpens());
  }

  async #whenReaderOpens(): Promise<Socket> {
    for (;;) {
      if (this.#readerGone) throw new Error('the reader of the pipe is gone');
      try {
        const fd = await openFd(this.path, constants.O_WRONLY | constants.O_NONBLOCK);
        const socket = new Socket({ fd, readable: false, writable: true });
        socket.on('drain', () => this.#tell()?.resolve());
        // A reader that exits breaks the pipe; `remove` says so to the waiting write.
        socket.on('error', () => {});
        if (this.#readerGone) socket.destroy();
        return socket;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENXIO') throw error;
      }
      await sleep(READER_POLL_MS);
    }
  }

  #tell() {
    const waiting = this.#waiting;
    this.#waiting = null;
    return waiting;
  }
}
