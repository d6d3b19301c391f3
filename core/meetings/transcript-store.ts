// Writes a transcript: each segment sealed field by field, under the id <meetingId>:<position>,
// in batches. Writing the same transcript again (a resumed step) inserts the same ids, and the
// database refuses the duplicates, so no segment is ever stored twice.
import type { Segment } from '../speech/index.ts';
import type { TenantContext } from '../store/tenant-context.ts';
import { positionalId } from './ids.ts';
import type { MeetingsKit } from './kit.ts';

const BATCH = 500;

export async function storeTranscript(
  kit: MeetingsKit,
  ctx: TenantContext,
  meetingId: string,
  segments: readonly Segment[],
): Promise<void> {
  const { Segments } = await kit.models(ctx);
  // Leftovers of an attempt that died before marking the transcript done.
  await Segments.deleteMany({ meetingId });
  for (let start = 0; start < segments.length; start += BATCH) {
    const batch = await Promise.all(
      segments.slice(start, start + BATCH).map((segment, offset) =>
        kit.sealed.segments.seal(ctx, {
          _id: positionalId(meetingId, start + offset),
          meetingId,
          index: start + offset,
          speaker: segment.speaker,
          startMs: segment.startMs,
          endMs: segment.endMs,
          text: segment.text,
          confidence: segment.confidence,
        }),
      ),
    );
    await insertIgnoringDuplicates(Segments, batch);
  }
}

/** Inserts what is not there yet; documents whose id exists are left as they are. */
export async function insertIgnoringDuplicates<T>(
  model: { insertMany(docs: T[], options: { ordered: false }): Promise<unknown> },
  docs: T[],
): Promise<void> {
  if (docs.length === 0) return;
  try {
    await model.insertMany(docs, { ordered: false });
  } catch (error) {
    const writeErrors = (
      error as { writeErrors?: Array<{ code?: number; err?: { code?: number } }> }
    ).writeErrors;
    const onlyDuplicates =
      Array.isArray(writeErrors) &&
      writeErrors.length > 0 &&
      writeErrors.every((e) => (e.code ?? e.err?.code) === 11000);
    if (!onlyDuplicates && (error as { code?: number }).code !== 11000) throw error;
  }
}
