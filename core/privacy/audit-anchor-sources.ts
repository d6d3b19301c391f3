// The anchors a verification checks a tenant's audit log against: the latest one (one read by
// `_id`, every verification), and in a full verification every checkpoint and every deletion
// certificate with an audit head too (two sweeps, for the operator command), plus any anchor the
// verifier brings (a certificate a customer holds, a checkpoint copied from the log output).
import { SWEEP_COMMENT } from '../store/query-rule.ts';
import type { Store } from '../store/store.ts';
import type { TenantContext } from '../store/tenant-context.ts';
import { readAnchor, type Anchor, type AnchorSource, type AnchorVerdict } from './audit-anchor.ts';
import { AuditCheckpointModel, LATEST_ANCHOR_ID, sourceOf } from './audit-checkpoints.ts';
import type { VerificationKeys } from './deletion-certificate.ts';
import { DeletionCertificateModel } from './deletion-certificates.ts';

export interface AnchorOptions {
  /** The published key(s); without them signatures are reported `unchecked`. */
  keys: VerificationKeys | undefined;
  /** Every checkpoint and certificate too, not only the latest anchor. */
  all?: boolean;
  /** Anchors the verifier brings: JSON text, named for messages (a file name). */
  given?: ReadonlyArray<{ name: string; document: string }>;
}

export type InvalidAnchor = Extract<AnchorVerdict, { valid: false }>;

export async function collectAnchors(
  store: Store,
  ctx: TenantContext,
  options: AnchorOptions,
): Promise<{ valid: Anchor[]; invalid: InvalidAnchor[] }> {
  const valid: Anchor[] = [];
  const invalid: InvalidAnchor[] = [];
  const add = (document: unknown, source: AnchorSource) => {
    const verdict = readAnchor(document, { tenantId: ctx.tenantId, keys: options.keys, source });
    if (verdict.valid) valid.push(verdict.anchor);
    else invalid.push(verdict);
  };
  const Checkpoints = await store.tenantModel(ctx, AuditCheckpointModel);
  const latest = await Checkpoints.findById(LATEST_ANCHOR_ID).lean();
  if (latest) add(latest.document, sourceOf(latest));
  if (options.all) {
    const checkpoints = Checkpoints.collection.find(
      {},
      { comment: `${SWEEP_COMMENT}:audit-verify-checkpoints` },
    );
    for await (const record of checkpoints) {
      if (String(record._id) === LATEST_ANCHOR_ID) continue;
      add(record.document, { kind: 'checkpoint', id: String(record._id) });
    }
    const Certificates = await store.tenantModel(ctx, DeletionCertificateModel);
    const certificates = Certificates.collection.find(
      {},
      { comment: `${SWEEP_COMMENT}:audit-verify-certificates`, projection: { document: 1 } },
    );
    for await (const { _id, document } of certificates) {
      // Certificates issued before anchoring name no head: they anchor nothing.
      if (typeof document === 'string' && document.includes('"auditHead"')) {
        add(document, { kind: 'certificate', id: String(_id) });
      }
    }
  }
  for (const { name, document } of options.given ?? []) add(document, { kind: 'given', id: name });
  return { valid, invalid };
}
