// AES-256-GCM for one stored value, bound to the record it belongs to.
//
// Stored form, four dot-separated base64url parts:
//
//   q1.<data key id>.<96-bit IV>.<ciphertext followed by the 128-bit tag>
//
// Version `q2` is the same with the plaintext compressed (raw DEFLATE) before encryption, for
// large values that compress well (transcript chunks, about 4x): the embedded database decodes,
// writes and, with secure_delete, zeroes every byte of a document, so their size is much of what
// storing, reading and purging a transcript costs. What compression reveals is how well a value
// compresses, from its length, to whoever reads the database files; nobody can add text to a
// stored value and watch its length change, which is what compression attacks need.
//
// The additional authenticated data is the format version, the data key id and the record's
// identity (tenant, collection, record id, field). A ciphertext copied into another record,
// field or tenant, or re-labelled with another data key id or version, fails authentication
// instead of decrypting. Any new format gets a new version prefix; older values stay readable.
import { createCipheriv, createDecipheriv, randomBytes, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { deflateRaw, inflateRaw } from 'node:zlib';
import { DecryptionFailedError } from './errors.ts';

/** `q1`: the plaintext as given; `q2`: the plaintext compressed with raw DEFLATE first. */
export type SealedVersion = 'q1' | 'q2';
const VERSIONS: readonly string[] = ['q1', 'q2'] satisfies SealedVersion[];
// zlib's asynchronous forms run on libuv's thread pool, off the thread that serves requests.
const deflate = promisify(deflateRaw);
const inflate = promisify(inflateRaw);
/** Speed over ratio: transcript text compresses 3.8x at level 1 and 4.2x at 6, in half the time. */
const DEFLATE_LEVEL = 1;
/** A q2 value never opens to more than this. */
const MAX_INFLATED_BYTES = 64 * 1024 * 1024;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Where a value lives; every part is authenticated with the value. */
export interface RecordIdentity {
  readonly tenantId: string;
  readonly collection: string;
  readonly id: string;
  readonly field: string;
}

export interface SealedParts {
  readonly version: SealedVersion;
  readonly keyId: string;
  readonly iv: Buffer;
  readonly body: Buffer;
}

function additionalData(version: SealedVersion, keyId: string, record: RecordIdentity): Buffer {
  // A JSON array is unambiguous: no choice of ids can make two identities serialize alike.
  return Buffer.from(
    JSON.stringify([version, keyId, record.tenantId, record.collection, record.id, record.field]),
  );
}

export function isSealed(value: unknown): value is string {
  return typeof value === 'string' && VERSIONS.some((version) => value.startsWith(`${version}.`));
}

/** Seals `plaintext`, labelled `version` (for q2, the caller has compressed it). */
export function sealBytes(
  key: KeyObject,
  keyId: string,
  record: RecordIdentity,
  plaintext: Buffer,
  version: SealedVersion = 'q1',
): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(version, keyId, record));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return [
    version,
    Buffer.from(keyId).toString('base64url'),
    iv.toString('base64url'),
    body.toString('base64url'),
  ].join('.');
}

function strictBase64url(part: string): Buffer | undefined {
  const bytes = Buffer.from(part, 'base64url');
  // Node decodes leniently (skips stray characters); only an exact round trip is well formed.
  return bytes.toString('base64url') === part ? bytes : undefined;
}

/** Splits a stored value; throws DecryptionFailedError('malformed') if it is not a q1/q2 value. */
export function parseSealed(value: string): SealedParts {
  const parts = value.split('.');
  const malformed = (why: string) =>
    new DecryptionFailedError(
      'malformed',
      `stored value is not an encrypted q1 or q2 value: ${why}`,
    );
  if (parts.length !== 4 || !VERSIONS.includes(parts[0]!)) {
    throw malformed('expected q1 or q2.<key>.<iv>.<data>');
  }
  const keyId = strictBase64url(parts[1]!)?.toString('utf8');
  const iv = strictBase64url(parts[2]!);
  const body = strictBase64url(parts[3]!);
  if (!keyId) throw malformed('bad key id');
  if (!iv || iv.length !== IV_BYTES) throw malformed('bad IV');
  if (!body || body.length < TAG_BYTES) throw malformed('ciphertext too short');
  return { version: parts[0] as SealedVersion, keyId, iv, body };
}

export function openBytes(key: KeyObject, sealed: SealedParts, record: RecordIdentity): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(additionalData(sealed.version, sealed.keyId, record));
  decipher.setAuthTag(sealed.body.subarray(sealed.body.length - TAG_BYTES));
  try {
    return Buffer.concat([
      decipher.update(sealed.body.subarray(0, sealed.body.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch (error) {
    throw new DecryptionFailedError(
      'not-authentic',
      `encrypted value of ${record.collection}/${record.id}.${record.field} does not authenticate: ` +
        'it was altered, or it belongs to another record, field or tenant',
      { cause: error },
    );
  }
}

/** Compresses `plaintext` and seals it as a q2 value. */
export async function sealCompressed(
  key: KeyObject,
  keyId: string,
  record: RecordIdentity,
  plaintext: Buffer,
): Promise<string> {
  return sealBytes(key, keyId, record, await deflate(plaintext, { level: DEFLATE_LEVEL }), 'q2');
}

/**
 * Opens a value of either version: a q2 value is inflated once it has authenticated. One that
 * authenticates but does not inflate (or inflates past `maxBytes`) is 'malformed'.
 */
export async function openPlaintext(
  key: KeyObject,
  sealed: SealedParts,
  record: RecordIdentity,
  maxBytes = MAX_INFLATED_BYTES,
): Promise<Buffer> {
  const opened = openBytes(key, sealed, record);
  if (sealed.version === 'q1') return opened;
  try {
    return await inflate(opened, { maxOutputLength: maxBytes });
  } catch (error) {
    throw new DecryptionFailedError(
      'malformed',
      `encrypted value of ${record.collection}/${record.id}.${record.field} is not ` +
        `compressed data of at most ${maxBytes} bytes`,
      { cause: error },
    );
  }
}
