// Counting and deleting what a meeting holds, for its deletion certificates. Every deletion
// here can run again after a crash: deleting what is already gone deletes nothing, and a
// certificate is issued once per subject (found again with findBySubject).
import type { TenantContext } from '../store/tenant-context.ts';
import type { MeetingsKit } from './kit.ts';
import type { DeletionCounts, MeetingDoc } from './models.ts';

/** The kinds a certificate names, with the words a reader sees. */
export const CONTENT_KINDS = {
  segments: 'transcript segments',
  summaries: 'summaries (with decisions and open questions)',
  actionItems: 'action items',
  searchEntries: 'search index entries',
  descriptions: 'invite descriptions',
  recordings: 'audio recordings',
  captions: 'caption files',
} as const;

/**
 * What deleting these meetings' content would remove, per meeting, counted without removing
 * it. One query per collection for the whole batch: the embedded database scans a collection
 * for every query, so per-meeting queries would make a purge quadratic in the tenant's size.
 */
export async function countContent(
  kit: MeetingsKit,
  ctx: TenantContext,
  meetings: ReadonlyArray<Pick<MeetingDoc, '_id' | 'description'>>,
): Promise<Map<string, DeletionCounts>> {
  const ids = meetings.map((meeting) => meeting._id);
  const m = await kit.models(ctx);
  const perMeeting = async (model: typeof m.Segments | typeof m.ActionItems) => {
    const rows = await model.aggregate<{ _id: string; n: number }>([
      { $match: { meetingId: { $in: ids } } },
      { $group: { _id: '$meetingId', n: { $sum: 1 } } },
    ]);
    return new Map(rows.map((row) => [row._id, row.n]));
  };
  const [segments, actionItems, summaries, sources, searchEntries] = await Promise.all([
    perMeeting(m.Segments),
    perMeeting(m.ActionItems),
    m.Summaries.find({ _id: { $in: ids } }, { _id: 1 }).lean(),
    m.Sources.find({ _id: { $in: ids } }, { kind: 1 }).lean(),
    kit.search.existing(ctx, ids),
  ]);
  const summarized = new Set(summaries.map((s) => s._id));
  const sourceKind = new Map(sources.map((s) => [s._id, s.kind]));
  return new Map(
    meetings.map((meeting) => {
      const id = meeting._id;
      return [
        id,
        {
          [CONTENT_KINDS.segments]: segments.get(id) ?? 0,
          [CONTENT_KINDS.summaries]: summarized.has(id) ? 1 : 0,
          [CONTENT_KINDS.actionItems]: actionItems.get(id) ?? 0,
          [CONTENT_KINDS.searchEntries]: searchEntries.has(id) ? 1 : 0,
          [CONTENT_KINDS.descriptions]: meeting.description === undefined ? 0 : 1,
          [CONTENT_KINDS.recordings]: sourceKind.get(id) === 'audio' ? 1 : 0,
          [CONTENT_KINDS.captions]: sourceKind.get(id) === 'captions' ? 1 : 0,
        },
      ];
    }),
  );
}

/** Deletes everything said in these meetings, their recordings and their outbox events. */
export async function eraseContent(
  kit: MeetingsKit,
  ctx: TenantContext,
  meetingIds: readonly string[],
  /** 'caller': the caller removes the invite text with its own update of the meeting records. */
  description: 'unset' | 'caller' = 'unset',
): Promise<void> {
  if (meetingIds.length === 0) return;
  const ids = [...meetingIds];
  const m = await kit.models(ctx);
  await m.Segments.deleteMany({ meetingId: { $in: ids } });
  await m.ActionItems.deleteMany({ meetingId: { $in: ids } });
  await m.Summaries.deleteMany({ _id: { $in: ids } });
  await kit.search.remove(ctx, ids);
  const sources = await m.Sources.find({ _id: { $in: ids } }, { file: 1 }).lean();
  for (const source of sources) {
    if (source.file) await kit.files.remove(ctx.tenantId, source.file);
  }
  await m.Sources.deleteMany({ _id: { $in: ids } });
  if (description === 'unset') {
    await m.Meetings.updateMany({ _id: { $in: ids } }, { $unset: { description: 1 } });
  }
  await kit.outbox.forget(ctx.tenantId, ids);
}

/** The subject of the certificate for one recording or captions file. */
export function sourceSubject(meetingId: string, sourceId: string) {
  return { kind: 'meeting-recording', id: `${meetingId}:${sourceId}` };
}

/**
 * Deletes a meeting's recording (the encrypted file and its record) or its captions, with a
 * certificate and an audit entry. The certificate is written before the record goes, so a
 * crash in between is finished by the next run without a second certificate. Resolves to the
 * certificate id, or null when the meeting never had a source.
 */
export async function deleteSourceWithProof(
  kit: MeetingsKit,
  ctx: TenantContext,
  meeting: Pick<MeetingDoc, '_id' | 'sourceId'>,
  why: string,
): Promise<string | null> {
  const { Sources } = await kit.models(ctx);
  const meetingId = meeting._id;
  const { certificates, audit } = kit.deps;
  const source = await Sources.findById(meetingId).lean();
  if (!source || source.sourceId !== meeting.sourceId) {
    // Already deleted (by an earlier run, or the 24-hour sweep): its certificate, if any.
    if (!meeting.sourceId) return null;
    const done = sourceSubject(meetingId, meeting.sourceId);
    return (await certificates.findBySubject(ctx, done.kind, done.id)) ?? null;
  }
  if (source.file) await kit.files.remove(ctx.tenantId, source.file);
  const subject = sourceSubject(meetingId, source.sourceId);
  const certificateId =
    (await certificates.findBySubject(ctx, subject.kind, subject.id)) ??
    (
      await certificates.issueDeletionCertificate(ctx, {
        subject,
        deleted:
          source.kind === 'audio'
            ? { [CONTENT_KINDS.recordings]: 1, 'audio bytes': source.bytes }
            : { [CONTENT_KINDS.captions]: 1 },
        kept: [{ what: `meeting ${meetingId}: transcript made from it, if any`, why }],
        at: kit.now(),
      })
    ).certificate.id;
  await audit.append(ctx, {
    action: 'data.deleted',
    actor: 'system',
    target: `meeting:${meetingId}`,
    details: { certificateId, kind: subject.kind, source: source.kind },
  });
  await Sources.deleteOne({ _id: meetingId });
  return certificateId;
}
