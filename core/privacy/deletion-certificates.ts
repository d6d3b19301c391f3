// Issues deletion certificates and keeps them in the tenant database
// (`deletion_certificates`), exactly as signed, so the text handed out later verifies.
//
// A subject gets one certificate: `deletion_certificate_subjects` holds one record per subject,
// `_id` `<kind>:<id>`, naming its certificate. It is claimed with a unique insert once the
// certificate is stored, so of two runs that race, one certificate stays and both return it;
// and a subject's certificate is found by that `_id` (the embedded database serves nothing else
// from an index).
import { randomUUID } from 'node:crypto';
import { Schema } from 'mongoose';
import { insertNew } from '../store/by-id.ts';
import { defineModel, type Store } from '../store/store.ts';
import type { TenantContext } from '../store/tenant-context.ts';
import {
  deletionClaimSchema,
  signDeletionCertificate,
  type DeletionClaim,
  type SignedDeletionCertificate,
} from './deletion-certificate.ts';
import type { SigningKey } from './signing-key.ts';

interface StoredCertificate {
  _id: string;
  subjectKind: string;
  subjectId: string;
  issuedAt: Date;
  /** The signed certificate as JSON text, byte for byte what was signed and handed out. */
  document: string;
}

export const DeletionCertificateModel = defineModel<StoredCertificate>(
  'DeletionCertificate',
  new Schema<StoredCertificate>(
    {
      _id: { type: String, required: true },
      subjectKind: { type: String, required: true },
      subjectId: { type: String, required: true },
      issuedAt: { type: Date, required: true },
      document: { type: String, required: true },
    },
    { collection: 'deletion_certificates', versionKey: false },
  ),
);

interface SubjectRecord {
  /** `<subject kind>:<subject id>`. */
  _id: string;
  certificateId: string;
}

export const DeletionSubjectModel = defineModel<SubjectRecord>(
  'DeletionSubject',
  new Schema<SubjectRecord>(
    {
      _id: { type: String, required: true },
      certificateId: { type: String, required: true },
    },
    { collection: 'deletion_certificate_subjects', versionKey: false },
  ),
);

export const subjectKey = (kind: string, id: string) => `${kind}:${id}`;

/**
 * Stores signed certificates (one insert) and claims their subjects (one insert). A subject
 * that has a certificate already (another run won the race) keeps it: this one is dropped and
 * that one returned in its place.
 */
async function keepOnePerSubject(
  store: Store,
  ctx: TenantContext,
  signed: readonly SignedDeletionCertificate[],
): Promise<SignedDeletionCertificate[]> {
  const Certificates = await store.tenantModel(ctx, DeletionCertificateModel);
  const Subjects = await store.tenantModel(ctx, DeletionSubjectModel);
  await Certificates.insertMany(
    signed.map((one) => ({
      _id: one.certificate.id,
      subjectKind: one.certificate.subject.kind,
      subjectId: one.certificate.subject.id,
      issuedAt: new Date(one.certificate.issuedAt),
      document: JSON.stringify(one),
    })),
  );
  const claims = signed.map(({ certificate }) => ({
    _id: subjectKey(certificate.subject.kind, certificate.subject.id),
    certificateId: certificate.id,
  }));
  const refused = new Set(await insertNew(Subjects, claims));
  const kept = [...signed];
  for (const [index, { _id: key, certificateId: id }] of claims.entries()) {
    if (!refused.has(key)) continue;
    const claimed = await Subjects.findById(key).lean();
    const theirs = claimed && (await Certificates.findById(claimed.certificateId).lean());
    if (!theirs) {
      // A claim whose certificate is gone: this certificate takes its place.
      await Subjects.replaceOne({ _id: key }, { certificateId: id }, { upsert: true });
      continue;
    }
    await Certificates.deleteOne({ _id: id });
    kept[index] = JSON.parse(theirs.document) as SignedDeletionCertificate;
  }
  return kept;
}

export interface DeletionCertificates {
  issueDeletionCertificate(
    ctx: TenantContext,
    claim: DeletionClaim,
  ): Promise<SignedDeletionCertificate>;
  /**
   * Many certificates at once (a batch of retention purges): storage is scrubbed once for all
   * of them, and they are stored and their subjects claimed with one insert each.
   */
  issueDeletionCertificates(
    ctx: TenantContext,
    claims: readonly DeletionClaim[],
  ): Promise<SignedDeletionCertificate[]>;
  /** The stored certificate as JSON text, ready to hand out; undefined if there is none. */
  certificateText(ctx: TenantContext, id: string): Promise<string | undefined>;
  /** The id of the certificate already issued for a subject, so retries do not issue twice. */
  findBySubject(ctx: TenantContext, kind: string, id: string): Promise<string | undefined>;
}

/**
 * The storage under the database, which can be made to forget deleted data (the embedded
 * database checkpoints its SQLite files; see infra/local/database.ts).
 */
export interface ScrubbableStorage {
  /** Resolves once data deleted before the call is gone from the files; rejects otherwise. */
  scrub(): Promise<void>;
}

export interface DeletionCertificatesOptions {
  store: Store;
  /**
   * Scrubbed before each certificate is signed, so a certificate never says "deleted" while
   * the deleted bytes can still be read back from the database's files.
   */
  storage?: ScrubbableStorage;
  signingKey: SigningKey;
  /** Who issues: the deployment's base URL, where the public key is published. */
  issuer: string;
  now?: () => Date;
}

export function createDeletionCertificates(
  options: DeletionCertificatesOptions,
): DeletionCertificates {
  const now = options.now ?? (() => new Date());
  async function issueMany(
    ctx: TenantContext,
    claims: readonly DeletionClaim[],
  ): Promise<SignedDeletionCertificate[]> {
    if (claims.length === 0) return [];
    const parsed = claims.map((claim) => {
      const result = deletionClaimSchema.safeParse(claim);
      if (!result.success) {
        const issue = result.error.issues[0]!;
        throw new Error(
          `invalid deletion certificate: ${issue.path.join('.') || 'claim'} ${issue.message}`,
        );
      }
      return result.data;
    });
    if (options.storage) {
      try {
        await options.storage.scrub();
      } catch (error) {
        // No certificate: the caller fails and is retried, as for any other failed step.
        const subjects = parsed.map(({ subject }) => `${subject.kind} ${subject.id}`);
        throw new Error(
          `no deletion certificate for ${subjects.join(', ')}: the deleted data could ` +
            `not be scrubbed from storage (${(error as Error).message})`,
          { cause: error },
        );
      }
    }
    const signed = parsed.map(({ subject, deleted, kept, at }) =>
      signDeletionCertificate(
        {
          id: randomUUID(),
          tenantId: ctx.tenantId,
          issuer: options.issuer,
          subject,
          deleted,
          kept,
          deletedAt: at.toISOString(),
          issuedAt: now().toISOString(),
        },
        options.signingKey,
      ),
    );
    return keepOnePerSubject(options.store, ctx, signed);
  }

  return {
    async issueDeletionCertificate(ctx, claim) {
      const [signed] = await issueMany(ctx, [claim]);
      return signed!;
    },

    issueDeletionCertificates: issueMany,

    async findBySubject(ctx, kind, id) {
      const Subjects = await options.store.tenantModel(ctx, DeletionSubjectModel);
      return (await Subjects.findById(subjectKey(kind, id)).lean())?.certificateId;
    },

    async certificateText(ctx, id) {
      const Certificates = await options.store.tenantModel(ctx, DeletionCertificateModel);
      return (await Certificates.findById(id).lean())?.document;
    },
  };
}
