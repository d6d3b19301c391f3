// Where recordings live while they wait for transcription: encrypted files under the data
// folder, one folder per tenant, readable by this user only. Transcription gets a decrypted
// copy in a private work folder that is removed as soon as the engine is done with it.
//
//   <dataDir>/meetings/recordings/<tenantId>/<meetingId>.<uploadId>.qra
//   <dataDir>/meetings/work/<random>/
//
// Every node that receives uploads or transcribes must see the same data folder (one machine,
// or a shared volume).
import { createReadStream, createWriteStream, type Stats } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { KeyObject } from 'node:crypto';
import { decryptingStream, encryptingStream } from './audio-cipher.ts';

export const RECORDING_SUFFIX = '.qra';

/** The upload is larger than the limit; nothing of it is kept. */
export class RecordingTooLargeError extends Error {
  override readonly name = 'RecordingTooLargeError';
  readonly limitBytes: number;
  constructor(limitBytes: number) {
    super(`The recording is larger than the limit of ${describeBytes(limitBytes)}.`);
    this.limitBytes = limitBytes;
  }
}

export function describeBytes(bytes: number): string {
  if (bytes >= 1024 ** 3 && bytes % 1024 ** 3 === 0) return `${bytes / 1024 ** 3} GiB`;
  return `${Math.round((bytes / 1024 ** 2) * 10) / 10} MiB`;
}

export class RecordingFiles {
  readonly root: string;
  constructor(dataDir: string) {
    this.root = path.resolve(dataDir, 'meetings');
  }

  get workRoot(): string {
    return path.join(this.root, 'work');
  }

  folderOf(tenantId: string): string {
    return path.join(this.root, 'recordings', tenantId);
  }

  pathOf(tenantId: string, file: string): string {
    if (file !== path.basename(file)) throw new Error(`not a recording file name: ${file}`);
    return path.join(this.folderOf(tenantId), file);
  }

  /**
   * Streams `body` into a new encrypted file, counting bytes as they pass; above `maxBytes`
   * it stops reading and removes what was written. Resolves to the plaintext size.
   */
  async write(
    body: Readable,
    target: { tenantId: string; file: string },
    key: KeyObject,
    maxBytes: number,
  ): Promise<number> {
    const folder = this.folderOf(target.tenantId);
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const file = this.pathOf(target.tenantId, target.file);
    let bytes = 0;
    const limit = new Transform({
      transform(chunk: Buffer, _encoding, done: TransformCallback) {
        bytes += chunk.length;
        if (bytes > maxBytes) return done(new RecordingTooLargeError(maxBytes));
        done(null, chunk);
      },
    });
    try {
      await pipeline(
        body,
        limit,
        encryptingStream(key, target.file),
        createWriteStream(file, { flags: 'wx', mode: 0o600 }),
      );
      return bytes;
    } catch (error) {
      await rm(file, { force: true });
      throw error;
    }
  }

  /** A private folder holding the decrypted recording; removed by `release`, whatever happens. */
  async decryptForTranscription(
    tenantId: string,
    file: string,
    key: KeyObject,
  ): Promise<{ path: string; release(): Promise<void> }> {
    await mkdir(this.workRoot, { recursive: true, mode: 0o700 });
    const dir = await mkdtemp(path.join(this.workRoot, 'rec-'));
    const release = () => rm(dir, { recursive: true, force: true });
    try {
      const plain = path.join(dir, 'recording');
      await pipeline(
        createReadStream(this.pathOf(tenantId, file)),
        decryptingStream(key, file),
        createWriteStream(plain, { flags: 'wx', mode: 0o600 }),
      );
      return { path: plain, release };
    } catch (error) {
      await release();
      throw error;
    }
  }

  async exists(tenantId: string, file: string): Promise<boolean> {
    return (await stat(this.pathOf(tenantId, file)).catch(() => null)) !== null;
  }

  async remove(tenantId: string, file: string): Promise<void> {
    await rm(this.pathOf(tenantId, file), { force: true });
  }

  /** Every recording file on disk, with its last change, for the orphan sweep. */
  async *list(): AsyncGenerator<{ tenantId: string; file: string; modifiedAt: Date }> {
    const base = path.join(this.root, 'recordings');
    for (const tenantId of await readdir(base).catch(() => [] as string[])) {
      const folder = path.join(base, tenantId);
      for (const file of await readdir(folder).catch(() => [] as string[])) {
        const info: Stats | null = await stat(path.join(folder, file)).catch(() => null);
        if (info?.isFile()) yield { tenantId, file, modifiedAt: info.mtime };
      }
    }
  }

  /** Work folders left by a process that died mid-transcription. */
  async removeStaleWork(olderThan: Date): Promise<number> {
    let removed = 0;
    for (const name of await readdir(this.workRoot).catch(() => [] as string[])) {
      const dir = path.join(this.workRoot, name);
      const info = await stat(dir).catch(() => null);
      if (info && info.mtime < olderThan) {
        await rm(dir, { recursive: true, force: true });
        removed += 1;
      }
    }
    return removed;
  }
}

/** The meeting a recording file belongs to, from its name. */
export function meetingOfFile(file: string): string | null {
  const match = /^([A-Za-z0-9_-]{1,100})\.[A-Za-z0-9_-]+\.qra$/.exec(file);
  return match ? match[1]! : null;
}
