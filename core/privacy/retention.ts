// Retention of meeting data, enforced by jobs that run on a schedule and at start-up (to catch
// up after downtime), tenant by tenant, in batches:
//
// - Recordings (and captions files) are deleted the moment transcription ends (the pipeline
//   does that); this job is the backstop that deletes any still there 24 hours after they
//   arrived, even if transcription keeps failing, plus encrypted files no record points to and
//   transcription work folders a crashed process left behind.
// - Meeting content — transcript, summary, decisions, action items, search entry, invite text —
//   is deleted after the tenant's retention period (default 30 days, 1–365), counted from the
//   later of the meeting's end and its transcription. The meeting's data key is destroyed with
//   it. The meeting record (title, times, participants, booking link) stays: it is scheduling
//   metadata, and it shows where the certificate is.
// - Meeting deletions someone asked for and that were cut short are finished.
//
// Every deletion gets a certificate (what, how many of each, what was kept and why, when) and
// an audit entry naming it. A run that dies midway leaves a recorded plan on the meeting; the
// next run finishes it with the plan's counts and finds the certificate already issued by its
// subject, so no deletion is ever certified twice.
import type { JobDefinition } from '../jobs/registry.ts';
import {
  deleteSourceWithProof,
  countContent,
  eraseContent,
  sourceSubject,
} from '../meetings/content.ts';
import type { MeetingsKit } from '../meetings/kit.ts';
import {
  MeetingPurge,
  purgeDoneId,
  type DeletionPlan,
  type MeetingDoc,
} from '../meetings/models.ts';
import { insertIgnoringDuplicates } from '../meetings/transcript-store.ts';
import { meetingOfFile } from '../meetings/recording-files.ts';
import { removeMeeting } from '../meetings/removal.ts';
import { meetingScope } from '../meetings/sealed-content.ts';
import { getMeetingSettings } from '../meetings/settings.ts';
import { everyTenant } from '../meetings/tenants.ts';
import {
  isValidTenantId,
  verifiedTenantContext,
  type TenantContext,
} from '../store/tenant-context.ts';

export const PURGE_EXPIRED_MEETINGS = 'privacy.purge-expired-meetings';
export const PURGE_MEETING_RECORDINGS = 'privacy.purge-meeting-recordings';
/** Certificate subject of a meeting's content deleted after the retention period. */
export const MEETING_CONTENT_SUBJECT = 'meeting-content';

/** Recordings are kept at most 24 hours; the hourly sweep takes them at 23 to keep that promise. */
export const RECORDING_SWEEP_AGE_MS = 23 * 3_600_000;
/** An upload in progress keeps writing its file; one untouched this long is abandoned. */
const ABANDONED_UPLOAD_MS = 3_600_000;

export type RetentionCheckpoint = 'content-erased' | 'certified';

export interface RetentionDeps {
  kit: MeetingsKit;
  batchSize?: number;
  /**
   * Called inside each meeting's purge. A checkpoint that throws stops the run there, as a
   * crash would: the crash tests' way in.
   */
  checkpoint?: (point: RetentionCheckpoint, meetingId: string) => void | Promise<void>;
}

export interface PurgeReport {
  /** Meetings whose content was deleted after the retention period. */
  purged: number;
  /** Deletions someone asked for that an earlier run left unfinished. */
  finished: number;
}

const DAY_MS = 86_400_000;

/**
 * Meetings purged per batch. Each batch costs a few reads of whole collections on the embedded
 * database (segments, action items, search entries, meetings): larger batches, fewer reads.
 */
export const DEFAULT_PURGE_BATCH = 500;

/**
 * Purges one batch of expired meetings with a fixed number of queries per batch, not per
 * meeting: on the embedded database every query reads its whole collection and every document
 * updated costs another such read, so per-meeting updates made the purge quadratic in the
 * tenant's size. Plans are recorded first (inserted into meeting_purges), the content of the
 * whole batch is deleted with one query per collection and its data keys destroyed together,
 * then each deletion is certified and audited and a `done` record inserted; one update marks the
 * batch purged (and drops the invite text). A meeting with a recorded plan (or a plan on its
 * record, from before) was left by a run that died; only for those can a certificate or `done`
 * record exist already.
 */
