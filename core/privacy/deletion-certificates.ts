// Issues deletion certificates and keeps them in the tenant database
// (`deletion_certificates`), exactly as signed, so the text handed out later verifies.
//
// Each certificate is an anchor of the tenant's audit log (audit-anchor.ts): it names the log's
// last entry when it is signed. A claim that brings its deletion's audit entry has it appended
// first, so the certificate covers that entry too; the anchor is then recorded as the tenant's
// latest (audit-checkpoints.ts). The subject's record says its entry was written
// (`audited`), so a retry that finds the certificate does not audit the deletion again. What
// this order costs: a run that dies between the entry and the certificate, and runs that race
// for one subject and whose certificate is dropped, leave an entry naming a certificate that
// was not kept (the deletion it records did happen; its retry or the winner certifies it).
//
// A subject gets one certificate: `deletion_certificate_subjects` holds one record per subject,
// `_id` `<kind>:<id>`, naming its certificate. It is claimed with a unique insert once the
// certificate is stored, so of two runs that race, one certificate stays and both return it;
// and a subject's certificate is found by that `_id` (the embedded database serves nothing else
// from an index).
import { randomUUID } from 'node:crypto';
import { Schema } from 'mongoose';
import { findByIds, insertNew } from '../store/by-id.ts';
import { defineModel, type Store } from '../store/store.ts';
import { tenantDatabaseName, type TenantContext } from '../store/tenant-context.ts';
import { recordLatestAnchor } from './audit-checkpoints.ts';
import type { AuditLog } from './audit-log.ts';
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
  /** The certificate's claim brought its audit entry, which was written before it was signed. */
  audited?: boolean;
}

