// Which fields of each meeting collection are meeting content, sealed with the meeting's data
// key before they are written (fail-closed: a value that cannot be encrypted is not written),
// and how the meeting's title is sealed.
import type { Envelope } from '../privacy/envelope.ts';
import type { DataKeyScope } from '../privacy/data-keys.ts';
import { sealedFields, type SealedFields } from '../privacy/sealed-fields.ts';
import type { ActionItemState } from './models.ts';

/**
 * A meeting's title is sealed too, but under the tenant's titles key, not the meeting's own:
 * lists show many titles at once (see core/privacy/sealed-titles.ts).
 */
export const MEETING_TITLES = { collection: 'meetings', what: 'meeting' } as const;

export function meetingScope(meetingId: string): DataKeyScope {
  return { kind: 'meeting', meetingId };
}

/** One line of a transcript, as read: its position and what was said. */
export interface SegmentContent {
  index: number;
  speaker: string;
  startMs: number;
  endMs: number;
  text: string;
  confidence: number | null;
}

export type ChunkSegment = Omit<SegmentContent, 'index'>;

/** A transcript chunk (models.ts StoredChunk) with its segments in the clear. */
export interface ChunkContent {
  _id: string;
  meetingId: string;
  n: number;
  count: number;
  segments: ChunkSegment[];
}

export interface SummaryContent {
  _id: string;
  engine: string;
  summary: string[];
  decisions: string[];
  openQuestions: string[];
  createdAt: Date;
}

/** The words of one action item; its state is in the plaintext `items` beside them. */
export interface ActionItemWords {
  task: string;
  owner: string | null;
  due: string | null;
}

/** A meeting's action items (models.ts StoredActionItems) with their words in the clear. */
export interface ActionItemsContent {
  _id: string;
  items: ActionItemState[];
  content: ActionItemWords[];
}

/** One action item as read: its state and its words. */
export interface ActionItemContent extends ActionItemState, ActionItemWords {
  meetingId: string;
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

type SummaryField = 'summary' | 'decisions' | 'openQuestions';

export interface SealedMeetingContent {
  chunks: SealedFields<ChunkContent, 'segments'>;
  summaries: SealedFields<SummaryContent, SummaryField>;
  actionItems: SealedFields<ActionItemsContent, 'content'>;
  descriptions: SealedFields<MeetingDescription, 'description'>;
  captions: SealedFields<CaptionsContent, 'captions'>;
  audioKeys: SealedFields<AudioKeyContent, 'fileKey'>;
}

export function sealedMeetingContent(envelope: Envelope): SealedMeetingContent {
  const byMeeting = (doc: { meetingId: string }) => meetingScope(doc.meetingId);
  // Summaries, descriptions and sources are keyed by the meeting id itself.
  const byId = (doc: { _id: string }) => meetingScope(doc._id);
  return {
    // A chunk's segments are one sealed field: one AES-GCM operation and one string per
    // hundred segments, bound (collection, chunk id, field) to this chunk like any field, and
    // compressed first: 300 segments are 71 KB stored plain and 18 KB compressed, and every
    // byte is decoded by the embedded database on each read and on the purge's delete.
    chunks: sealedFields<ChunkContent, 'segments'>(envelope, {
      collection: 'meeting_chunks',
      fields: ['segments'],
      scope: byMeeting,
      compress: true,
    }),
    summaries: sealedFields<SummaryContent, SummaryField>(envelope, {
      collection: 'meeting_summaries',
      fields: ['summary', 'decisions', 'openQuestions'],
      scope: byId,
    }),
    actionItems: sealedFields<ActionItemsContent, 'content'>(envelope, {
      collection: 'meeting_actions',
      fields: ['content'],
      scope: byId,
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
