// The storage migration from the layout of one document per transcript segment and per action
// item (legacy.ts), with meetings found by queries, to the current one: transcript chunks,
// one action item document per meeting, and the list documents (lists.ts) built from the
// meeting records. Idempotent: every write replaces by id or adds to a set, so a run killed
// half-way is finished by the next start; the old collections are dropped only once every
// meeting's new copies are written.
import type { Model } from 'mongoose';
import { DecryptionFailedError } from '../privacy/errors.ts';
import { upsertByIds } from '../store/by-id.ts';
import type { MigrationStep } from '../store/migrations.ts';
import type { TenantContext } from '../store/tenant-context.ts';
import type { MeetingsKit } from './kit.ts';
import {
  LegacyActionItemModel,
  LegacySegmentModel,
  legacySealed,
  type LegacyActionItem,
  type LegacySegment,
} from './legacy.ts';
import { CURRENT, DUE, dayOf, timelineOwners } from './lists.ts';
import { inPipeline } from './listing.ts';
import { CHUNK_SIZE, type MeetingDoc, type StoredActionItems, type StoredChunk } from './models.ts';
import { chunksFor, sealChunk } from './transcript-store.ts';

type Legacy = ReturnType<typeof legacySealed>;

/** Content whose key is gone or that fails its integrity check can never be read again. */
function unreadable(error: unknown): boolean {
  return (
    error instanceof DecryptionFailedError &&
    ['key-destroyed', 'key-missing', 'not-authentic', 'malformed'].includes(error.reason)
  );
}

/** One meeting's legacy segments as chunks; none when they can never be read. */
async function chunksOf(
  kit: MeetingsKit,
  ctx: TenantContext,
  legacy: Legacy,
  meetingId: string,
  stored: LegacySegment[],
): Promise<StoredChunk[]> {
  let segments;
  try {
    segments = await Promise.all(stored.map((s) => legacy.segments.open(ctx, s)));
  } catch (error) {
    if (unreadable(error)) return [];
    throw error;
  }
  segments.sort((a, b) => a.index - b.index);
  return Promise.all(
    Array.from({ length: chunksFor(segments.length) }, (_, n) =>
      sealChunk(kit, ctx, meetingId, n, segments.slice(n * CHUNK_SIZE, (n + 1) * CHUNK_SIZE)),
    ),
  );
}

/**
 * Streams the legacy segments once (a scan), writing a meeting's chunks as soon as all its
 * segments (its segmentCount) were seen, the rest at the end. Resolves to chunks per meeting.
 */
async function moveSegments(
  kit: MeetingsKit,
  ctx: TenantContext,
  legacy: Legacy,
  meetings: Map<string, MeetingDoc>,
  checkpoint?: (meetingId: string) => void,
): Promise<Map<string, number>> {
  const Legacy = await kit.deps.store.tenantModel(ctx, LegacySegmentModel);
  const { Chunks } = await kit.models(ctx);
  const pending = new Map<string, LegacySegment[]>();
  const written = new Map<string, number>();
  const flush = async (meetingId: string) => {
    const chunks = await chunksOf(kit, ctx, legacy, meetingId, pending.get(meetingId)!);
    pending.delete(meetingId);
    await upsertByIds(Chunks, chunks);
    written.set(meetingId, chunks.length);
    checkpoint?.(meetingId);
  };
  for await (const segment of Legacy.find({}).lean().cursor()) {
    // Leftovers of a meeting whose record is gone: nothing reads them; they go with the rest.
    if (!meetings.has(segment.meetingId)) continue;
    const list = pending.get(segment.meetingId) ?? [];
    list.push(segment as LegacySegment);
    pending.set(segment.meetingId, list);
    const expected = meetings.get(segment.meetingId)?.segmentCount;
    if (expected && list.length === expected) await flush(segment.meetingId);
  }
  for (const meetingId of [...pending.keys()]) await flush(meetingId);
  return written;
}

/** Every meeting's legacy action items as one document; resolves to items per meeting. */
async function moveActionItems(
  kit: MeetingsKit,
  ctx: TenantContext,
  legacy: Legacy,
  meetings: Map<string, MeetingDoc>,
): Promise<Map<string, number>> {
  const Legacy = await kit.deps.store.tenantModel(ctx, LegacyActionItemModel);
  const { ActionItems } = await kit.models(ctx);
  const byMeeting = new Map<string, LegacyActionItem[]>();
  for await (const item of Legacy.find({}).lean().cursor()) {
    if (!meetings.has(item.meetingId)) continue;
    byMeeting.set(item.meetingId, [...(byMeeting.get(item.meetingId) ?? []), item]);
  }
  const counts = new Map<string, number>();
  const docs: StoredActionItems[] = [];
  for (const [meetingId, stored] of byMeeting) {
    let items;
    try {
      items = await Promise.all(stored.map((s) => legacy.actionItems.open(ctx, s)));
    } catch (error) {
      if (unreadable(error)) continue;
      throw error;
    }
    items.sort((a, b) => a.index - b.index);
    docs.push(
      await kit.sealed.actionItems.seal(ctx, {
        _id: meetingId,
        items: items.map(({ index, sourceSegment, done, doneAt }) => ({
          index,
          sourceSegment,
          done,
          doneAt,
        })),
        content: items.map(({ task, owner, due }) => ({ task, owner, due })),
      }),
    );
    counts.set(meetingId, items.length);
  }
  await upsertByIds(ActionItems, docs);
  return counts;
}

