// Counting and deleting what a meeting holds, for its deletion certificates. Every deletion
// here can run again after a crash: deleting what is already gone deletes nothing, and a
// certificate is issued once per subject (found again with findBySubject).
import { randomUUID } from 'node:crypto';
import { EVENT_LIFETIME_MS } from '../delivery/outbox.ts';
import { deleteByIds, findByIds, updateByIds } from '../store/by-id.ts';
import type { TenantContext } from '../store/tenant-context.ts';
import type { MeetingsKit } from './kit.ts';
import { CERTIFY_DELETED_SOURCES } from './job-names.ts';
import { CURRENT, DUE, monthOf } from './lists.ts';
import type { DeletionCounts, MeetingDoc, OwedCertificate, SourceDoc } from './models.ts';
import { chunkIdsOf, chunkSizeOf, chunksFor } from './transcript-store.ts';

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

type Counted = Pick<
  MeetingDoc,
  | '_id'
  | 'description'
  | 'status'
  | 'segmentCount'
  | 'chunkCount'
  | 'chunkSize'
  | 'actionItemCount'
  | 'summarizedAt'
  | 'sourceDeletedAt'
>;

/**
 * A ready meeting's record says what it holds: its transcript (segmentCount), summary, action
 * items (actionItemCount) and search entry, all written before it became ready, and its source
 * already deleted. Counting it reads nothing.
 */
function settled(meeting: Counted): boolean {
  return (
    meeting.status === 'ready' &&
    meeting.summarizedAt !== null &&
    meeting.actionItemCount !== null &&
    meeting.sourceDeletedAt !== null &&
    chunkIdsOf(meeting).length === chunksFor(meeting.segmentCount ?? 0, chunkSizeOf(meeting))
  );
}

/** What one meeting still in processing (or failed) holds, read by exact ids. */
async function countStored(
  kit: MeetingsKit,
  ctx: TenantContext,
  meeting: Counted,
): Promise<DeletionCounts> {
  const m = await kit.models(ctx);
  const [chunks, actions, summary, source, search] = await Promise.all([
    findByIds(m.Chunks, chunkIdsOf(meeting), { count: 1 }),
    m.ActionItems.findById(meeting._id, { items: 1 }).lean(),
    m.Summaries.findById(meeting._id, { _id: 1 }).lean(),
    m.Sources.findById(meeting._id, { kind: 1, owed: 1 }).lean(),
    kit.search.existing(ctx, [meeting._id]),
  ]);
  return {
    [CONTENT_KINDS.segments]: chunks.reduce((sum, chunk) => sum + chunk.count, 0),
    [CONTENT_KINDS.summaries]: summary ? 1 : 0,
    [CONTENT_KINDS.actionItems]: actions?.items.length ?? 0,
    [CONTENT_KINDS.searchEntries]: search.has(meeting._id) ? 1 : 0,
    [CONTENT_KINDS.descriptions]: meeting.description === undefined ? 0 : 1,
    // A source deleted already (its certificate owed) holds nothing.
    [CONTENT_KINDS.recordings]: source?.kind === 'audio' && !source.owed ? 1 : 0,
    [CONTENT_KINDS.captions]: source?.kind === 'captions' && !source.owed ? 1 : 0,
  };
}

/**
 * What deleting these meetings' content would remove, per meeting, counted without removing
 * it: from the record of a ready meeting, by exact-id reads for the others.
 */
export async function countContent(
  kit: MeetingsKit,
  ctx: TenantContext,
  meetings: readonly Counted[],
): Promise<Map<string, DeletionCounts>> {
  const counts = new Map<string, DeletionCounts>();
  for (const meeting of meetings) {
    counts.set(
      meeting._id,
      settled(meeting)
        ? {
            [CONTENT_KINDS.segments]: meeting.segmentCount ?? 0,
            [CONTENT_KINDS.summaries]: 1,
            [CONTENT_KINDS.actionItems]: meeting.actionItemCount ?? 0,
            [CONTENT_KINDS.searchEntries]: 1,
            [CONTENT_KINDS.descriptions]: meeting.description === undefined ? 0 : 1,
            [CONTENT_KINDS.recordings]: 0,
            [CONTENT_KINDS.captions]: 0,
          }
        : await countStored(kit, ctx, meeting),
    );
  }
  return counts;
}

type Erased = Pick<
  MeetingDoc,
  '_id' | 'status' | 'segmentCount' | 'chunkCount' | 'sourceDeletedAt'
> &
  Partial<Pick<MeetingDoc, 'publishedAt' | 'startsAt'>>;

/**
 * Whether the meeting's outbox event may still be offered to a consumer. Its `createdAt` is at
 * most `publishedAt` (recorded after the publish; a publish again keeps the first event), and an
 * event expired `EVENT_LIFETIME_MS` after it is offered to nobody and swept (it holds ids, no
 * content): a purge 30 days on need not look for it, a statement per meeting saved.
 */
