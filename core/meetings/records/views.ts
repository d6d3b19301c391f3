// What readers are shown of a meeting: a line in a list, or the whole meeting as it may be seen.
import type { ActionItemContent, SegmentContent, SummaryContent } from '../sealed-content.ts';
import type { MeetingDoc, MeetingParticipant, MeetingStatus } from '../models.ts';

export interface MeetingListItem {
  id: string;
  title: string;
  startsAt: string;
  endsAt: string;
  status: MeetingStatus;
  bookingId: string | null;
  organizerEmail: string;
}

export interface MeetingView extends MeetingListItem {
  timeZone: string;
  language: string | null;
  participants: MeetingParticipant[];
  description: string | null;
  failure: { reason: string; at: string } | null;
  source: 'audio' | 'captions' | null;
  engine: string | null;
  transcript: SegmentContent[];
  summary: {
    summary: string[];
    decisions: string[];
    openQuestions: string[];
    engine: string;
  } | null;
  actionItems: Array<{
    index: number;
    task: string;
    owner: string | null;
    due: string | null;
    done: boolean;
  }>;
  recording: { deletedAt: string; certificateId: string | null } | null;
  retention: { keptUntil: string; purgedAt: string | null; certificateId: string | null };
}

export function listItem(m: MeetingDoc): MeetingListItem {
  return {
    id: m._id,
    title: m.title,
    startsAt: m.startsAt.toISOString(),
    endsAt: m.endsAt.toISOString(),
    status: m.status,
    bookingId: m.bookingId,
    organizerEmail: m.organizerEmail,
  };
}

/** The meeting's content as opened for this reader (none once purged). */
export interface OpenedContent {
  transcript: readonly SegmentContent[];
  actionItems: readonly ActionItemContent[];
  summary: SummaryContent | null;
  description: string | null;
  retention: MeetingView['retention'];
}

export function meetingView(meeting: MeetingDoc, opened: OpenedContent): MeetingView {
  const { transcript, actionItems, summary, description, retention } = opened;
  return {
    ...listItem(meeting),
    timeZone: meeting.timeZone,
    language: meeting.language,
    participants: meeting.participants,
    description,
    failure: meeting.failure
      ? { reason: meeting.failure.reason, at: meeting.failure.at.toISOString() }
      : null,
    source: meeting.source,
    engine: meeting.engine,
    transcript: transcript.map(({ index, speaker, startMs, endMs, text, confidence }) => ({
      index,
      speaker,
      startMs,
      endMs,
      text,
      confidence,
    })),
    summary: summary
      ? {
          summary: summary.summary,
          decisions: summary.decisions,
          openQuestions: summary.openQuestions,
          engine: summary.engine,
        }
      : null,
    actionItems: actionItems.map(({ index, task, owner, due, done }) => ({
      index,
      task,
      owner,
      due,
      done,
    })),
    recording: meeting.sourceDeletedAt
      ? {
          deletedAt: meeting.sourceDeletedAt.toISOString(),
          certificateId: meeting.sourceCertificateId,
        }
      : null,
    retention,
  };
}
