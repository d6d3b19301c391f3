// Deleting a meeting: organizer (or an API key) only; removal.ts does the work and certifies it.
import type { TenantContext } from '../../store/tenant-context.ts';
import { MeetingError, meetingNotFound } from '../errors.ts';
import { isMeetingId } from '../ids.ts';
import type { MeetingsKit } from '../kit.ts';
import { removeMeeting } from '../retention/removal.ts';
import { actorName, canSee, type MeetingActor } from './access.ts';

/** Organizer (or an API key) only. Resolves to the deletion certificate's id. */
export async function deleteMeeting(
  kit: MeetingsKit,
  ctx: TenantContext,
  actor: MeetingActor,
  id: string,
): Promise<string> {
  if (!isMeetingId(id)) throw meetingNotFound();
  const { Meetings } = await kit.models(ctx);
  // A deletion that was cut short is visible to its organizer, so it can be finished.
  const meeting = await Meetings.findById(id).lean();
  if (!meeting || !canSee(meeting, actor)) throw meetingNotFound();
  if (actor.kind === 'user' && meeting.organizerId !== actor.userId) {
    throw new MeetingError('forbidden', 'Only the organizer can delete this meeting.');
  }
  return removeMeeting(kit, ctx, meeting, actorName(actor));
}