async function purgeBatch(
  deps: RetentionDeps,
  ctx: TenantContext,
  meetings: MeetingDoc[],
): Promise<void> {
  if (meetings.length === 0) return;
  const { kit } = deps;
  const { Meetings } = await kit.models(ctx);
  const Purges = await kit.deps.store.tenantModel(ctx, MeetingPurge);
  const ids = meetings.map((meeting) => meeting._id);
  // Plans recorded by a run that died (one read of the small purge records, no meeting update).
  const recordedPlans = new Map(
    (await Purges.find({ _id: { $in: ids }, kind: 'plan' }).lean()).map((p) => [p._id, p]),
  );
  const resumed = new Set(
    meetings.filter((m) => m.purge !== null || recordedPlans.has(m._id)).map((m) => m._id),
  );
  const fresh = meetings.filter((m) => !resumed.has(m._id));
  const counted = await countContent(kit, ctx, fresh);
  const startedAt = kit.now();
  const plans = new Map<string, DeletionPlan>();
  for (const meeting of fresh) {
    plans.set(meeting._id, {
      counts: { ...counted.get(meeting._id), 'meeting data keys (destroyed)': 1 },
      startedAt,
    });
  }
  await insertIgnoringDuplicates(
    Purges,
    fresh.map((m) => ({ _id: m._id, kind: 'plan' as const, ...plans.get(m._id)! })),
  );
  for (const meeting of meetings) {
    if (!resumed.has(meeting._id)) continue;
    const recorded = meeting.purge ?? recordedPlans.get(meeting._id);
    if (!recorded?.counts || !recorded.startedAt) {
      throw new Error(`the purge plan of meeting ${meeting._id} is missing`);
    }
    plans.set(meeting._id, {
      counts: recorded.counts,
      startedAt: recorded.startedAt,
      ...(meeting.purge?.certificateId ? { certificateId: meeting.purge.certificateId } : {}),
      ...(meeting.purge?.audited ? { audited: true } : {}),
    });
  }
  // The invite text goes with the final update below: one update of the meeting records per
  // batch (until then it is unreadable anyway: its key is destroyed next).
  await eraseContent(kit, ctx, ids, 'caller');
  const { certificates, audit, envelope } = kit.deps;
  await envelope.destroyDataKeys(ctx, ids.map(meetingScope));

  for (const meeting of meetings) {
    const id = meeting._id;
    const plan = plans.get(id)!;
    await deps.checkpoint?.('content-erased', id);
    if (resumed.has(id) && (await Purges.findById(purgeDoneId(id)).lean())) continue;
    // A certificate can exist only if an earlier run got this far: only then look for it.
    let certificateId =
      plan.certificateId ??
      (resumed.has(id) ? await certificates.findBySubject(ctx, MEETING_CONTENT_SUBJECT, id) : null);
    if (!certificateId) {
      certificateId = (
        await certificates.issueDeletionCertificate(ctx, {
          subject: { kind: MEETING_CONTENT_SUBJECT, id },
          deleted: plan.counts,
          kept: keptAfterPurge(meeting),
          at: kit.now(),
        })
      ).certificate.id;
    }
    await deps.checkpoint?.('certified', id);
    if (!plan.audited) {
      await audit.append(ctx, {
        action: 'data.deleted',
        actor: 'system',
        target: `meeting:${id}`,
        details: { certificateId, kind: MEETING_CONTENT_SUBJECT, reason: 'retention period' },
      });
    }
    await insertIgnoringDuplicates(Purges, [
      { _id: purgeDoneId(id), kind: 'done' as const, certificateId, at: kit.now() },
    ]);
  }
  const now = kit.now();
  await Meetings.updateMany(
    { _id: { $in: ids } },
    { $set: { purgedAt: now, updatedAt: now }, $unset: { description: 1 } },
  );
}

/** The certificate of a meeting's purge, wherever the run that did it recorded it. */
export async function purgeCertificateId(
  kit: MeetingsKit,
  ctx: TenantContext,
  meeting: Pick<MeetingDoc, '_id' | 'purge' | 'purgedAt'>,
): Promise<string | null> {
  if (meeting.purge?.certificateId) return meeting.purge.certificateId;
  if (!meeting.purgedAt) return null;
  const Purges = await kit.deps.store.tenantModel(ctx, MeetingPurge);
  return (await Purges.findById(purgeDoneId(meeting._id)).lean())?.certificateId ?? null;
}

