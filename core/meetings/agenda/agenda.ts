// An agenda for a meeting: from its invite and the open action items of the earlier meetings
// of the same people (the same set of participants).
import type { AgendaItem, OpenActionItem } from '../../ai/index.ts';
import type { TenantContext } from '../../store/tenant-context.ts';
import type { MeetingsKit } from '../kit.ts';
import type { MeetingDoc } from '../models.ts';
import { visibleMeeting, type MeetingActor } from '../records/access.ts';
import { openActionItems, openDescription } from '../records/reading.ts';
import { AGENDA_HISTORY, fromTimelines } from '../records/timelines.ts';
import { titleOf } from '../records/titles.ts';

/**
 * An agenda from the meeting's invite and the open action items of the earlier meetings of
 * the same people (the same set of participants).
 */
export async function meetingAgenda(
  kit: MeetingsKit,
  ctx: TenantContext,
  actor: MeetingActor,
  id: string,
): Promise<{ agenda: AgendaItem[]; fromMeetings: string[] }> {
  const meeting = await visibleMeeting(kit, ctx, actor, id);
  const earlier = await fromTimelines(
    kit,
    ctx,
    [`a:${meeting.attendeeKey}`],
    meeting.startsAt,
    AGENDA_HISTORY,
    (m) => m.attendeeKey === meeting.attendeeKey && m.summarizedAt !== null && !m.purgedAt,
  );
  // Newest meeting first, as found; each meeting's items in order.
  const perMeeting = await Promise.all(earlier.map((m) => openActionItems(kit, ctx, m._id)));
  const items = perMeeting.flat().filter((item) => !item.done);
  const open: OpenActionItem[] = items.map(({ task, owner, due }) => ({ task, owner, due }));
  const fromMeetings = [...new Set(items.map((item) => item.meetingId))];
  const agenda = await kit.deps.summarizer.agendaFor(await invite(kit, ctx, meeting), open);
  return { agenda, fromMeetings };
}

/** What the summarizer reads of the meeting's invite. */
async function invite(kit: MeetingsKit, ctx: TenantContext, meeting: MeetingDoc) {
  return {
    title: await titleOf(kit, ctx, meeting),
    ...(meeting.description === undefined
      ? {}
      : { description: (await openDescription(kit, ctx, meeting)) ?? '' }),
    attendees: meeting.participants.map((p) => ({
      name: p.name ?? p.email,
      email: p.email,
    })),
  };
}
