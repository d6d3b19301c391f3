// Deletion certificates: what was deleted (with counts), what was kept and why, and when,
// signed with Ed25519 so anyone can check them offline with the published public key.
//
// The signed bytes are the RFC 8785 canonical JSON of `certificate`. `signature.digest` is the
// SHA-256 of those bytes; it lets a verifier tell "the content was changed" apart from "the
// signature is not this key's", but only the signature is proof.
//
//   { "certificate": { "type": "quorum.deletion-certificate", "version": 1, "id", "tenantId",
//                      "issuer", "kid", "subject", "deleted", "kept", "deletedAt", "issuedAt",
//                      "auditHead": { "seq", "hash" } },
//     "signature": { "alg": "EdDSA", "digest": "<base64url>", "value": "<base64url>" } }
//
// `auditHead` (certificates issued since audit anchoring) names the last entry of the tenant's
// audit log when the certificate was signed, the deletion's own entry included: the certificate
// is then an anchor of the log (audit-anchor.ts), held by whoever was handed it.
import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import canonicalize from 'canonicalize';
import { z } from 'zod';
import type { PublicSigningJwk, SigningKey } from './signing-key.ts';

export const CERTIFICATE_TYPE = 'quorum.deletion-certificate';

const nonEmpty = z.string().min(1).max(500);

export const deletionClaimSchema = z.strictObject({
  /**
   * The certificate's id, when the caller named it before issuing (a deletion that tells its
   * certificate's id at once and has it issued a moment later, in a batch); a new one if not.
   */
  certificateId: z.uuid().optional(),
  subject: z.strictObject({ kind: nonEmpty, id: nonEmpty }),
  /** What was deleted, by kind, with how many of each: { "transcript segments": 120 }. */
  deleted: z.record(nonEmpty, z.number().int().nonnegative()),
  /** What was deliberately kept, and why: [{ what: "booking", why: "calendar event" }]. */
  kept: z.array(z.strictObject({ what: nonEmpty, why: nonEmpty })),
  /** When the deletion happened. */
  at: z.date(),
  /**
   * The deletion's `data.deleted` audit entry, written by the issuer before it signs, so the
   * certificate's audit head covers it: who deleted, what, and details beyond the certificate's
   * id and subject kind (which the issuer adds).
   */
  audit: z
    .strictObject({
      actor: nonEmpty,
      target: nonEmpty,
      details: z.record(z.string(), z.json()).optional(),
    })
    .optional(),
});

export type DeletionClaim = z.infer<typeof deletionClaimSchema>;

const contentSchema = z.looseObject({
  type: z.literal(CERTIFICATE_TYPE),
  version: z.literal(1),
  id: nonEmpty,
  tenantId: nonEmpty,
  issuer: nonEmpty,
  kid: nonEmpty,
  subject: z.looseObject({ kind: nonEmpty, id: nonEmpty }),
  deleted: z.record(z.string(), z.number()),
  kept: z.array(z.looseObject({ what: z.string(), why: z.string() })),
  deletedAt: z.string(),
  issuedAt: z.string(),
  auditHead: z
    .strictObject({
      seq: z.number().int().nonnegative(),
      hash: z.string().regex(/^[0-9a-f]{64}$/),
    })
    .optional(),
});

const signedSchema = z.strictObject({
  certificate: contentSchema,
  signature: z.strictObject({
    alg: z.literal('EdDSA'),
    digest: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
    value: z.string().regex(/^[A-Za-z0-9_-]{86}$/),
  }),
});

export interface DeletionCertificateContent {
  type: typeof CERTIFICATE_TYPE;
  version: 1;
  /** A UUID. */
  id: string;
  tenantId: string;
  issuer: string;
  /** The signing key's id (its JWK thumbprint). */
  kid: string;
  subject: { kind: string; id: string };
  deleted: Record<string, number>;
  kept: Array<{ what: string; why: string }>;
  /** ISO 8601 times. */
  deletedAt: string;
  issuedAt: string;
  /** The audit log's last entry when this was signed (absent on older certificates). */
  auditHead?: { seq: number; hash: string };
}

