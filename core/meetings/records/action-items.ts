// Ticking a meeting's action item off, for someone who may see the meeting. The items' store
// (../action-items.ts) stays beside the transcript store: the pipeline writes it, the view and
// the agenda read it, personal-data requests relabel it.
import type { TenantContext } from '../../store/tenant-context.ts';
import { setActionItemDone } from '../action-items.ts';
import { MeetingError } from '../errors.ts';
import type { MeetingsKit } from '../kit.ts';
import { visibleMeeting, type MeetingActor } from './access.ts';

export async function markActionItem(
  kit: MeetingsKit,
  ctx: TenantContext,
  actor: MeetingActor,
  id: string,
  index: number,
  done: boolean,
): Promise<void> {
  await visibleMeeting(kit, ctx, actor, id);
  if (!(await setActionItemDone(kit, ctx, id, index, done))) {
    throw new MeetingError('not-found', `This meeting has no action item ${index}.`);
  }
}
