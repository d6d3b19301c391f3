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
import { defineModel, type Store } from '../store/store.ts';
import { isDuplicateKeyError } from './duplicate-key.ts';
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
 * Stores a signed certificate and claims its subject. If the subject has a certificate already
 * (another run won the race), this one is dropped and that one returned.
 */
async function keepOnePerSubject(
  store: Store,
  ctx: TenantContext,
  signed: SignedDeletionCertificate,
): Promise<SignedDeletionCertificate> {
  const Certificates = await store.tenantModel(ctx, DeletionCertificateModel);
  const Subjects = await store.tenantModel(ctx, DeletionSubjectModel);
  const { id, subject, issuedAt } = signed.certificate;
  await Certificates.create({
    _id: id,
    subjectKind: subject.kind,
    subjectId: subject.id,
    issuedAt: new Date(issuedAt),
    document: JSON.stringify(signed),
  });
  const key = subjectKey(subject.kind, subject.id);
  try {
    await Subjects.create({ _id: key, certificateId: id });
    return signed;
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
  const claimed = await Subjects.findById(key).lean();
  const theirs = claimed && (await Certificates.findById(claimed.certificateId).lean());
  if (!theirs) {
    // A claim whose certificate is gone: this certificate takes its place.
    await Subjects.replaceOne({ _id: key }, { certificateId: id }, { upsert: true });
    return signed;
  }
  await Certificates.deleteOne({ _id: id });
  return JSON.parse(theirs.document) as SignedDeletionCertificate;
}

export interface DeletionCertificates {
  issueDeletionCertificate(
    ctx: TenantContext,
    claim: DeletionClaim,
  ): Promise<SignedDeletionCertificate>;
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
  return {
    async issueDeletionCertificate(ctx, claim) {
      const parsed = deletionClaimSchema.safeParse(claim);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new Error(
          `invalid deletion certificate: ${issue.path.join('.') || 'claim'} ${issue.message}`,
        );
      }
      const { subject, deleted, kept, at } = parsed.data;
      if (options.storage) {
        try {
          await options.storage.scrub();
        } catch (error) {
          // No certificate: the caller fails and is retried, as for any other failed step.
          throw new Error(
            `no deletion certificate for ${subject.kind} ${subject.id}: the deleted data could ` +
              `not be scrubbed from storage (${(error as Error).message})`,
            { cause: error },
          );
        }
      }
      const signed = signDeletionCertificate(
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
      );
      return keepOnePerSubject(options.store, ctx, signed);
    },

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