function keptAfterPurge(meeting: MeetingDoc): Array<{ what: string; why: string }> {
  const kept = [
    {
      what: 'the meeting record: title, times, participants, booking link, status',
      why: 'scheduling metadata, not meeting content; it shows the meeting took place',
    },
    {
      what: 'certificates of earlier deletions (its recording)',
      why: 'they are the proof of those deletions',
    },
  ];
  if (meeting.bookingId) {
    kept.push({
      what: `booking ${meeting.bookingId}`,
      why: "it is the event on the organizer's calendar, not meeting content",
    });
  }
  return kept;
}

/** One tenant's expired content and unfinished deletions, batch by batch until none are left. */
export async function purgeExpiredForTenant(
  deps: RetentionDeps,
  ctx: TenantContext,
): Promise<PurgeReport> {
  const { kit } = deps;
  const batch = deps.batchSize ?? DEFAULT_PURGE_BATCH;
  const { Meetings } = await kit.models(ctx);
  const report: PurgeReport = { purged: 0, finished: 0 };

  for (;;) {
    const cut = await Meetings.find({ deletion: { $ne: null } })
      .limit(batch)
      .lean();
    for (const meeting of cut) {
      await removeMeeting(kit, ctx, meeting, meeting.deletion!.by);
      report.finished += 1;
    }
    if (cut.length < batch) break;
  }

  const { retentionDays } = await getMeetingSettings(kit.deps.store, ctx);
  const cutoff = new Date(kit.now().getTime() - retentionDays * DAY_MS);
  for (;;) {
    // Purged meetings leave this query, so each batch starts where the last one stopped.
    const due = await Meetings.find({
      retainFrom: { $lte: cutoff },
      purgedAt: null,
      deletion: null,
    })
      .sort({ retainFrom: 1 })
      .limit(batch)
      .lean();
    await purgeBatch(deps, ctx, due);
    report.purged += due.length;
    if (due.length < batch) return report;
  }
}

export async function purgeExpiredMeetings(deps: RetentionDeps): Promise<PurgeReport> {
  const total: PurgeReport = { purged: 0, finished: 0 };
  for await (const ctx of everyTenant(deps.kit.deps.store)) {
    const report = await purgeExpiredForTenant(deps, ctx);
    total.purged += report.purged;
    total.finished += report.finished;
  }
  return total;
}

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
  const { Sources, Meetings } = await kit.models(ctx);
  const cutoff = new Date(kit.now().getTime() - RECORDING_SWEEP_AGE_MS);
  let count = 0;
  for (;;) {
    const old = await Sources.find({ receivedAt: { $lte: cutoff } })
      .limit(deps.batchSize ?? 100)
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
    if (meetingId && (await Sources.countDocuments({ _id: meetingId, file })) > 0) continue;
    await kit.files.remove(tenantId, file);
    count += 1;
    if (!meetingId) continue;
    const sourceId = file.split('.')[1]!;
    const subject = sourceSubject(meetingId, sourceId);
    if (await kit.deps.certificates.findBySubject(ctx, subject.kind, subject.id)) continue;
    const { certificate } = await kit.deps.certificates.issueDeletionCertificate(ctx, {
      subject,
      deleted: { 'audio recordings (unfinished upload)': 1 },
      kept: [],
      at: kit.now(),
    });
    await kit.deps.audit.append(ctx, {
      action: 'data.deleted',
      actor: 'system',
      target: `meeting:${meetingId}`,
      details: { certificateId: certificate.id, kind: subject.kind, reason: 'abandoned upload' },
    });
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

export function purgeExpiredMeetingsJob(deps: RetentionDeps): JobDefinition {
  return {
    name: PURGE_EXPIRED_MEETINGS,
    every: '1 day',
    runAtStart: true,
    async run(_data, { logger }) {
      const report = await purgeExpiredMeetings(deps);
      if (report.purged + report.finished > 0) logger.info(report, 'meeting content purged');
    },
  };
}

export function purgeMeetingRecordingsJob(deps: RetentionDeps): JobDefinition {
  return {
    name: PURGE_MEETING_RECORDINGS,
    every: '1 hour',
    runAtStart: true,
    async run(_data, { logger }) {
      const report = await purgeStaleRecordings(deps);
      if (report.recordings + report.orphans + report.workFolders > 0) {
        logger.info(report, 'stale recordings purged');
      }
    },
  };
}
