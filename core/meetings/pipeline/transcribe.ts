// The first steps: the engine turns the source into segments, stored sealed in chunks; then
// the source is deleted, with a certificate.
import { TranscriptionError, type Segment } from '../../speech/index.ts';
import type { TenantContext } from '../../store/tenant-context.ts';
import { deleteSourceWithProof } from '../content.ts';
import { moveRetention } from '../listing.ts';
import type { MeetingDoc, SourceDoc } from '../models.ts';
import { storeTranscript } from '../transcript-store.ts';
import { PermanentFailure } from './failures.ts';
import type { PipelineRun } from './run.ts';
import { sourceOf } from './source.ts';

const RECORDING_KEPT =
  "the transcript is kept for the organization's retention period, then deleted with its own certificate";

/** Resolves to the segments when this run transcribed them (the summary starts from them). */
export async function transcribe(
  run: PipelineRun,
  ctx: TenantContext,
  meeting: MeetingDoc,
): Promise<Segment[] | undefined> {
  const { kit } = run;
  const id = meeting._id;
  let transcribed: Segment[] | undefined;
  // The source as read for transcription, so deleting it does not read it again.
  let received: SourceDoc | undefined;
  if (meeting.status === 'queued') {
    // Captions are read at once: nobody would see the status before the transcript's own mark.
    if (meeting.source === 'captions') run.later(meeting, { status: 'transcribing' });
    else await run.update(ctx, meeting, { status: 'transcribing' });
  }
  if (meeting.transcribedAt === null) {
    const transcriber = meeting.engine ? kit.transcriber(meeting.engine) : undefined;
    if (!transcriber) {
      throw new PermanentFailure(`The ${meeting.engine} engine is not available here.`);
    }
    const { source, stored, release } = await sourceOf(kit, ctx, meeting);
    received = stored;
    let segments: Segment[];
    try {
      segments = await transcriber.transcribe(
        source,
        meeting.language ? { language: meeting.language } : {},
      );
    } catch (error) {
      // The reason is shown to people: name the recording, not a server path.
      if (error instanceof TranscriptionError && source.kind === 'audio-file') {
        throw new TranscriptionError(error.message.replaceAll(source.path, 'the recording'));
      }
      throw error;
    } finally {
      await release();
    }
    if (segments.length === 0) {
      throw new PermanentFailure('No speech was recognized in the recording.');
    }
    const chunks = await storeTranscript(kit, ctx, meeting, segments);
    transcribed = segments;
    await run.checkpoint('segments-stored', id);
    const now = kit.now();
    // Retention counts from when the content arrived (the recording or captions were
    // received), whatever the meeting's dates say: a meeting dated years ahead must not keep
    // its transcript for years.
    const retainFrom = stored.receivedAt;
    const { lists } = await kit.models(ctx);
    await moveRetention(lists, id, meeting.retainFrom, retainFrom);
    await run.update(ctx, meeting, {
      segmentCount: segments.length,
      ...chunks,
      transcribedAt: now,
      retainFrom,
    });
  }
  await run.checkpoint('transcribed', id);
  // Deleting the recording again finds it gone and its certificate by its subject, so its
  // being done is written with the summary's mark (or the failure's).
  const recording: Partial<MeetingDoc> = {};
  if (meeting.sourceDeletedAt === null) {
    recording.sourceCertificateId = await deleteSourceWithProof(
      kit,
      ctx,
      meeting,
      RECORDING_KEPT,
      received,
    );
    recording.sourceDeletedAt = kit.now();
  }
  await run.checkpoint('recording-deleted', id);
  run.later(meeting, { ...recording, status: 'summarizing', attempts: 0 });
  return transcribed;
}
