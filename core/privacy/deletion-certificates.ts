// Issues deletion certificates and keeps them in the tenant database
// (`deletion_certificates`), exactly as signed, so the text handed out later verifies.
import { randomUUID } from 'node:crypto';
import { Schema } from 'mongoose';
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
  ).index({ subjectKind: 1, subjectId: 1 }),
);

export interface DeletionCertificates {
  issueDeletionCertificate(
    ctx: TenantContext,
    claim: DeletionClaim,
  ): Promise<SignedDeletionCertificate>;
  /**
   * Many certificates at once (a batch of retention purges): storage is scrubbed once for all
   * of them, and they are stored with one insert.
   */
  issueDeletionCertificates(
    ctx: TenantContext,
    claims: readonly DeletionClaim[],
  ): Promise<SignedDeletionCertificate[]>;
  /** The stored certificate as JSON text, ready to hand out; undefined if there is none. */
  certificateText(ctx: TenantContext, id: string): Promise<string | undefined>;
  /** The id of the newest certificate already issued for a subject, so retries do not issue twice. */
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
    const Certificates = await options.store.tenantModel(ctx, DeletionCertificateModel);
    await Certificates.insertMany(
      signed.map((certificate) => ({
        _id: certificate.certificate.id,
        subjectKind: certificate.certificate.subject.kind,
        subjectId: certificate.certificate.subject.id,
        issuedAt: new Date(certificate.certificate.issuedAt),
        document: JSON.stringify(certificate),
      })),
    );
    return signed;
  }

  return {
    async issueDeletionCertificate(ctx, claim) {
      const [signed] = await issueMany(ctx, [claim]);
      return signed!;
    },

    issueDeletionCertificates: issueMany,

    async findBySubject(ctx, kind, id) {
      const Certificates = await options.store.tenantModel(ctx, DeletionCertificateModel);
      const found = await Certificates.findOne({ subjectKind: kind, subjectId: id }, { _id: 1 })
        .sort({ issuedAt: -1 })
        .lean();
      return found?._id;
    },
    async certificateText(ctx, id) {
      const Certificates = await options.store.tenantModel(ctx, DeletionCertificateModel);
      return (await Certificates.findById(id).lean())?.document;
    },
  };
}
