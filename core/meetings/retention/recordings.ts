// The recordings sweep: a recording (or captions file) is deleted the moment transcription
// ends; this hourly job is the backstop that deletes any still there 24 hours after it arrived,
// encrypted files no record points to, and work folders a crashed process left behind.
import { SWEEP_COMMENT } from '../../store/query-rule.ts';
import {
  isValidTenantId,
  verifiedTenantContext,
  type TenantContext,
} from '../../store/tenant-context.ts';
import { deleteSourceWithProof, sourceSubject } from '../content.ts';
import { CURRENT, DUE } from '../lists.ts';
import { meetingOfFile } from '../recording-files.ts';
import { everyTenant } from '../tenants.ts';
import type { RetentionDeps } from './deps.ts';

/** Recordings are kept at most 24 hours; the hourly sweep takes them at 23 to keep that promise. */
export const RECORDING_SWEEP_AGE_MS = 23 * 3_600_000;
/** An upload in progress keeps writing its file; one untouched this long is abandoned. */
const ABANDONED_UPLOAD_MS = 3_600_000;

export interface RecordingSweepReport {
  /** Recordings or captions files still there 24 hours after they arrived. */
  recordings: number;
  /** Encrypted files no record points to (an upload cut short by a crash). */
  orphans: number;
  /** Transcription work folders left by a process that died. */
  workFolders: number;
}

async function purgeOldSources(deps: RetentionDeps, ctx: TenantContext): Promise<number> {
  const { kit } = deps;
  const { Sources, Meetings, lists } = await kit.models(ctx);
  const cutoff = new Date(kit.now().getTime() - RECORDING_SWEEP_AGE_MS);
  let count = 0;
  for (;;) {
    // A sweep of a collection bounded by this very sweep (models.ts, MeetingSource).
    const old = await Sources.find({ receivedAt: { $lte: cutoff } })
      .limit(deps.batchSize ?? 100)
      .comment(`${SWEEP_COMMENT}:meeting-sources`)
      .lean();
    for (const source of old) {
      const meeting = await Meetings.findById(source._id).lean();
      const certificateId = await deleteSourceWithProof(
        kit,
        ctx,
        { _id: source._id, sourceId: source.sourceId },
        'nothing of the recording: it reached the 24-hour limit for recordings',
      );
      count += 1;
      if (!meeting || meeting.sourceId !== source.sourceId) continue;
      const unfinished = meeting.transcribedAt === null && meeting.status !== 'failed';
      await Meetings.updateOne(
        { _id: source._id },
        {
          $set: {
            sourceDeletedAt: kit.now(),
            sourceCertificateId: certificateId,
            updatedAt: kit.now(),
            ...(unfinished
              ? {
                  status: 'failed',
                  nextAttemptAt: null,
                  failure: {
                    reason:
                      'The recording was deleted 24 hours after it arrived, before transcription ' +
                      'finished; upload it again to retry.',
                    at: kit.now(),
                  },
                }
              : {}),
          },
        },
      );
      if (unfinished) await lists.removeDue(DUE.pipeline, CURRENT, [source._id]);
    }
    if (old.length < (deps.batchSize ?? 100)) return count;
  }
}

async function purgeOrphanFiles(deps: RetentionDeps): Promise<number> {
  const { kit } = deps;
  const cutoff = new Date(kit.now().getTime() - ABANDONED_UPLOAD_MS);
  let count = 0;
  for await (const { tenantId, file, modifiedAt } of kit.files.list()) {
    const meetingId = meetingOfFile(file);
    if (modifiedAt > cutoff || !isValidTenantId(tenantId)) continue;
    const ctx = verifiedTenantContext(tenantId, 'system');
    const { Sources } = await kit.models(ctx);
    if (meetingId && (await Sources.findById(meetingId, { file: 1 }).lean())?.file === file) {
      continue;
    }
    await kit.files.remove(tenantId, file);
    count += 1;
    if (!meetingId) continue;
    const sourceId = file.split('.')[1]!;
    const subject = sourceSubject(meetingId, sourceId);
    if (await kit.deps.certificates.findBySubject(ctx, subject.kind, subject.id)) continue;
    // The certificate writes the audit entry naming it, so that it covers it.
    await kit.deps.certificates.issueDeletionCertificate(
      ctx,
      {
        subject,
        deleted: { 'audio recordings (unfinished upload)': 1 },
        kept: [],
        at: kit.now(),
        audit: {
          actor: 'system',
          target: `meeting:${meetingId}`,
          details: { reason: 'abandoned upload' },
        },
      },
      { scrub: 'tenant' },
    );
  }
  return count;
}

export async function purgeStaleRecordings(deps: RetentionDeps): Promise<RecordingSweepReport> {
  let recordings = 0;
  for await (const ctx of everyTenant(deps.kit.deps.store)) {
    recordings += await purgeOldSources(deps, ctx);
  }
  const orphans = await purgeOrphanFiles(deps);
  // Work folders hold decrypted recordings: the same 24-hour promise covers them.
  const workFolders = await deps.kit.files.removeStaleWork(
    new Date(deps.kit.now().getTime() - RECORDING_SWEEP_AGE_MS),
  );
  return { recordings, orphans, workFolders };
}
