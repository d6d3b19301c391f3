// What live audio (live.ts) asks of a meeting: may this person watch it, and may it take the
// audio as its source now.
import type { TranscriberEngine } from '../../speech/index.ts';
import { randomId } from '../../identity/ids.ts';
import { deleteByIds } from '../../store/by-id.ts';
import { serialized } from '../../store/serial.ts';
import type { TenantContext } from '../../store/tenant-context.ts';
import type { MeetingsKit } from '../kit.ts';
import type { MeetingStatus } from '../models.ts';
import { visibleMeeting, type MeetingActor } from '../records/access.ts';
import { moveRetention } from '../listing.ts';
import { chunkIdsOf } from '../transcript-store.ts';
import { mayTakeSource, takeSource } from './sources.ts';

/** For watchers of live audio: refuses (not found) anyone who may not see the meeting. */
export async function mayWatch(
  kit: MeetingsKit,
  ctx: TenantContext,
  actor: MeetingActor,
  id: string,
): Promise<{ status: MeetingStatus; segmentCount: number | null }> {
  const meeting = await visibleMeeting(kit, ctx, actor, id);
  return { status: meeting.status, segmentCount: meeting.segmentCount };
}

/**
 * Takes live audio as the meeting's source: the meeting must take a source now (as for an
 * upload), and is marked transcribing with no retry due, so the pipeline's sweep leaves it
 * to the capture.
 */
export async function takeLiveAudio(
  kit: MeetingsKit,
  ctx: TenantContext,
  actor: MeetingActor,
  id: string,
  engine: TranscriberEngine,
): Promise<{ language: string | null; retainFrom: Date }> {
  const { Meetings, Chunks, lists } = await kit.models(ctx);
  // Read, check and write in order with any other taking of this meeting here (a
  // meeting's live audio is routed to one node, see live.ts).
  const { meeting, retainFrom } = await serialized(
    `${Meetings.db.name}/meetings/${id}`,
    async () => {
      const current = await visibleMeeting(kit, ctx, actor, id);
      mayTakeSource(current);
      // Content arrives from now: retention counts from here until the capture's end moves it
      // there, so what a capture cut short (its node died) stored is never kept longer.
      const startedAt = kit.now();
      await moveRetention(lists, id, current.retainFrom, startedAt);
      // Transcribing, with no retry due: the capture drives it.
      await takeSource(kit, Meetings, id, {
        status: 'transcribing',
        source: 'audio',
        sourceId: randomId(12),
        engine,
        nextAttemptAt: null,
        retainFrom: startedAt,
      });
      return { meeting: current, retainFrom: startedAt };
    },
  );
  // Chunks of an earlier, failed capture.
  await deleteByIds(Chunks, chunkIdsOf(meeting));
  return { language: meeting.language, retainFrom };
}
