// The Teams meetings Quorum follows, in the tenant's database, and the markers of summaries
// posted (control database).
import { Schema } from 'mongoose';
import { defineModel } from '../../../core/store/store.ts';

export interface TeamsMeetingDoc {
  /** The Teams meeting id (as the Bot Connector gives it). */
  _id: string;
  /** Quorum's meeting record. */
  meetingId: string;
  conversationId: string;
  joinUrl: string | null;
  /** Set once the chat was told that transcripts cannot be read (said once). */
  transcriptBlockedAt: Date | null;
  transcriptFetchedAt: Date | null;
  createdAt: Date;
}
export const TeamsMeeting = defineModel<TeamsMeetingDoc>(
  'TeamsMeeting',
  new Schema<TeamsMeetingDoc>(
    {
      _id: { type: String, required: true },
      meetingId: { type: String, required: true },
      conversationId: { type: String, required: true },
      joinUrl: { type: String, default: null },
      transcriptBlockedAt: { type: Date, default: null },
      transcriptFetchedAt: { type: Date, default: null },
      createdAt: { type: Date, required: true },
    },
    { collection: 'teams_meetings', versionKey: false },
  ),
);

/**
 * The Teams meeting of a Quorum meeting, `_id` the Quorum meeting id: where its summary is
 * posted, found by id (teams_meetings is addressed by the Teams meeting id).
 */
export interface TeamsMeetingChatDoc {
  _id: string;
  teamsMeetingId: string;
  conversationId: string;
}
export const TeamsMeetingChat = defineModel<TeamsMeetingChatDoc>(
  'TeamsMeetingChat',
  new Schema<TeamsMeetingChatDoc>(
    {
      _id: { type: String, required: true },
      teamsMeetingId: { type: String, required: true },
      conversationId: { type: String, required: true },
    },
    { collection: 'teams_meeting_chats', versionKey: false },
  ),
);

/** Markers written after a summary was posted, so a re-delivered event posts once. */
export interface TeamsSummaryPostedDoc {
  _id: string;
  at: Date;
}
export const TeamsSummaryPosted = defineModel<TeamsSummaryPostedDoc>(
  'TeamsSummaryPosted',
  new Schema<TeamsSummaryPostedDoc>(
    { _id: { type: String, required: true }, at: { type: Date, required: true } },
    { collection: 'teams_summary_posts', versionKey: false },
  ),
);