export const DeletionSubjectModel = defineModel<SubjectRecord>(
  'DeletionSubject',
  new Schema<SubjectRecord>(
    {
      _id: { type: String, required: true },
      certificateId: { type: String, required: true },
      audited: { type: Boolean },
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
  issued: readonly SignedDeletionCertificate[],
  audited: readonly boolean[],
): Promise<SignedDeletionCertificate[]> {
  const Certificates = await store.tenantModel(ctx, DeletionCertificateModel);
  const Subjects = await store.tenantModel(ctx, DeletionSubjectModel);
  let signed = issued;
  const stored = new Set(
    await insertNew(
      Certificates,
      issued.map((one) => ({
        _id: one.certificate.id,
        subjectKind: one.certificate.subject.kind,
        subjectId: one.certificate.subject.id,
        issuedAt: new Date(one.certificate.issuedAt),
        document: JSON.stringify(one),
      })),
    ),
  );
  if (stored.size > 0) {
    // An id named by the caller was stored by an earlier run that died before claiming its
    // subject: that certificate was signed and may have been seen, so it is the one kept.
    const earlier = await findByIds(Certificates, [...stored], { document: 1 });
    const documents = new Map(earlier.map((doc) => [doc._id, doc.document]));
    signed = signed.map((one) => {
      const document = documents.get(one.certificate.id);
      return document ? (JSON.parse(document) as SignedDeletionCertificate) : one;
    });
  }
  const claims = signed.map(({ certificate }, index) => ({
    _id: subjectKey(certificate.subject.kind, certificate.subject.id),
    certificateId: certificate.id,
    ...(audited[index] ? { audited: true } : {}),
  }));
  const refused = new Set(await insertNew(Subjects, claims));
  const kept = [...signed];
  for (const [index, { _id: key, certificateId: id, ...flags }] of claims.entries()) {
    if (!refused.has(key)) continue;
    const claimed = await Subjects.findById(key).lean();
    // Runs that race for one subject may name the same certificate (a source's certificate id
    // is chosen before it is deleted): stored once, it is the one kept, never deleted as theirs.
    if (claimed?.certificateId === id) continue;
    const theirs = claimed && (await Certificates.findById(claimed.certificateId).lean());
    if (!theirs) {
      // A claim whose certificate is gone: this certificate takes its place.
      await Subjects.replaceOne({ _id: key }, { certificateId: id, ...flags }, { upsert: true });
      continue;
    }
    await Certificates.deleteOne({ _id: id });
    kept[index] = JSON.parse(theirs.document) as SignedDeletionCertificate;
  }
  return kept;
}

export interface IssuedCertificate {
  certificateId: string;
  audited: boolean;
}

/** Which of the database's files are scrubbed before signing. */
export interface IssueOptions {
  /**
   * 'tenant': the deleted data lived in the tenant's own database only (meeting content), so
   * only its files are scrubbed; 'everywhere' (the default) scrubs every database's files.
   */
  scrub?: 'tenant' | 'everywhere';
}

export interface DeletionCertificates {
  issueDeletionCertificate(
    ctx: TenantContext,
    claim: DeletionClaim,
    options?: IssueOptions,
  ): Promise<SignedDeletionCertificate>;
  /**
   * Many certificates at once (a batch of retention purges): storage is scrubbed once for all
   * of them, and they are stored and their subjects claimed with one insert each.
   */
  issueDeletionCertificates(
    ctx: TenantContext,
    claims: readonly DeletionClaim[],
    options?: IssueOptions,
  ): Promise<SignedDeletionCertificate[]>;
  /** The stored certificate as JSON text, ready to hand out; undefined if there is none. */
  certificateText(ctx: TenantContext, id: string): Promise<string | undefined>;
  /** The id of the certificate already issued for a subject, so retries do not issue twice. */
  findBySubject(ctx: TenantContext, kind: string, id: string): Promise<string | undefined>;
  /**
   * The same, and whether its audit entry was written with it (its claim brought one): a
   * retry then does not audit the deletion a second time.
   */
  issuedFor(ctx: TenantContext, kind: string, id: string): Promise<IssuedCertificate | undefined>;
}

/**
 * The storage under the database, which can be made to forget deleted data (the embedded
 * database checkpoints its SQLite files; see infra/local/database.ts).
 */
export interface ScrubbableStorage {
  /**
   * Resolves once data deleted before the call is gone from the files (of that database only,
   * when one is named); rejects otherwise.
   */
  scrub(database?: string): Promise<void>;
}

export interface DeletionCertificatesOptions {
  store: Store;
  /**
   * Scrubbed before each certificate is signed, so a certificate never says "deleted" while
   * the deleted bytes can still be read back from the database's files.
   */
  storage?: ScrubbableStorage;
  signingKey: SigningKey;
  /** The tenants' audit logs: each certificate names their head, and writes claims' entries. */
  audit: AuditLog;
  /** Who issues: the deployment's base URL, where the public key is published. */
  issuer: string;
  now?: () => Date;
}

/**
 * Appends the claims' audit entries (one insert), each naming its certificate, and resolves to
 * the head the certificates name: the last of those entries, or the log's head if none.
 */
async function auditDeletions(
  audit: AuditLog,
  ctx: TenantContext,
  claims: readonly DeletionClaim[],
  ids: readonly string[],
): Promise<{ seq: number; hash: string }> {
  const entries = claims.flatMap(({ audit: entry, subject }, index) =>
    entry
      ? [
          {
            action: 'data.deleted' as const,
            actor: entry.actor,
            target: entry.target,
            details: { ...entry.details, certificateId: ids[index]!, kind: subject.kind },
          },
        ]
      : [],
  );
  const last = (await audit.appendMany(ctx, entries)).at(-1);
  return last ? { seq: last.seq, hash: last.hash } : audit.head(ctx);
}

/** Makes a certificate just kept the tenant's latest audit anchor (if it is the newest). */
async function recordAnchorOf(
  options: DeletionCertificatesOptions,
  ctx: TenantContext,
  signed: SignedDeletionCertificate | undefined,
): Promise<void> {
  const head = signed?.certificate.auditHead;
  if (!signed || !head || head.seq === 0) return;
  // A latest anchor that no longer holds is left for the verification to report: the
  // certificate stands as issued, and is an anchor by itself wherever it is kept.
  await recordLatestAnchor(
    options.store,
    ctx,
    {
      kind: 'certificate',
      sourceId: signed.certificate.id,
      ...head,
      at: new Date(signed.certificate.issuedAt),
      document: JSON.stringify(signed),
    },
    options.signingKey.publicJwk,
  );
}

export function createDeletionCertificates(
  options: DeletionCertificatesOptions,
): DeletionCertificates {
  const now = options.now ?? (() => new Date());
  async function issueMany(
    ctx: TenantContext,
    claims: readonly DeletionClaim[],
    issue: IssueOptions = {},
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
        await options.storage.scrub(issue.scrub === 'tenant' ? tenantDatabaseName(ctx) : undefined);
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
    const ids = parsed.map((claim) => claim.certificateId ?? randomUUID());
    const auditHead = await auditDeletions(options.audit, ctx, parsed, ids);
    const signed = parsed.map(({ subject, deleted, kept, at }, index) =>
      signDeletionCertificate(
        {
          id: ids[index]!,
          tenantId: ctx.tenantId,
          issuer: options.issuer,
          subject,
          deleted,
          kept,
          deletedAt: at.toISOString(),
          issuedAt: now().toISOString(),
          auditHead,
        },
        options.signingKey,
      ),
    );
    const audited = parsed.map((claim) => Boolean(claim.audit));
    const kept = await keepOnePerSubject(options.store, ctx, signed, audited);
    await recordAnchorOf(options, ctx, kept.filter((one) => signed.includes(one)).at(-1));
    return kept;
  }

  async function issuedFor(
    ctx: TenantContext,
    kind: string,
    id: string,
  ): Promise<IssuedCertificate | undefined> {
    const Subjects = await options.store.tenantModel(ctx, DeletionSubjectModel);
    const record = await Subjects.findById(subjectKey(kind, id)).lean();
    if (!record) return undefined;
    return { certificateId: record.certificateId, audited: record.audited === true };
  }

  return {
    async issueDeletionCertificate(ctx, claim, issue) {
      const [signed] = await issueMany(ctx, [claim], issue);
      return signed!;
    },

    issueDeletionCertificates: issueMany,

    async findBySubject(ctx, kind, id) {
      return (await issuedFor(ctx, kind, id))?.certificateId;
    },

    issuedFor,

    async certificateText(ctx, id) {
      const Certificates = await options.store.tenantModel(ctx, DeletionCertificateModel);
      return (await Certificates.findById(id).lean())?.document;
    },
  };
}
