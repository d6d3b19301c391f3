// An audit anchor: a tenant's audit log head (the number and hash of its last entry) at a moment,
// signed with the certificate key (Ed25519 over RFC 8785 canonical JSON, as deletion
// certificates are). Two things carry one:
//
// - a checkpoint, written daily by the checkpoint job (audit-checkpoint.ts):
//     { "anchor": { "type": "quorum.audit-anchor", "version": 1, "tenantId", "kid", "seq",
//                   "hash", "at" },
//       "signature": { "alg": "EdDSA", "value": "<base64url>" } }
// - a deletion certificate, whose `auditHead` names the log's last entry when it was signed,
//   its deletion's own entry included (its signature covers it).
//
// What an anchor proves: the hash chain links every entry to the ones before it, so if the
// entry an anchor names is still in the log with the anchored hash, and the chain verifies up
// to it, no entry up to it was removed, edited or moved since the anchor was made; and if the
// log now ends before that entry, entries were cut off the end, whatever the head record says.
// Only the key's holder can make an anchor, so one cannot be moved back or forged by someone who
// can write to the database but does not hold the key. What it cannot prove: anything about
// entries written after it, and it proves nothing to a verifier who does not have it. Someone
// who can write to the database can delete the anchors kept there; copies kept elsewhere (the
// certificates handed to customers, the checkpoints in the log output) still catch the cut,
// given to `quorum audit verify --anchor FILE`.
import { sign, verify } from 'node:crypto';
import canonicalize from 'canonicalize';
import { z } from 'zod';
import {
  findKey,
  verifyDeletionCertificate,
  type DeletionCertificateContent,
  type VerificationKeys,
} from './deletion-certificate.ts';
import type { SigningKey } from './signing-key.ts';

export const ANCHOR_TYPE = 'quorum.audit-anchor';

export interface AuditAnchorContent {
  type: typeof ANCHOR_TYPE;
  version: 1;
  tenantId: string;
  /** The signing key's id (its JWK thumbprint). */
  kid: string;
  /** The number of the log's last entry, and its hash. */
  seq: number;
  hash: string;
  /** ISO 8601: when the head was read. */
  at: string;
}

export interface SignedAuditAnchor {
  anchor: AuditAnchorContent;
  signature: { alg: 'EdDSA'; value: string };
}

/** What carried an anchor: a checkpoint (by day), a certificate (by id), or a file given. */
export interface AnchorSource {
  kind: 'checkpoint' | 'certificate' | 'given';
  id: string;
}

/** An anchor read from whatever carried it. */
export interface Anchor {
  seq: number;
  hash: string;
  at: string;
  source: AnchorSource;
  /** `unchecked` only when the verifier had no key to check it with. */
  signature: 'verified' | 'unchecked';
}

export type AnchorVerdict =
  | { valid: true; anchor: Anchor }
  | {
      valid: false;
      source: AnchorSource;
      message: string;
      /** Signed with a key not among those given (the certificate key was replaced, or forged). */
      unknownKey?: true;
    };

const HASH = /^[0-9a-f]{64}$/;

const signedAnchorSchema = z.strictObject({
  anchor: z.looseObject({
    type: z.literal(ANCHOR_TYPE),
    version: z.literal(1),
    tenantId: z.string().min(1),
    kid: z.string().min(1),
    seq: z.number().int().nonnegative(),
    hash: z.string().regex(HASH),
    at: z.string().min(1),
  }),
  signature: z.strictObject({
    alg: z.literal('EdDSA'),
    value: z.string().regex(/^[A-Za-z0-9_-]{86}$/),
  }),
});

const bytesOf = (content: unknown) => Buffer.from(canonicalize(content)!, 'utf8');

export function signAuditAnchor(
  head: { tenantId: string; seq: number; hash: string; at: Date },
  key: SigningKey,
): SignedAuditAnchor {
  const anchor: AuditAnchorContent = {
    type: ANCHOR_TYPE,
    version: 1,
    tenantId: head.tenantId,
    kid: key.kid,
    seq: head.seq,
    hash: head.hash,
    at: head.at.toISOString(),
  };
  return {
    anchor,
    signature: {
      alg: 'EdDSA',
      value: sign(null, bytesOf(anchor), key.privateKey).toString('base64url'),
    },
  };
}

