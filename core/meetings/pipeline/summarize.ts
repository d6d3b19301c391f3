// The last steps: the summary, action items and search entry from the transcript; then
// "meeting summarized" into the outbox, and both marked done on the meeting record at once.
import type { Segment } from '../../speech/index.ts';
import type { TenantContext } from '../../store/tenant-context.ts';
import { writeActionItems } from '../action-items.ts';
import type { MeetingDoc } from '../models.ts';
import { titleOf } from '../records/titles.ts';
import { readTranscript } from '../transcript-store.ts';
import { summaryParticipants } from './participants.ts';
import type { PipelineRun } from './run.ts';

export async function summarize(
  run: PipelineRun,
  ctx: TenantContext,
  meeting: MeetingDoc,
  /** The segments this run stored just now: the same as reading them back, without the reads. */
  transcribed: readonly Segment[] | undefined,
): Promise<void> {
  const { kit } = run;
  const id = meeting._id;
  const { Summaries } = await kit.models(ctx);
  const segments = transcribed ?? (await readTranscript(kit, ctx, meeting));
  // The tenant's choice; a choice this deployment no longer has falls back to the embedded one.
  const summarizer = kit.summarizer((await kit.settings(ctx)).summaryEngine);
  const result = await summarizer.summarize({
    segments: segments.map(({ speaker, startMs, endMs, text, confidence }) => ({
      speaker,
      startMs,
      endMs,
      text,
      confidence,
    })),
    participants: summaryParticipants(meeting),
    meeting: { startsAt: meeting.startsAt.toISOString(), timeZone: meeting.timeZone },
  });
  const summary = await kit.sealed.summaries.seal(ctx, {
    _id: id,
    engine: summarizer.engine,
    summary: result.summary,
    decisions: result.decisions,
    openQuestions: result.openQuestions,
    createdAt: kit.now(),
  });
  await Summaries.replaceOne({ _id: id }, summary, { upsert: true });
  await writeActionItems(kit, ctx, id, result.actionItems);
  await kit.search.index(
    ctx,
    id,
    [
      // The title is stored sealed; the index keeps only its words' blind tokens.
      await titleOf(kit, ctx, meeting),
      ...segments.map((s) => s.text),
      ...result.summary,
      ...result.decisions,
      ...result.openQuestions,
      ...result.actionItems.map((item) => item.task),
    ],
    // The run's copy has the start: the index need not read the record for it.
    { startsAt: meeting.startsAt },
  );
  await run.checkpoint('summarized', id);
  // Written with the published mark, in one statement: a run that dies before it summarizes
  // again, which rewrites the same records, and publishes again, which the outbox's id for the
  // event makes a no-op.
  run.later(meeting, {
    status: 'ready',
    summarizedAt: kit.now(),
    actionItemCount: result.actionItems.length,
    attempts: 0,
    nextAttemptAt: null,
  });
}

export async function publish(
  run: PipelineRun,
  ctx: TenantContext,
  meeting: MeetingDoc,
): Promise<void> {
  const { kit } = run;
  await kit.outbox.publish({
    type: 'meeting.summarized',
    tenantId: ctx.tenantId,
    meetingId: meeting._id,
  });
  await run.checkpoint('published', meeting._id);
  await run.update(ctx, meeting, { publishedAt: kit.now() });
  await run.leave(ctx, meeting._id);
}
