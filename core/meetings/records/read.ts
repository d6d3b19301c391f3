// Reading meetings: a person's list, the one a new invite follows on from, and one meeting as
// the reader may see it (its content decrypted only for those who may).
import { purgeCertificateId } from '../retention/purge-batch.ts';
import type { TenantContext } from '../../store/tenant-context.ts';
import type { MeetingsKit } from '../kit.ts';
import { canSee, visibleMeeting, type MeetingActor } from './access.ts';
import { attendeeKeyOf } from './participants.ts';
import { openActionItems, openDescription, openTranscript, readable } from './reading.ts';
import { AGENDA_HISTORY, fromTimelines } from './timelines.ts';
import { openTitle, openTitles } from './titles.ts';
import { listItem, meetingView, type MeetingListItem, type MeetingView } from './views.ts';

/** The meetings a person organizes or is invited to, newest first. */
export async function listMine(
  kit: MeetingsKit,
  ctx: TenantContext,
  person: { userId: string; email: string },
  options: { limit?: number; before?: Date } = {},
): Promise<MeetingListItem[]> {
  const email = person.email.toLowerCase();
  const found = await fromTimelines(
    kit,
    ctx,
    [`u:${person.userId}`, `e:${email}`],
    options.before,
    options.limit ?? 50,
    (m) => m.organizerId === person.userId || m.participantEmails.includes(email),
  );
  return (await openTitles(kit, ctx, found)).map(listItem);
}

/**
 * The latest meeting before `before` with exactly these participants (the organizer
 * included), that this person may see: what an invite with the same people follows on from.
 */
export async function previousWith(
  kit: MeetingsKit,
  ctx: TenantContext,
  actor: MeetingActor,
  participantEmails: readonly string[],
  before: Date,
): Promise<MeetingView | null> {
  const emails = [...new Set(participantEmails.map((e) => e.trim().toLowerCase()))];
  const attendeeKey = attendeeKeyOf(emails);
  const candidates = await fromTimelines(
    kit,
    ctx,
    [`a:${attendeeKey}`],
    before,
    AGENDA_HISTORY,
    (m) => m.attendeeKey === attendeeKey,
  );
  const found = candidates.find((m) => canSee(m, actor));
  return found ? getMeeting(kit, ctx, actor, found._id) : null;
}

export async function getMeeting(
  kit: MeetingsKit,
  ctx: TenantContext,
  actor: MeetingActor,
  id: string,
): Promise<MeetingView> {
  const meeting = await openTitle(kit, ctx, await visibleMeeting(kit, ctx, actor, id));
  const { Summaries } = await kit.models(ctx);
  // Purged content is gone: nothing to read.
  const content = meeting.purgedAt === null;
  const [transcript, actionItems, storedSummary, description, settings] = await Promise.all([
    // Segments of an attempt still running (or cut short) are not the transcript yet.
    content && meeting.transcribedAt !== null ? openTranscript(kit, ctx, meeting) : [],
    content ? openActionItems(kit, ctx, id) : [],
    content ? Summaries.findById(id).lean() : null,
    openDescription(kit, ctx, meeting),
    kit.settings(ctx),
  ]);
  const summary = storedSummary
    ? await readable('summary', () => kit.sealed.summaries.open(ctx, storedSummary))
    : null;
  const keptUntil = new Date(meeting.retainFrom.getTime() + settings.retentionDays * 86_400_000);
  return meetingView(meeting, {
    transcript,
    actionItems,
    summary,
    description,
    retention: {
      keptUntil: keptUntil.toISOString(),
      purgedAt: meeting.purgedAt?.toISOString() ?? null,
      certificateId: await purgeCertificateId(kit, ctx, meeting),
    },
  });
}
