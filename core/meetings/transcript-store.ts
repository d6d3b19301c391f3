// A transcript is stored in chunks of the meeting's chunk size (`chunkSize`: CHUNK_SIZE when
// captured live, WHOLE_CHUNK_SIZE when stored whole), `_id` `<meetingId>:<n>`, each chunk's
// segments sealed as one field. The meeting record says how many segments there are
// (`segmentCount`) and how many chunk ids may exist (`chunkCount`, raised before a chunk past it
// is written), so the transcript is read, and deleted, by exact ids alone.
import { deleteByIds, findByIds } from '../store/by-id.ts';
import { DecryptionFailedError } from '../privacy/errors.ts';
import type { Segment } from '../speech/index.ts';
import type { TenantContext } from '../store/tenant-context.ts';
import type { MeetingsKit } from './kit.ts';
import { CHUNK_SIZE, WHOLE_CHUNK_SIZE, type MeetingDoc, type StoredChunk } from './models.ts';
import type { ChunkContent, ChunkSegment, SegmentContent } from './sealed-content.ts';

export function chunkId(meetingId: string, n: number): string {
  return `${meetingId}:${n}`;
}

export function chunksFor(segments: number, size = CHUNK_SIZE): number {
  return Math.ceil(segments / size);
}

/** Segments per chunk of this meeting's transcript. */
export function chunkSizeOf(meeting: Pick<MeetingDoc, 'chunkSize'>): number {
  return meeting.chunkSize ?? CHUNK_SIZE;
}

/** Every chunk id a meeting may have written, for its deletion. */
export function chunkIdsOf(
  meeting: Pick<MeetingDoc, '_id' | 'chunkCount' | 'segmentCount' | 'chunkSize'>,
) {
  const count = Math.max(
    meeting.chunkCount ?? 0,
    chunksFor(meeting.segmentCount ?? 0, chunkSizeOf(meeting)),
  );
  return Array.from({ length: count }, (_, n) => chunkId(meeting._id, n));
}

function chunkSegment(segment: Segment): ChunkSegment {
  const { speaker, startMs, endMs, text, confidence } = segment;
  return { speaker, startMs, endMs, text, confidence };
}

export async function sealChunk(
  kit: MeetingsKit,
  ctx: TenantContext,
  meetingId: string,
  n: number,
  segments: readonly Segment[],
): Promise<StoredChunk> {
  const content: ChunkContent = {
    _id: chunkId(meetingId, n),
    meetingId,
    n,
    count: segments.length,
    segments: segments.map(chunkSegment),
  };
  return kit.sealed.chunks.seal(ctx, content);
}

/**
 * Raises the meeting's chunk high-water mark before chunks up to `count` are written; with
 * `size`, also records the segments per chunk they are written with.
 */
export async function reserveChunks(
  kit: MeetingsKit,
  ctx: TenantContext,
  meetingId: string,
  count: number,
  size?: number,
): Promise<void> {
  const { Meetings } = await kit.models(ctx);
  await Meetings.updateOne(
    { _id: meetingId },
    { $max: { chunkCount: count }, ...(size === undefined ? {} : { $set: { chunkSize: size } }) },
  );
}

/**
 * Writes a whole transcript in chunks of WHOLE_CHUNK_SIZE: chunks left by an earlier attempt are
 * deleted, the chunk count and size are recorded on the meeting, and the chunks go in with one
 * insert. Resolves to what the meeting record says of its chunks now.
 */
export async function storeTranscript(
  kit: MeetingsKit,
  ctx: TenantContext,
  meeting: Pick<MeetingDoc, '_id' | 'chunkCount' | 'segmentCount' | 'chunkSize'>,
  segments: readonly Segment[],
): Promise<{ chunkCount: number; chunkSize: number }> {
  const { Chunks } = await kit.models(ctx);
  const size = WHOLE_CHUNK_SIZE;
  const count = chunksFor(segments.length, size);
  const earlier = chunkIdsOf(meeting);
  // Leftovers of an attempt that died before marking the transcript done.
  if (earlier.length > 0) await deleteByIds(Chunks, earlier);
  // Before any chunk: a reader takes the segments of chunk n to be `n × size` on.
  if (count > (meeting.chunkCount ?? 0) || meeting.chunkSize !== size) {
    await reserveChunks(kit, ctx, meeting._id, count, size);
  }
  const chunks = await Promise.all(
    Array.from({ length: count }, (_, n) =>
      sealChunk(kit, ctx, meeting._id, n, segments.slice(n * size, (n + 1) * size)),
    ),
  );
  await Chunks.insertMany(chunks, { ordered: true });
  return { chunkCount: Math.max(count, meeting.chunkCount ?? 0), chunkSize: size };
}

/** The transcript of a meeting (its `segmentCount` segments), decrypted, in order. */
export async function readTranscript(
  kit: MeetingsKit,
  ctx: TenantContext,
  meeting: Pick<MeetingDoc, '_id' | 'segmentCount' | 'chunkSize'>,
): Promise<SegmentContent[]> {
  const size = chunkSizeOf(meeting);
  const count = chunksFor(meeting.segmentCount ?? 0, size);
  if (count === 0) return [];
  const { Chunks } = await kit.models(ctx);
  const ids = Array.from({ length: count }, (_, n) => chunkId(meeting._id, n));
  const stored = await findByIds(Chunks, ids);
  if (stored.length !== count) {
    throw new DecryptionFailedError(
      'malformed',
      `meeting_chunks: ${count - stored.length} of the ${count} chunks of meeting ${meeting._id} are missing`,
    );
  }
  const opened = await Promise.all(stored.map((chunk) => kit.sealed.chunks.open(ctx, chunk)));
  return opened.flatMap((chunk) =>
    chunk.segments.map((segment, i) => ({ index: chunk.n * size + i, ...segment })),
  );
}
