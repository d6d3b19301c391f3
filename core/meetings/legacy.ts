// The meeting layout written before transcript chunks and per-meeting action items: one
// document per transcript segment (`meeting_segments`, `_id` `<meetingId>:<000000>`) and one
// per action item (`meeting_action_items`), each field sealed on its own. Only the storage
// migration (migration.ts) reads them, to move a data folder written by an earlier version.
import { Schema } from 'mongoose';
import type { Envelope } from '../privacy/envelope.ts';
import { sealedFields } from '../privacy/sealed-fields.ts';
import { defineModel } from '../store/store.ts';
import { meetingScope } from './sealed-content.ts';

const sealedString = { type: String, required: true };

/** The old id of a segment or action item: `<meetingId>:<position>`, zero-padded. */
export function positionalId(meetingId: string, position: number): string {
  return `${meetingId}:${String(position).padStart(6, '0')}`;
}

export interface LegacySegment {
  _id: string;
  meetingId: string;
  index: number;
  speaker: string;
  startMs: string;
  endMs: string;
  text: string;
  confidence: string;
}

export const LegacySegmentModel = defineModel<LegacySegment>(
  'LegacyMeetingSegment',
  new Schema<LegacySegment>(
    {
      _id: { type: String, required: true },
      meetingId: { type: String, required: true },
      index: { type: Number, required: true },
      speaker: sealedString,
      startMs: sealedString,
      endMs: sealedString,
      text: sealedString,
      confidence: sealedString,
    },
    { collection: 'meeting_segments', versionKey: false },
  ),
);

export interface LegacyActionItem {
  _id: string;
  meetingId: string;
  index: number;
  task: string;
  owner: string;
  due: string;
  sourceSegment: number;
  done: boolean;
  doneAt: Date | null;
}

export const LegacyActionItemModel = defineModel<LegacyActionItem>(
  'LegacyMeetingActionItem',
  new Schema<LegacyActionItem>(
    {
      _id: { type: String, required: true },
      meetingId: { type: String, required: true },
      index: { type: Number, required: true },
      task: sealedString,
      owner: sealedString,
      due: sealedString,
      sourceSegment: { type: Number, required: true },
      done: { type: Boolean, default: false },
      doneAt: { type: Date, default: null },
    },
    { collection: 'meeting_action_items', versionKey: false },
  ),
);

interface LegacySegmentContent {
  _id: string;
  meetingId: string;
  index: number;
  speaker: string;
  startMs: number;
  endMs: number;
  text: string;
  confidence: number | null;
}

interface LegacyActionItemContent {
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

/** The sealing the old layout used: every content field alone, bound to its own record. */
export function legacySealed(envelope: Envelope) {
  const scope = (doc: { meetingId: string }) => meetingScope(doc.meetingId);
  return {
    segments: sealedFields<
      LegacySegmentContent,
      'speaker' | 'startMs' | 'endMs' | 'text' | 'confidence'
    >(envelope, {
      collection: 'meeting_segments',
      fields: ['speaker', 'startMs', 'endMs', 'text', 'confidence'],
      scope,
    }),
    actionItems: sealedFields<LegacyActionItemContent, 'task' | 'owner' | 'due'>(envelope, {
      collection: 'meeting_action_items',
      fields: ['task', 'owner', 'due'],
      scope,
    }),
  };
}
