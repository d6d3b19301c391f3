// Keeping a meeting on the lists that find it (lists.ts) as it is created, moves on and goes.
import { CURRENT, DUE, dayOf, timelineOwners, type Lists } from './lists.ts';
import type { MeetingDoc } from './models.ts';

type Listed = Pick<
  MeetingDoc,
  '_id' | 'organizerId' | 'participantEmails' | 'attendeeKey' | 'startsAt' | 'retainFrom'
>;

/** A new meeting: on its people's timelines and on the retention list of its day. */
export async function listNewMeeting(lists: Lists, meeting: Listed): Promise<void> {
  await Promise.all([
    ...timelineOwners(meeting).map((owner) =>
      lists.addToTimeline(owner, meeting._id, meeting.startsAt),
    ),
    lists.addDue(DUE.retention, dayOf(meeting.retainFrom), [meeting._id]),
  ]);
}

/** Whether the pipeline has work for the meeting (it is on the pipeline's due list). */
export function inPipeline(meeting: Pick<MeetingDoc, 'status' | 'publishedAt'>): boolean {
  return (
    ['queued', 'transcribing', 'summarizing'].includes(meeting.status) ||
    (meeting.status === 'ready' && meeting.publishedAt === null)
  );
}

/** A deleted meeting leaves every list (its record goes next). */
export async function unlistMeeting(
  lists: Lists,
  meeting: Listed & Pick<MeetingDoc, 'status' | 'publishedAt'>,
): Promise<void> {
  await Promise.all([
    ...timelineOwners(meeting).map((owner) =>
      lists.removeFromTimeline(owner, meeting._id, meeting.startsAt),
    ),
    lists.removeDue(DUE.retention, dayOf(meeting.retainFrom), [meeting._id]),
    inPipeline(meeting) ? lists.removeDue(DUE.pipeline, CURRENT, [meeting._id]) : undefined,
  ]);
}

/** The retention list follows `retainFrom` when it moves to another day. */
export async function moveRetention(
  lists: Lists,
  meetingId: string,
  from: Date,
  to: Date,
): Promise<void> {
  if (dayOf(from) === dayOf(to)) return;
  await lists.addDue(DUE.retention, dayOf(to), [meetingId]);
  await lists.removeDue(DUE.retention, dayOf(from), [meetingId]);
}