function mayHaveLiveEvent(meeting: Erased, now: Date): boolean {
  const published = meeting.publishedAt;
  return !published || published.getTime() + EVENT_LIFETIME_MS > now.getTime();
}

/** Deletes everything said in these meetings, their recordings and their outbox events. */
export async function eraseContent(
  kit: MeetingsKit,
  ctx: TenantContext,
  meetings: readonly Erased[],
  /** 'caller': the caller removes the invite text with its own update of the meeting records. */
  description: 'unset' | 'caller' = 'unset',
): Promise<void> {
  if (meetings.length === 0) return;
  const ids = meetings.map((meeting) => meeting._id);
  const m = await kit.models(ctx);
  // The kinds of content go at once, each in its own stream of exact-_id statements: no order
  // among them matters (each deletion can run again). FerretDB commits every statement by
  // itself; streams on different collections let it decode one while another commits (on the
  // loaded 2-core development machine: 0.45–0.95 ms a delete whether 1, 3 or 7 collections at
  // once; several streams on ONE collection were slower, 0.9–1.1 ms, so chunks are one stream).
  await Promise.all([
    deleteByIds(m.Chunks, meetings.flatMap(chunkIdsOf)),
    deleteByIds(m.ActionItems, ids),
    deleteByIds(m.Summaries, ids),
    // Their months: a month whose every meeting goes here loses its postings unread.
    kit.search.remove(ctx, ids, {
      months: meetings.flatMap((meeting) => (meeting.startsAt ? [monthOf(meeting.startsAt)] : [])),
    }),
    eraseSources(kit, ctx, meetings),
    description === 'unset'
      ? updateByIds(m.Meetings, ids, { $unset: { description: 1 } })
      : undefined,
    kit.outbox.forget(
      ctx.tenantId,
      meetings.filter((meeting) => mayHaveLiveEvent(meeting, kit.now())).map((m) => m._id),
    ),
  ]);
}

/** The recordings (file and record) of meetings that may still have one. */
async function eraseSources(
  kit: MeetingsKit,
  ctx: TenantContext,
  meetings: readonly Erased[],
): Promise<void> {
  const m = await kit.models(ctx);
  // A ready meeting's source was deleted before it was summarized: nothing to look for.
  const mayHaveSource = meetings
    .filter((meeting) => meeting.status !== 'ready' || meeting.sourceDeletedAt === null)
    .map((meeting) => meeting._id);
  // One deleted already holds nothing, and stays until its certificate is issued.
  const sources = (await findByIds(m.Sources, mayHaveSource, { file: 1, owed: 1 })).filter(
    (source) => !source.owed,
  );
  for (const source of sources) {
    if (source.file) await kit.files.remove(ctx.tenantId, source.file);
  }
  await deleteByIds(
    m.Sources,
    sources.map((source) => source._id),
  );
}

/** The subject of the certificate for one recording or captions file. */
export function sourceSubject(meetingId: string, sourceId: string) {
  return { kind: 'meeting-recording', id: `${meetingId}:${sourceId}` };
}

/**
 * Deletes a meeting's recording (the encrypted file, its key and record) or its captions, and
 * owes their deletion certificate, which the certify job issues a moment later with others, in
 * one scrub of the tenant's database (retention/source-certificates.ts): a scrub per meeting
 * held every pipeline run waiting on a checkpoint. Resolves to the certificate's id (named
 * now, valid once issued), or null when the meeting never had a source.
 *
 * Crash-safe in this order: the meeting is listed as owing first (the job finds it again),
 * then the file goes, then the record is replaced by what the certificate will say.
 */
export async function deleteSourceWithProof(
  kit: MeetingsKit,
  ctx: TenantContext,
  meeting: Pick<MeetingDoc, '_id' | 'sourceId'>,
  why: string,
  /** The source record, when the caller has just read it. */
  read?: SourceDoc,
): Promise<string | null> {
  const { Sources, lists } = await kit.models(ctx);
  const meetingId = meeting._id;
  const source = read ?? (await Sources.findById(meetingId).lean());
  if (!source || source.sourceId !== meeting.sourceId) {
    // Already deleted and certified (by an earlier run, or the 24-hour sweep): its certificate.
    if (!meeting.sourceId) return null;
    const done = sourceSubject(meetingId, meeting.sourceId);
    return (await kit.deps.certificates.findBySubject(ctx, done.kind, done.id)) ?? null;
  }
  if (source.owed) return source.owed.certificateId;
  await lists.addDue(DUE.certifying, CURRENT, [meetingId]);
  if (source.file) await kit.files.remove(ctx.tenantId, source.file);
  const owed: OwedCertificate = { certificateId: randomUUID(), why, at: kit.now() };
  const { _id, sourceId, kind, bytes, contentType, captionsFormat, state, receivedAt } = source;
  await Sources.replaceOne(
    { _id },
    { sourceId, kind, bytes, contentType, captionsFormat, state, receivedAt, owed },
  );
  await kit.deps.queue.now(CERTIFY_DELETED_SOURCES, { tenantId: ctx.tenantId });
  return owed.certificateId;
}
