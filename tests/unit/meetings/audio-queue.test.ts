// The queue between the live socket and the engine, on the real file system: when the engine
// reads nothing for a while, audio beyond the memory bound waits in a sealed file instead of
// being refused or dropped; everything comes back out in order, byte for byte, whatever the
// interleaving of pushes and reads; only more than the limit is refused; and nothing is left on
// disk afterwards.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { AudioQueue } from '../../../core/meetings/intake/audio-queue.ts';

const SECOND = 32_000;
const FRAME = SECOND / 10;
/** How long to wait for the spool's writes on a loaded machine. */
const WRITTEN = { timeout: 20_000, interval: 20 };
const root = mkdtempSync(path.join(os.tmpdir(), 'quorum-audio-queue-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function queueIn(name: string, options: { memoryBytes?: number; maxWaitingBytes?: number } = {}) {
  const spoolRoot = path.join(root, name);
  const queue = new AudioQueue({
    memoryBytes: options.memoryBytes ?? 10 * SECOND,
    maxWaitingBytes: options.maxWaitingBytes ?? 3600 * SECOND,
    spoolRoot,
  });
  return { queue, spoolRoot };
}

/** Every file under the spool root, with its bytes. */
function spoolFiles(spoolRoot: string): Buffer[] {
  let folders: string[];
  try {
    folders = readdirSync(spoolRoot);
  } catch {
    return [];
  }
  return folders.flatMap((folder) =>
    readdirSync(path.join(spoolRoot, folder)).map((file) =>
      readFileSync(path.join(spoolRoot, folder, file)),
    ),
  );
}

async function readAll(queue: AudioQueue): Promise<Buffer> {
  const out: Uint8Array[] = [];
  for await (const chunk of queue.chunks) out.push(chunk);
  return Buffer.concat(out);
}

describe('AudioQueue', () => {
  it('takes a minute of audio the engine does not read, keeps 10 s in memory and the rest sealed on disk, and gives all of it back in order', async () => {
    const { queue, spoolRoot } = queueIn('minute');
    const audio = randomBytes(60 * SECOND);
    for (let i = 0; i < audio.length; i += FRAME) {
      expect(queue.push(audio.subarray(i, i + FRAME))).toBe(true);
    }
    expect(queue.waitingBytes).toBe(audio.length);
    expect(queue.spooledBytes).toBe(50 * SECOND);
    // Once written, the spool holds the 50 s, sealed: no frame of it can be found in the clear.
    await vi.waitFor(() => {
      const [file] = spoolFiles(spoolRoot);
      expect(file?.length).toBeGreaterThanOrEqual(50 * SECOND);
    }, WRITTEN);
    const [file] = spoolFiles(spoolRoot);
    for (const at of [10 * SECOND, 30 * SECOND, 60 * SECOND - FRAME]) {
      expect(file!.includes(audio.subarray(at, at + 64))).toBe(false);
    }

    queue.close();
    expect((await readAll(queue)).equals(audio)).toBe(true);
    await queue.dispose();
    expect(readdirSync(spoolRoot)).toEqual([]);
  });

  it('keeps the order whatever the interleaving of pushes and reads, in and out of the spool', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ frames: fc.integer({ min: 0, max: 12 }), read: fc.nat(12) }), {
          minLength: 1,
          maxLength: 25,
        }),
        async (steps) => {
          // 4 frames in memory, then the spool: steps cross the bound both ways.
          const { queue } = queueIn('interleaved', { memoryBytes: 4 * FRAME });
          const reader = queue.chunks[Symbol.asyncIterator]();
          const sent: Buffer[] = [];
          const got: Uint8Array[] = [];
          for (const step of steps) {
            for (let f = 0; f < step.frames; f++) {
              const frame = randomBytes(FRAME);
              sent.push(frame);
              expect(queue.push(frame)).toBe(true);
            }
            const available = sent.length - got.length;
            for (let r = 0; r < Math.min(step.read, available); r++) {
              got.push((await reader.next()).value as Uint8Array);
            }
          }
          queue.close();
          for (let next = await reader.next(); !next.done; next = await reader.next()) {
            got.push(next.value);
          }
          await queue.dispose();
          expect(Buffer.concat(got).equals(Buffer.concat(sent))).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('refuses only what would make more wait than the limit, and takes more once the engine read some', async () => {
    const { queue } = queueIn('limit', { memoryBytes: 2 * FRAME, maxWaitingBytes: 5 * FRAME });
    for (let f = 0; f < 5; f++) expect(queue.push(randomBytes(FRAME))).toBe(true);
    expect(queue.push(randomBytes(FRAME))).toBe(false);
    const reader = queue.chunks[Symbol.asyncIterator]();
    await reader.next();
    expect(queue.push(randomBytes(FRAME))).toBe(true);
    await queue.dispose();
  });

  it('drops what waits when discarded (a shutdown), ends the reading and leaves no file', async () => {
    const { queue, spoolRoot } = queueIn('discard', { memoryBytes: FRAME });
    for (let f = 0; f < 20; f++) queue.push(randomBytes(FRAME));
    await vi.waitFor(() => expect(spoolFiles(spoolRoot).length).toBe(1), WRITTEN);
    queue.discard();
    expect(queue.push(randomBytes(FRAME))).toBe(false);
    expect((await readAll(queue)).length).toBe(0);
    await queue.dispose();
    expect(readdirSync(spoolRoot)).toEqual([]);
  });
});