export interface SignedDeletionCertificate {
  certificate: DeletionCertificateContent;
  signature: { alg: 'EdDSA'; digest: string; value: string };
}

export type CertificateInvalidReason =
  'malformed' | 'unknown-key-id' | 'content-altered' | 'signature-mismatch';

export type CertificateVerdict =
  | { valid: true; certificate: DeletionCertificateContent }
  | { valid: false; reason: CertificateInvalidReason; message: string };

function canonicalBytes(content: unknown): Buffer {
  return Buffer.from(canonicalize(content)!, 'utf8');
}

export function signDeletionCertificate(
  content: Omit<DeletionCertificateContent, 'type' | 'version' | 'kid'>,
  key: SigningKey,
): SignedDeletionCertificate {
  const certificate: DeletionCertificateContent = {
    type: CERTIFICATE_TYPE,
    version: 1,
    ...content,
    kid: key.kid,
  };
  const bytes = canonicalBytes(certificate);
  return {
    certificate,
    signature: {
      alg: 'EdDSA',
      digest: createHash('sha256').update(bytes).digest('base64url'),
      value: sign(null, bytes, key.privateKey).toString('base64url'),
    },
  };
}

/** The verifying keys: one public JWK, or a JWK Set `{ keys: [...] }` as published. */
export type VerificationKeys = PublicSigningJwk | { keys: PublicSigningJwk[] };

/** The Ed25519 public key named `kid` among `keys` (a JWK or a JWK Set), if there is one. */
export function findKey(keys: unknown, kid: string): KeyObject | undefined {
  const list = (
    keys && typeof keys === 'object' && Array.isArray((keys as { keys?: unknown }).keys)
      ? (keys as { keys: unknown[] }).keys
      : [keys]
  ) as Array<Partial<PublicSigningJwk> | null>;
  const jwk = list.find((k) => k?.kid === kid && k.kty === 'OKP' && k.crv === 'Ed25519');
  if (!jwk?.x) return undefined;
  try {
    return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, format: 'jwk' });
  } catch {
    return undefined;
  }
}

/** Offline check of a certificate (JSON text or parsed) against the published key(s). */
export function verifyDeletionCertificate(
  certificate: string | unknown,
  keys: VerificationKeys,
): CertificateVerdict {
  let parsedJson: unknown = certificate;
  if (typeof certificate === 'string') {
    try {
      parsedJson = JSON.parse(certificate);
    } catch {
      return { valid: false, reason: 'malformed', message: 'the certificate is not JSON' };
    }
  }
  const parsed = signedSchema.safeParse(parsedJson);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return {
      valid: false,
      reason: 'malformed',
      message: `not a Quorum deletion certificate: ${issue.path.join('.') || 'document'} ${issue.message}`,
    };
  }
  const { signature } = parsed.data;
  const content = parsed.data.certificate as DeletionCertificateContent;
  const publicKey = findKey(keys, content.kid);
  if (!publicKey) {
    return {
      valid: false,
      reason: 'unknown-key-id',
      message: `signed with key ${content.kid}, which is not among the keys given`,
    };
  }
  // Canonicalize the certificate as received, every member included: an added member is a
  // change too.
  const bytes = canonicalBytes((parsedJson as { certificate: unknown }).certificate);
  if (createHash('sha256').update(bytes).digest('base64url') !== signature.digest) {
    return {
      valid: false,
      reason: 'content-altered',
      message: 'the certificate content was changed after it was signed',
    };
  }
  if (!verify(null, bytes, publicKey, Buffer.from(signature.value, 'base64url'))) {
    return {
      valid: false,
      reason: 'signature-mismatch',
      message: `the signature was not made over this content by key ${content.kid}`,
    };
  }
  return { valid: true, certificate: content };
}