/** How a message names what carried an anchor: "checkpoint 2025-03-01", "certificate <id>". */
export const describeSource = ({ kind, id }: AnchorSource): string =>
  kind === 'given' ? `the file ${id}` : `${kind} ${id}`;

/** How a message names an anchor: "the anchor of <when> (checkpoint 2025-03-01)". */
export const describeAnchor = (anchor: { at: string; source: AnchorSource }): string =>
  `the anchor of ${anchor.at} (${describeSource(anchor.source)})`;

/** What a carrier says, before it is checked to be the tenant's. */
type Read = { tenantId: string; anchor: Anchor } | { problem: string; unknownKey?: true };

function readCheckpoint(
  json: unknown,
  keys: VerificationKeys | undefined,
  source: AnchorSource,
): Read {
  const parsed = signedAnchorSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return {
      problem: `not an audit anchor: ${issue.path.join('.') || 'document'} ${issue.message}`,
    };
  }
  const { anchor, signature } = parsed.data;
  const read = (checked: Anchor['signature']): Read => ({
    tenantId: anchor.tenantId,
    anchor: { seq: anchor.seq, hash: anchor.hash, at: anchor.at, source, signature: checked },
  });
  if (!keys) return read('unchecked');
  const publicKey = findKey(keys, anchor.kid);
  if (!publicKey)
    return {
      problem: `signed with key ${anchor.kid}, which is not among the keys given`,
      unknownKey: true,
    };
  // As received, every member included: an added member is a change too.
  const bytes = bytesOf((json as { anchor: unknown }).anchor);
  if (!verify(null, bytes, publicKey, Buffer.from(signature.value, 'base64url'))) {
    return { problem: `its signature was not made over this content by key ${anchor.kid}` };
  }
  return read('verified');
}

function readCertificate(
  json: unknown,
  keys: VerificationKeys | undefined,
  source: AnchorSource,
): Read {
  let certificate: DeletionCertificateContent;
  if (keys) {
    const verdict = verifyDeletionCertificate(json, keys);
    if (!verdict.valid) {
      return {
        problem: verdict.message,
        ...(verdict.reason === 'unknown-key-id' ? { unknownKey: true as const } : {}),
      };
    }
    certificate = verdict.certificate;
  } else {
    certificate = (json as { certificate: DeletionCertificateContent }).certificate;
  }
  const head = certificate?.auditHead;
  if (typeof head?.seq !== 'number' || typeof head.hash !== 'string' || !HASH.test(head.hash)) {
    return { problem: 'the certificate names no audit head' };
  }
  return {
    tenantId: String(certificate.tenantId),
    anchor: {
      seq: head.seq,
      hash: head.hash,
      at: String(certificate.issuedAt),
      source,
      signature: keys ? 'verified' : 'unchecked',
    },
  };
}

/**
 * Reads an anchor from what carried it (JSON text or parsed): a signed checkpoint (or the log
 * line that carries one) or a deletion certificate with an audit head. Checks its signature against `keys` (none: `unchecked`) and
 * that it is `tenantId`'s.
 */
export function readAnchor(
  document: unknown,
  options: { tenantId: string; keys: VerificationKeys | undefined; source: AnchorSource },
): AnchorVerdict {
  const { source, keys } = options;
  let json = document;
  if (typeof document === 'string') {
    try {
      json = JSON.parse(document);
    } catch {
      return { valid: false, source, message: 'it is not JSON' };
    }
  }
  // A checkpoint as the job logged it: the log line, whose `checkpoint` is the signed anchor.
  if (json && typeof json === 'object' && 'checkpoint' in json && !('anchor' in json)) {
    json = (json as { checkpoint: unknown }).checkpoint;
  }
  const read =
    json && typeof json === 'object' && 'certificate' in json
      ? readCertificate(json, keys, source)
      : readCheckpoint(json, keys, source);
  if ('problem' in read) {
    const { problem, unknownKey } = read;
    return { valid: false, source, message: problem, ...(unknownKey ? { unknownKey } : {}) };
  }
  if (read.tenantId !== options.tenantId) {
    return {
      valid: false,
      source,
      message: `it anchors the log of tenant ${read.tenantId}, not of ${options.tenantId}`,
    };
  }
  return { valid: true, anchor: read.anchor };
}