/** The list documents of every meeting, one `$addToSet` per document. */
async function buildLists(
  kit: MeetingsKit,
  ctx: TenantContext,
  meetings: Iterable<MeetingDoc>,
): Promise<void> {
  const { lists } = await kit.models(ctx);
  const timelines = new Map<string, Array<{ meetingId: string; startsAt: Date }>>();
  const due = new Map<string, { kind: string; period: string; ids: string[] }>();
  const addDue = (kind: string, period: string, meetingId: string) => {
    const key = `${kind}\n${period}`;
    const list = due.get(key) ?? { kind, period, ids: [] };
    list.ids.push(meetingId);
    due.set(key, list);
  };
  for (const m of meetings) {
    for (const owner of timelineOwners(m)) {
      timelines.set(owner, [
        ...(timelines.get(owner) ?? []),
        { meetingId: m._id, startsAt: m.startsAt },
      ]);
    }
    if (m.deletion) addDue(DUE.deleting, CURRENT, m._id);
    else if (m.purgedAt === null) addDue(DUE.retention, dayOf(m.retainFrom), m._id);
    if (!m.deletion && inPipeline(m)) addDue(DUE.pipeline, CURRENT, m._id);
  }
  for (const [owner, listed] of timelines) await lists.addToTimelines(owner, listed);
  for (const { kind, period, ids } of due.values()) await lists.addDue(kind, period, ids);
}

async function updateMeetings(
  Meetings: Model<MeetingDoc>,
  meetings: Map<string, MeetingDoc>,
  changes: Map<string, Partial<MeetingDoc>>,
): Promise<void> {
  for (const [id, set] of changes) {
    if (!meetings.has(id)) continue;
    await Meetings.updateOne({ _id: id }, { $set: set });
    Object.assign(meetings.get(id)!, set);
  }
}

export interface LayoutStepOptions {
  /** Called once a meeting's chunks are written; a throw stops the run there, as a crash would. */
  checkpoint?: (meetingId: string) => void;
}

/** The migration step, with the meetings kit it reseals with. */
export function meetingLayoutStep(
  kit: MeetingsKit,
  options: LayoutStepOptions = {},
): MigrationStep {
  return {
    name: 'meetings-chunks-and-lists',
    description:
      'meeting transcripts into chunks, action items into one document per meeting, and the meeting lists',
    async runForTenant(store, ctx) {
      const legacy = legacySealed(kit.deps.envelope);
      const { Meetings, Claims } = await kit.models(ctx);
      // A scan, as migrations may: every meeting record of the tenant.
      const meetings = new Map((await Meetings.find({}).lean()).map((m) => [m._id, m]));
      const changes = new Map<string, Partial<MeetingDoc>>();
      const change = (id: string, set: Partial<MeetingDoc>) =>
        changes.set(id, { ...changes.get(id), ...set });
      for (const claim of await Claims.find({}).lean()) {
        const claimIds = changes.get(claim.meetingId)?.claimIds ?? [];
        change(claim.meetingId, { claimIds: [...claimIds, claim._id] });
      }
      const chunks = await moveSegments(kit, ctx, legacy, meetings, options.checkpoint);
      for (const [id, count] of chunks) {
        change(id, { chunkCount: Math.max(count, meetings.get(id)?.chunkCount ?? 0) });
      }
      const items = await moveActionItems(kit, ctx, legacy, meetings);
      for (const m of meetings.values()) {
        if ((m.actionItemCount ?? null) === null && m.summarizedAt) {
          change(m._id, { actionItemCount: items.get(m._id) ?? 0 });
        }
      }
      await updateMeetings(Meetings, meetings, changes);
      await buildLists(kit, ctx, meetings.values());
      // Every new copy is written: the old records go.
      const legacyModels = [
        await store.tenantModel(ctx, LegacySegmentModel),
        await store.tenantModel(ctx, LegacyActionItemModel),
      ];
      for (const model of legacyModels) {
        await model.collection.drop().catch((error: { codeName?: string }) => {
          if (error.codeName !== 'NamespaceNotFound') throw error;
        });
      }
      return meetings.size;
    },
  };
}
