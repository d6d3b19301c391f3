// Who may see a meeting: its organizer and participants, and API keys of the tenant holding
// meetings:read (checked by the adapter). Everyone else is told it does not exist.
import type { TenantContext } from '../../store/tenant-context.ts';
import { meetingNotFound } from '../errors.ts';
import { isMeetingId } from '../ids.ts';
import type { MeetingsKit } from '../kit.ts';
import type { MeetingDoc } from '../models.ts';

export type MeetingActor =
  | { kind: 'user'; userId: string; email: string; name: string }
  | { kind: 'api-key'; keyId: string };

export function actorName(actor: MeetingActor): string {
  return actor.kind === 'user' ? `user:${actor.userId}` : `api-key:${actor.keyId}`;
}

export function canSee(meeting: MeetingDoc, actor: MeetingActor): boolean {
  if (actor.kind === 'api-key') return true;
  return (
    meeting.organizerId === actor.userId ||
    meeting.participantEmails.includes(actor.email.toLowerCase())
  );
}

/** The meeting by id, unless it is being deleted (or the id is none of ours). */
export async function loadMeeting(
  kit: MeetingsKit,
  ctx: TenantContext,
  id: string,
): Promise<MeetingDoc | null> {
  if (!isMeetingId(id)) return null;
  const { Meetings } = await kit.models(ctx);
  const meeting = await Meetings.findById(id).lean();
  return meeting && !meeting.deletion ? meeting : null;
}

/** The meeting, if this actor may see it; "not found" otherwise. */
export async function visibleMeeting(
  kit: MeetingsKit,
  ctx: TenantContext,
  actor: MeetingActor,
  id: string,
): Promise<MeetingDoc> {
  const meeting = await loadMeeting(kit, ctx, id);
  if (!meeting || !canSee(meeting, actor)) throw meetingNotFound();
  return meeting;
}
