// The queue between the live socket and the engine. When the engine is slower than the audio
// arrives (a loaded machine, a slow engine), the audio waits rather than being dropped: a few
// seconds in memory, the rest in a sealed spool on disk (audio-spool.ts), read back in order.
// Only a sender with more waiting than a recording may hold is told to stop.
import { AudioSpool } from './audio-spool.ts';

export interface AudioQueueOptions {
  /** Most audio held in memory, in bytes; more waits on disk. */
  memoryBytes: number;
  /** Most audio that may wait at all (memory and disk), in bytes. */
  maxWaitingBytes: number;
  /** Where the spool's private folder is made. */
  spoolRoot: string;
}

export class AudioQueue {
  readonly #options: AudioQueueOptions;
  readonly #memory: Uint8Array[] = [];
  #memoryBytes = 0;
  #spool: Promise<AudioSpool> | null = null;
  /** Bytes added to the spool and not yet read back. */
  #spooled = 0;
  #failure: Error | null = null;
  #closed = false;
  #wake: (() => void) | null = null;

  constructor(options: AudioQueueOptions) {
    this.#options = options;
  }

  /** The engine reads this; it ends once the queue is closed and emptied. */
  readonly chunks: AsyncIterable<Uint8Array> = {
    [Symbol.asyncIterator]: () => this.#read(),
  };

  /** Audio waiting for the engine, in bytes. */
  get waitingBytes(): number {
    return this.#memoryBytes + this.#spooled;
  }

  /** Of that, what waits on disk. */
  get spooledBytes(): number {
    return this.#spooled;
  }

  /** False once closed, when the spool failed, or when more would wait than allowed. */
  push(pcm: Uint8Array): boolean {
    if (this.#closed || this.#failure) return false;
    if (this.waitingBytes + pcm.length > this.#options.maxWaitingBytes) return false;
    // Once audio waits on disk, later audio goes there too, so it is read back in order.
    if (this.#spooled === 0 && this.#memoryBytes + pcm.length <= this.#options.memoryBytes) {
      this.#memory.push(pcm);
      this.#memoryBytes += pcm.length;
    } else {
      this.#spooled += pcm.length;
      this.#toSpool(pcm);
    }
    this.#wake?.();
    return true;
  }

  /** Drops what is waiting and takes no more (an abort: the engine stops at once). */
  discard(): void {
    this.#memory.length = 0;
    this.#memoryBytes = 0;
    this.#spooled = 0;
    this.close();
  }

  close(): void {
    this.#closed = true;
    this.#wake?.();
  }

  /** Removes the spool; for when the engine no longer reads. */
  async dispose(): Promise<void> {
    this.discard();
    const spool = this.#spool;
    this.#spool = null;
    await (await spool?.catch(() => null))?.remove();
  }

  async *#read(): AsyncGenerator<Uint8Array> {
    for (;;) {
      const next = this.#memory.shift();
      if (next) {
        this.#memoryBytes -= next.length;
        yield next;
      } else if (this.#spooled > 0) {
        yield await this.#fromSpool();
      } else if (this.#failure) {
        throw this.#failure;
      } else if (this.#closed) {
        return;
      } else {
        await new Promise<void>((resolve) => (this.#wake = resolve));
        this.#wake = null;
      }
    }
  }

  #toSpool(pcm: Uint8Array): void {
    this.#spool ??= AudioSpool.open(this.#options.spoolRoot);
    this.#spool.then((spool) => spool.append(pcm)).catch((error: unknown) => this.#fail(error));
  }

  async #fromSpool(): Promise<Uint8Array> {
    const spool = await this.#spool!;
    const piece = await spool.next().catch((error: unknown) => {
      throw this.#fail(error);
    });
    if (piece === null) throw this.#fail(new Error('the spool has less than it was given'));
    this.#spooled = Math.max(0, this.#spooled - piece.length);
    if (this.#spooled === 0) void spool.empty().catch((error: unknown) => this.#fail(error));
    return piece;
  }

  #fail(error: unknown): Error {
    const why = error instanceof Error ? error.message : String(error);
    this.#failure ??= new Error(`Live audio could not wait on disk for the engine: ${why}`);
    this.#wake?.();
    return this.#failure;
  }
}
