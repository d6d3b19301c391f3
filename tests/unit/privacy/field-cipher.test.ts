import { createSecretKey, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecryptionFailedError } from '../../../core/privacy/errors.ts';
import {
  isSealed,
  openBytes,
  openPlaintext,
  parseSealed,
  sealBytes,
  sealCompressed,
  type RecordIdentity,
} from '../../../core/privacy/field-cipher.ts';

const key = createSecretKey(randomBytes(32));
const record: RecordIdentity = {
  tenantId: 'tenant000a',
  collection: 'transcript_segments',
  id: 'seg-1',
  field: 'text',
};

function open(sealed: string, where: RecordIdentity = record, k = key): string {
  return openBytes(k, parseSealed(sealed), where).toString('utf8');
}

function reason(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof DecryptionFailedError) return error.reason;
    throw error;
  }
  return undefined;
}

describe('field cipher (AES-256-GCM, record identity as AAD)', () => {
  it('round-trips and writes the versioned compact format', () => {
    const sealed = sealBytes(key, 'meeting:m1', record, Buffer.from('we ship on friday'));
    expect(sealed).toMatch(/^q1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(isSealed(sealed)).toBe(true);
    expect(parseSealed(sealed).keyId).toBe('meeting:m1');
    expect(open(sealed)).toBe('we ship on friday');
  });

  it('uses a fresh 96-bit IV for every value', () => {
    const ivs = new Set<string>();
    for (let i = 0; i < 200; i++) {
      ivs.add(parseSealed(sealBytes(key, 'k', record, Buffer.from('same'))).iv.toString('hex'));
    }
    expect(ivs.size).toBe(200);
  });

  it('fails to open under another tenant, collection, record id or field', () => {
    const sealed = sealBytes(key, 'meeting:m1', record, Buffer.from('secret'));
    for (const moved of [
      { ...record, tenantId: 'tenant000b' },
      { ...record, collection: 'summaries' },
      { ...record, id: 'seg-2' },
      { ...record, field: 'speaker' },
    ]) {
      expect(reason(() => open(sealed, moved))).toBe('not-authentic');
    }
  });

  it('fails when the key id in the header is swapped, or the key is another', () => {
    const sealed = sealBytes(key, 'meeting:m1', record, Buffer.from('secret'));
    const [v, , iv, body] = sealed.split('.');
    const relabelled = [v, Buffer.from('meeting:m2').toString('base64url'), iv, body].join('.');
    expect(reason(() => open(relabelled))).toBe('not-authentic');
    expect(reason(() => open(sealed, record, createSecretKey(randomBytes(32))))).toBe(
      'not-authentic',
    );
  });

  it('labels a compressed value q2, and fails when a label is swapped for the other', () => {
    const compressed = sealBytes(key, 'meeting:m1', record, Buffer.from('deflated'), 'q2');
    expect(compressed).toMatch(/^q2\./);
    expect(isSealed(compressed)).toBe(true);
    // A version needs its dot: these are plain text.
    for (const plain of ['q1x', 'q2', 'q3.a.b.c']) expect(isSealed(plain), plain).toBe(false);
    expect(parseSealed(compressed).version).toBe('q2');
    expect(open(compressed)).toBe('deflated');
    const plain = sealBytes(key, 'meeting:m1', record, Buffer.from('as given'));
    expect(reason(() => open(`q1${compressed.slice(2)}`))).toBe('not-authentic');
    expect(reason(() => open(`q2${plain.slice(2)}`))).toBe('not-authentic');
  });

  it('compresses and inflates q2 values, and calls one that does not inflate malformed', async () => {
    const text = 'we ship on friday. '.repeat(500);
    const sealed = await sealCompressed(key, 'k', record, Buffer.from(text));
    expect(sealed.length * 10).toBeLessThan(text.length);
    expect((await openPlaintext(key, parseSealed(sealed), record)).toString()).toBe(text);
    // Authentic, yet not DEFLATE data; and a value that inflates past the limit.
    const garbage = sealBytes(key, 'k', record, Buffer.from([0xff, 0xff, 0xff]), 'q2');
    await expect(openPlaintext(key, parseSealed(garbage), record)).rejects.toMatchObject({
      reason: 'malformed',
    });
    await expect(openPlaintext(key, parseSealed(sealed), record, 100)).rejects.toMatchObject({
      reason: 'malformed',
    });
    const plain = sealBytes(key, 'k', record, Buffer.from('as given'));
    expect((await openPlaintext(key, parseSealed(plain), record)).toString()).toBe('as given');
  });

  it('rejects any single flipped bit in IV, ciphertext or tag (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 64 }), fc.nat(), (text, pick) => {
        const sealed = sealBytes(key, 'k', record, Buffer.from(text));
        const parts = parseSealed(sealed);
        const bytes = Buffer.concat([parts.iv, parts.body]);
        const bit = pick % (bytes.length * 8);
        bytes[bit >> 3]! ^= 1 << (bit & 7);
        const tampered = {
          version: parts.version,
          keyId: parts.keyId,
          iv: bytes.subarray(0, 12),
          body: bytes.subarray(12),
        };
        expect(reason(() => openBytes(key, tampered, record))).toBe('not-authentic');
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips any text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        expect(open(sealBytes(key, 'k', record, Buffer.from(text)))).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('names malformed input as malformed', () => {
    for (const bad of [
      'plain text',
      'q1.a.b',
      'q3.aw.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA',
      'q1.aw.AAAA.AAAAAAAAAAAAAAAAAAAAAA',
      'q1.aw.AAAAAAAAAAAAAAAA.AAAA',
      'q1.a*w.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA',
    ]) {
      expect(
        reason(() => parseSealed(bad)),
        bad,
      ).toBe('malformed');
    }
  });
});
