// The streaming recording cipher: what goes in comes out, in any chunking, and a file that was
// cut short, reordered, extended or renamed is refused instead of decrypted.
import { createSecretKey, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FRAME_BYTES,
  decryptingStream,
  encryptingStream,
} from '../../../core/meetings/audio-cipher.ts';

const key = createSecretKey(randomBytes(32));
const FILE = 'm-1.abc.qra';
const MAGIC = 8;
const FRAME = 5 + FRAME_BYTES + 16;

async function encrypt(plain: Buffer, chunk = 10_000, file = FILE): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for (let i = 0; i < plain.length; i += chunk) pieces.push(plain.subarray(i, i + chunk));
  return buffer(Readable.from(pieces).pipe(encryptingStream(key, file)));
}

function decrypt(sealed: Buffer, file = FILE, chunk = 7_000): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for (let i = 0; i < sealed.length; i += chunk) pieces.push(sealed.subarray(i, i + chunk));
  return buffer(Readable.from(pieces).pipe(decryptingStream(key, file)));
}

describe('recording cipher', () => {
  it('round-trips any recording in any chunking', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 3 * FRAME_BYTES + 5 }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 1, max: 100_000 }),
        async (size, inChunk, outChunk) => {
          const plain = randomBytes(size);
          const sealed = await encrypt(plain, inChunk);
          expect((await decrypt(sealed, FILE, outChunk)).equals(plain)).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('keeps exact frame multiples whole, with the last frame marked', async () => {
    const plain = randomBytes(2 * FRAME_BYTES);
    const sealed = await encrypt(plain, FRAME_BYTES);
    // Two full frames; the second carries the last-frame flag; no empty trailer.
    expect(sealed.length).toBe(MAGIC + 2 * FRAME);
    expect(sealed[MAGIC]).toBe(0);
    expect(sealed[MAGIC + FRAME]).toBe(1);
    expect((await decrypt(sealed)).equals(plain)).toBe(true);
  });

  it('refuses a file cut short at a frame boundary', async () => {
    const sealed = await encrypt(randomBytes(3 * FRAME_BYTES));
    await expect(decrypt(sealed.subarray(0, MAGIC + 2 * FRAME))).rejects.toThrow(
      'the recording is cut short',
    );
  });

  it('refuses a file whose last frame was flagged early (frames dropped)', async () => {
    const sealed = await encrypt(randomBytes(3 * FRAME_BYTES));
    const cut = Buffer.from(sealed.subarray(0, MAGIC + FRAME));
    cut[MAGIC] = 1;
    await expect(decrypt(cut)).rejects.toThrow('frame 0 of the recording does not authenticate');
  });

  it('refuses reordered frames, appended data, and a file under another name', async () => {
    const sealed = await encrypt(randomBytes(3 * FRAME_BYTES));
    const first = sealed.subarray(MAGIC, MAGIC + FRAME);
    const second = sealed.subarray(MAGIC + FRAME, MAGIC + 2 * FRAME);
    const swapped = Buffer.concat([
      sealed.subarray(0, MAGIC),
      second,
      first,
      sealed.subarray(MAGIC + 2 * FRAME),
    ]);
    await expect(decrypt(swapped)).rejects.toThrow('does not authenticate');
    await expect(decrypt(Buffer.concat([sealed, Buffer.from([0, 0, 0, 0, 1])]))).rejects.toThrow(
      /data follows the last frame|cut short/,
    );
    await expect(decrypt(sealed, 'm-2.abc.qra')).rejects.toThrow('does not authenticate');
    await expect(decrypt(Buffer.from('RIFF....WAVEfmt '))).rejects.toThrow(
      'this is not an encrypted Quorum recording',
    );
  });
});
