// Live audio waiting for the engine beyond what is kept in memory: a file in a private folder,
// each piece sealed with AES-256-GCM under a key that exists only in this process's memory, so
// what a crash leaves behind cannot be read (and the work-folder sweep removes it). Pieces are
// read back in the order they were added; once all are read the file is emptied.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

const LENGTH_BYTES = 4;
const TAG_BYTES = 16;

export class AudioSpool {
  readonly #dir: string;
  readonly #file: FileHandle;
  readonly #key = randomBytes(32);
  /** Appends and the emptying, one after another in the order asked. */
  #writes: Promise<void> = Promise.resolve();
  #writeAt = 0;
  #readAt = 0;
  #sealed = 0n;
  #opened = 0n;

  private constructor(dir: string, file: FileHandle) {
    this.#dir = dir;
    this.#file = file;
  }

  static async open(root: string): Promise<AudioSpool> {
    await mkdir(root, { recursive: true, mode: 0o700 });
    const dir = await mkdtemp(path.join(root, 'live-spool-'));
    try {
      return new AudioSpool(dir, await open(path.join(dir, 'audio'), 'wx+', 0o600));
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Adds a piece after the others; resolves once it is written (rejects if it could not be). */
  append(pcm: Uint8Array): Promise<void> {
    const record = this.#seal(pcm);
    return this.#then(async () => {
      await this.#file.write(record, 0, record.length, this.#writeAt);
      this.#writeAt += record.length;
    });
  }

  /** The next piece, once every append asked before has been written; null when none is left. */
  async next(): Promise<Buffer | null> {
    await this.#writes;
    if (this.#readAt >= this.#writeAt) return null;
    const length = Buffer.alloc(LENGTH_BYTES);
    await this.#file.read(length, 0, LENGTH_BYTES, this.#readAt);
    const size = length.readUInt32BE(0);
    const sealed = Buffer.alloc(size + TAG_BYTES);
    await this.#file.read(sealed, 0, sealed.length, this.#readAt + LENGTH_BYTES);
    this.#readAt += LENGTH_BYTES + sealed.length;
    return this.#unseal(sealed);
  }

  /** Everything written has been read: the file starts again empty (after pending appends). */
  empty(): Promise<void> {
    return this.#then(async () => {
      if (this.#readAt < this.#writeAt) return;
      await this.#file.truncate(0);
      this.#writeAt = 0;
      this.#readAt = 0;
    });
  }

  async remove(): Promise<void> {
    await this.#writes.catch(() => {});
    await this.#file.close().catch(() => {});
    await rm(this.#dir, { recursive: true, force: true });
  }

  #then(step: () => Promise<void>): Promise<void> {
    const next = this.#writes.then(step);
    // A failed write fails its caller; later ones still run.
    this.#writes = next.catch(() => {});
    return next;
  }

  #seal(pcm: Uint8Array): Buffer {
    const cipher = createCipheriv('aes-256-gcm', this.#key, nonce(this.#sealed++));
    const body = Buffer.concat([cipher.update(pcm), cipher.final()]);
    const length = Buffer.alloc(LENGTH_BYTES);
    length.writeUInt32BE(body.length, 0);
    return Buffer.concat([length, body, cipher.getAuthTag()]);
  }

  #unseal(sealed: Buffer): Buffer {
    const decipher = createDecipheriv('aes-256-gcm', this.#key, nonce(this.#opened++));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(0, -TAG_BYTES)), decipher.final()]);
  }
}

/** Each piece's nonce is its position: pieces are read back in the order they were sealed. */
function nonce(counter: bigint): Buffer {
  const iv = Buffer.alloc(12);
  iv.writeBigUInt64BE(counter, 4);
  return iv;
}
