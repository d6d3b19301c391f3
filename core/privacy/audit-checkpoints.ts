// Where a tenant's audit anchors (audit-anchor.ts) are kept: the tenant database's
// `audit_checkpoints`, every document addressed by exact `_id`:
//
// - `<yyyy-mm-dd>` (UTC): that day's checkpoint, signed by the daily job. One a day, so the
//   collection grows by about 365 small documents (~0.5 KB) a year per tenant: not bounded by
//   design, so it is never filtered on a request path; only a full verification by the operator
//   command reads it all, marked as a sweep.
// - `latest`: a copy of the newest anchor, whichever carried it (a checkpoint or a deletion
//   certificate), so a verification finds it with one read by `_id`.
//
// `latest` only moves forward, and only while the entry it names is still in the log with its
// hash (so a new anchor extends it). So after a cut, later anchors (of the shortened log) do not
// replace the anchor that shows the cut, and a `latest` that does not verify is left as it is,
// for the verification to report, rather than papered over; except one signed with a key this
// deployment no longer has, which the next anchor replaces. (Two processes recording at once
// may leave the older of two valid anchors there: weaker, never wrong.)
import { Schema } from 'mongoose';
import { defineModel, type Store } from '../store/store.ts';
import { serialized } from '../store/serial.ts';
import { tenantDatabaseName, type TenantContext } from '../store/tenant-context.ts';
import { describeAnchor, readAnchor, type AnchorSource } from './audit-anchor.ts';
import { AuditEntryModel } from './audit-entry.ts';
import { entryAt } from './audit-storage.ts';
import type { VerificationKeys } from './deletion-certificate.ts';

export interface AnchorRecord {
  /** `latest`, or the checkpoint's day (`yyyy-mm-dd`). */
  _id: string;
  kind: 'checkpoint' | 'certificate';
  /** The checkpoint's day, or the certificate's id. */
  sourceId: string;
  seq: number;
  hash: string;
  at: Date;
  /** The signed JSON text: the checkpoint, or the certificate as issued. */
  document: string;
}

export const AuditCheckpointModel = defineModel<AnchorRecord>(
  'AuditCheckpoint',
  new Schema<AnchorRecord>(
    {
      _id: { type: String, required: true },
      kind: { type: String, required: true, enum: ['checkpoint', 'certificate'] },
      sourceId: { type: String, required: true },
      seq: { type: Number, required: true },
      hash: { type: String, required: true },
      at: { type: Date, required: true },
      document: { type: String, required: true },
    },
    { collection: 'audit_checkpoints', versionKey: false },
  ),
);

export const LATEST_ANCHOR_ID = 'latest';

export const sourceOf = (record: Pick<AnchorRecord, 'kind' | 'sourceId'>): AnchorSource => ({
  kind: record.kind,
  id: record.sourceId,
});

export async function latestAnchorRecord(
  store: Store,
  ctx: TenantContext,
): Promise<AnchorRecord | null> {
  const Checkpoints = await store.tenantModel(ctx, AuditCheckpointModel);
  return Checkpoints.findById(LATEST_ANCHOR_ID).lean();
}

/** A day's checkpoint, replacing an earlier one of the same day (a later head). */
export async function writeCheckpoint(
  store: Store,
  ctx: TenantContext,
  record: Omit<AnchorRecord, '_id' | 'kind'>,
): Promise<void> {
  const Checkpoints = await store.tenantModel(ctx, AuditCheckpointModel);
  const { sourceId: day } = record;
  await Checkpoints.replaceOne({ _id: day }, { kind: 'checkpoint', ...record }, { upsert: true });
}

export type LatestOutcome =
  | { recorded: true }
  /** `problem` says why the anchor there is kept although it does not hold (tampering). */
  | { recorded: false; problem?: string };

/**
 * Makes `record` the tenant's latest anchor if it is newer than the one there and extends it.
 * `keys` check the one there (the deployment's public key).
 */
export function recordLatestAnchor(
  store: Store,
  ctx: TenantContext,
  record: Omit<AnchorRecord, '_id'>,
  keys: VerificationKeys,
): Promise<LatestOutcome> {
  const key = `${tenantDatabaseName(ctx)}/audit_checkpoints/${LATEST_ANCHOR_ID}`;
  return serialized(key, async () => {
    const Checkpoints = await store.tenantModel(ctx, AuditCheckpointModel);
    const latest = await Checkpoints.findById(LATEST_ANCHOR_ID).lean();
    if (latest) {
      const verdict = readAnchor(latest.document, {
        tenantId: ctx.tenantId,
        keys,
        source: sourceOf(latest),
      });
      if (!verdict.valid && verdict.unknownKey) {
        // Signed with a key this deployment no longer has (the certificate key was replaced):
        // the new anchor takes its place. (A forger gains nothing by this that deleting the
        // document would not give.) Other anchors signed with that key stay where they are.
        await Checkpoints.replaceOne({ _id: LATEST_ANCHOR_ID }, record, { upsert: true });
        return { recorded: true };
      }
      if (!verdict.valid) {
        return {
          recorded: false,
          problem: `the latest audit anchor (${latest.kind} ${latest.sourceId}) does not verify: ${verdict.message}`,
        };
      }
      // Checked whichever is newer: a log cut below the latest anchor is a problem to report,
      // not an anchor to record.
      const { seq, hash } = verdict.anchor;
      const Log = await store.tenantModel(ctx, AuditEntryModel);
      const held = await entryAt(Log, seq);
      if (held?.hash !== hash) {
        return {
          recorded: false,
          problem:
            `${describeAnchor(verdict.anchor)} names entry ${seq} with hash ${hash}, but the ` +
            `log ${held ? 'holds another entry there' : 'no longer has that entry'}`,
        };
      }
      if (seq >= record.seq) return { recorded: false };
    }
    await Checkpoints.replaceOne({ _id: LATEST_ANCHOR_ID }, record, { upsert: true });
    return { recorded: true };
  });
}
