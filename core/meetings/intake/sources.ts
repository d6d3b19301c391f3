// A meeting takes one source (a recording, captions or live audio) while it is scheduled, or
// again after a failed attempt that never transcribed; taking it queues the pipeline.
import type { Model } from 'mongoose';
import { isDuplicateKeyError } from '../../privacy/duplicate-key.ts';
import type { TenantContext } from '../../store/tenant-context.ts';
import { MeetingError } from '../errors.ts';
import { PROCESS_MEETING } from '../job-names.ts';
import type { MeetingsKit } from '../kit.ts';
import { CURRENT, DUE } from '../lists.ts';
import type { MeetingDoc, SourceDoc } from '../models.ts';

export function mayTakeSource(meeting: MeetingDoc): void {
  if (meeting.purgedAt) {
    throw new MeetingError(
      'conflict',
      "This meeting's content was deleted after the retention period; it takes no new recording.",
    );
  }
  const retry = meeting.status === 'failed' && meeting.transcribedAt === null;
  if (meeting.status !== 'scheduled' && !retry) {
    throw new MeetingError(
      'conflict',
      `This meeting already has a recording or captions (it is ${meeting.status}); ` +
        'delete it and create a new one to start over.',
    );
  }
}

/** The meeting takes a new source: what an earlier one left is reset. */
export async function takeSource(
  kit: MeetingsKit,
  Meetings: Model<MeetingDoc>,
  id: string,
  taken: Pick<MeetingDoc, 'status' | 'source' | 'sourceId' | 'engine' | 'nextAttemptAt'> &
    Partial<Pick<MeetingDoc, 'retainFrom'>>,
): Promise<void> {
  await Meetings.updateOne(
    { _id: id },
    {
      $set: {
        ...taken,
        attempts: 0,
        failure: null,
        transcribedAt: null,
        segmentCount: null,
        // The chunk layout is the new transcript's (live capture writes CHUNK_SIZE chunks).
        chunkSize: null,
        sourceDeletedAt: null,
        sourceCertificateId: null,
        updatedAt: kit.now(),
      },
    },
  );
}

/** The source's record; one per meeting at a time. */
export async function insertSource(
  kit: MeetingsKit,
  ctx: TenantContext,
  doc: SourceDoc,
): Promise<void> {
  const { Sources } = await kit.models(ctx);
  try {
    await Sources.create(doc);
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    throw new MeetingError(
      'conflict',
      'A recording or captions for this meeting are already being received.',
    );
  }
}

/** The source is stored: the pipeline transcribes it in a job. */
export async function queueMeeting(
  kit: MeetingsKit,
  ctx: TenantContext,
  meetingId: string,
  source: { kind: 'audio' | 'captions'; sourceId: string },
  engine: MeetingDoc['engine'],
): Promise<void> {
  const { Meetings, lists } = await kit.models(ctx);
  // Listed before it is due, so the pipeline's sweep finds it whatever happens next.
  await lists.addDue(DUE.pipeline, CURRENT, [meetingId]);
  await takeSource(kit, Meetings, meetingId, {
    status: 'queued',
    source: source.kind,
    sourceId: source.sourceId,
    engine,
    nextAttemptAt: kit.now(),
  });
  await kit.deps.queue.now(PROCESS_MEETING, { tenantId: ctx.tenantId, meetingId });
}
