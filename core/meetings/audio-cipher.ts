// Streaming encryption for recordings: a recording is never held whole in memory, so it is
// sealed as it arrives, in 64 KiB frames of AES-256-GCM under a key of its own (the file key,
// itself sealed with the meeting's data key, so destroying that key shreds the file too).
//
// File layout: the 8-byte magic "QRMAUD01", then frames of
//   [1 byte: 1 on the last frame, else 0][4 bytes: plaintext length, big-endian]
//   [ciphertext][16-byte tag]
// Each frame's nonce is its position (a 64-bit counter) and the last-frame flag, as in the
// STREAM construction: frames cannot be reordered, dropped, or cut off after any frame but the
// true last one without failing authentication. The file id (meeting and upload) is the
// additional data, so a file cannot pass for another one.
import { createCipheriv, createDecipheriv, type KeyObject } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

const MAGIC = Buffer.from('QRMAUD01', 'latin1');
export const FRAME_BYTES = 64 * 1024;
const HEADER_BYTES = 5;
const TAG_BYTES = 16;

/** The recording is damaged, cut short, or not the one asked for. */
export class AudioIntegrityError extends Error {
  override readonly name = 'AudioIntegrityError';
}

function nonce(counter: bigint, last: boolean): Buffer {
  const iv = Buffer.alloc(12);
  iv.writeBigUInt64BE(counter, 3);
  iv[11] = last ? 1 : 0;
  return iv;
}

function additionalData(fileId: string): Buffer {
  return Buffer.concat([MAGIC, Buffer.from(fileId, 'utf8')]);
}

export function encryptingStream(key: KeyObject, fileId: string): Transform {
  const aad = additionalData(fileId);
  const pending = new Pending();
  let counter = 0n;
  let started = false;

  const frame = (plain: Buffer, last: boolean): Buffer => {
    const cipher = createCipheriv('aes-256-gcm', key, nonce(counter, last), {
      authTagLength: TAG_BYTES,
    });
    counter += 1n;
    cipher.setAAD(aad);
    const header = Buffer.alloc(HEADER_BYTES);
    header[0] = last ? 1 : 0;
    header.writeUInt32BE(plain.length, 1);
    return Buffer.concat([header, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  };

  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      if (!started) {
        this.push(MAGIC);
        started = true;
      }
      pending.add(chunk);
      // A full frame goes out only when more follows, so the last frame is always flagged.
      if (pending.size > FRAME_BYTES) {
        let data = pending.take();
        while (data.length > FRAME_BYTES) {
          this.push(frame(data.subarray(0, FRAME_BYTES), false));
          data = data.subarray(FRAME_BYTES);
        }
        pending.add(data);
      }
      done();
    },
    flush(done: TransformCallback) {
      if (!started) this.push(MAGIC);
      this.push(frame(pending.take(), true));
      done();
    },
  });
}

export function decryptingStream(key: KeyObject, fileId: string): Transform {
  const aad = additionalData(fileId);
  const pending = new Pending();
  let counter = 0n;
  let magicSeen = false;
  let ended = false;
  // Bytes needed before the next piece can be read: the magic, a frame header, or a frame.
  let needed = MAGIC.length;

  const open = (data: Buffer, last: boolean, length: number): Buffer => {
    const total = HEADER_BYTES + length + TAG_BYTES;
    const decipher = createDecipheriv('aes-256-gcm', key, nonce(counter, last), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(aad);
    decipher.setAuthTag(data.subarray(total - TAG_BYTES, total));
    try {
      return Buffer.concat([
        decipher.update(data.subarray(HEADER_BYTES, total - TAG_BYTES)),
        decipher.final(),
      ]);
    } catch (error) {
      throw new AudioIntegrityError(
        `frame ${counter} of the recording does not authenticate: it was altered, moved, or ` +
          'belongs to another recording',
        { cause: error },
      );
    } finally {
      counter += 1n;
    }
  };

  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      pending.add(chunk);
      if (pending.size < needed) return done();
      let data = pending.take();
      try {
        if (!magicSeen) {
          if (!data.subarray(0, MAGIC.length).equals(MAGIC)) {
            throw new AudioIntegrityError('this is not an encrypted Quorum recording');
          }
          magicSeen = true;
          data = data.subarray(MAGIC.length);
        }
        needed = HEADER_BYTES;
        while (data.length >= HEADER_BYTES) {
          if (ended) throw new AudioIntegrityError('data follows the last frame of the recording');
          if (data[0]! > 1) throw new AudioIntegrityError('a frame header is damaged');
          const last = data[0] === 1;
          const length = data.readUInt32BE(1);
          if (length > FRAME_BYTES) throw new AudioIntegrityError('a frame is larger than allowed');
          const total = HEADER_BYTES + length + TAG_BYTES;
          if (data.length < total) {
            needed = total;
            break;
          }
          this.push(open(data, last, length));
          ended = last;
          data = data.subarray(total);
          needed = HEADER_BYTES;
        }
        pending.add(data);
        done();
      } catch (error) {
        done(error as Error);
      }
    },
    flush(done: TransformCallback) {
      if (!ended || pending.size > 0) {
        done(new AudioIntegrityError('the recording is cut short: its last frame is missing'));
        return;
      }
      done();
    },
  });
}

/** Incoming chunks, joined only when a whole frame is there: no quadratic copying of tiny chunks. */
class Pending {
  #pieces: Buffer[] = [];
  size = 0;

  add(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.#pieces.push(chunk);
    this.size += chunk.length;
  }

  take(): Buffer {
    const all =
      this.#pieces.length === 1 ? this.#pieces[0]! : Buffer.concat(this.#pieces, this.size);
    this.#pieces = [];
    this.size = 0;
    return all;
  }
}
