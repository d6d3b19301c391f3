// Which fields of each meeting collection are meeting content, sealed with the meeting's data
// key before they are written (fail-closed: a value that cannot be encrypted is not written).
import type { Envelope } from '../privacy/envelope.ts';
import type { DataKeyScope } from '../privacy/data-keys.ts';
import { sealedFields, type SealedFields } from '../privacy/sealed-fields.ts';

export function meetingScope(meetingId: string): DataKeyScope {
  return { kind: 'meeting', meetingId };
}

export interface SegmentContent {
  _id: string;
  meetingId: string;
  index: number;
  speaker: string;
  startMs: number;
  endMs: number;
  text: string;
  confidence: number | null;
}

export interface SummaryContent {
  _id: string;
  engine: string;
  summary: string[];
  decisions: string[];
  openQuestions: string[];
  createdAt: Date;
}

export interface ActionItemContent {
  _id: string;
  meetingId: string;
  index: number;
  task: string;
  owner: string | null;
  due: string | null;
  sourceSegment: number;
  done: boolean;
  doneAt: Date | null;
}

export interface MeetingDescription {
  _id: string;
  description?: string;
}

export interface CaptionsContent {
  _id: string;
  captions?: unknown;
}

export interface AudioKeyContent {
  _id: string;
  fileKey: string;
}

type SegmentField = 'speaker' | 'startMs' | 'endMs' | 'text' | 'confidence';
type SummaryField = 'summary' | 'decisions' | 'openQuestions';
type ActionItemField = 'task' | 'owner' | 'due';

export interface SealedMeetingContent {
  segments: SealedFields<SegmentContent, SegmentField>;
  summaries: SealedFields<SummaryContent, SummaryField>;
  actionItems: SealedFields<ActionItemContent, ActionItemField>;
  descriptions: SealedFields<MeetingDescription, 'description'>;
  captions: SealedFields<CaptionsContent, 'captions'>;
  audioKeys: SealedFields<AudioKeyContent, 'fileKey'>;
}

export function sealedMeetingContent(envelope: Envelope): SealedMeetingContent {
  const byMeeting = (doc: { meetingId: string }) => meetingScope(doc.meetingId);
  // Summaries, descriptions and sources are keyed by the meeting id itself.
  const byId = (doc: { _id: string }) => meetingScope(doc._id);
  return {
    segments: sealedFields<SegmentContent, SegmentField>(envelope, {
      collection: 'meeting_segments',
      fields: ['speaker', 'startMs', 'endMs', 'text', 'confidence'],
      scope: byMeeting,
    }),
    summaries: sealedFields<SummaryContent, SummaryField>(envelope, {
      collection: 'meeting_summaries',
      fields: ['summary', 'decisions', 'openQuestions'],
      scope: byId,
    }),
    actionItems: sealedFields<ActionItemContent, ActionItemField>(envelope, {
      collection: 'meeting_action_items',
      fields: ['task', 'owner', 'due'],
      scope: byMeeting,
    }),
    descriptions: sealedFields<MeetingDescription, 'description'>(envelope, {
      collection: 'meetings',
      fields: ['description'],
      scope: byId,
    }),
    captions: sealedFields<CaptionsContent, 'captions'>(envelope, {
      collection: 'meeting_sources',
      fields: ['captions'],
      scope: byId,
    }),
    audioKeys: sealedFields<AudioKeyContent, 'fileKey'>(envelope, {
      collection: 'meeting_sources',
      fields: ['fileKey'],
      scope: byId,
    }),
  };
}
