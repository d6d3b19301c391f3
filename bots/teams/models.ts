// What the Teams bot keeps. In the control database: which Quorum tenant a Microsoft tenant
// belongs to, which Quorum person a Teams user is, and where the bot may post (conversation
// references, for proactive messages). In the tenant's database: the times offered in a card,
// polls' messages, and the Teams meetings Quorum follows.
//
// A conversation reference holds ids and the Bot Connector's service URL, nothing that grants
// access by itself (posting needs the bot's own credentials), so it is stored as it is.
import { Schema } from 'mongoose';
import { defineModel } from '../../core/store/store.ts';

export interface TeamsTenantDoc {
  /** The Microsoft (Entra) tenant id. */
  _id: string;
  tenantId: string;
  createdAt: Date;
}
export const TeamsTenant = defineModel<TeamsTenantDoc>(
  'TeamsTenant',
  new Schema<TeamsTenantDoc>(
    {
      _id: { type: String, required: true },
      tenantId: { type: String, required: true, index: true },
      createdAt: { type: Date, default: () => new Date() },
    },
    { collection: 'teams_tenants', versionKey: false },
  ),
);

export interface TeamsUserLinkDoc {
  /** `${msTenantId}:${aadObjectId}` */
  _id: string;
  msTenantId: string;
  aadObjectId: string;
  tenantId: string;
  userId: string;
  /** The person confirmed it, or their Teams email matched their Quorum email. */
  via: 'confirmed' | 'email';
  createdAt: Date;
}
export const TeamsUserLink = defineModel<TeamsUserLinkDoc>(
  'TeamsUserLink',
  new Schema<TeamsUserLinkDoc>(
    {
      _id: { type: String, required: true },
      msTenantId: { type: String, required: true },
      aadObjectId: { type: String, required: true },
      tenantId: { type: String, required: true },
      userId: { type: String, required: true, index: true },
      via: { type: String, required: true },
      createdAt: { type: Date, default: () => new Date() },
    },
    { collection: 'teams_user_links', versionKey: false },
  ),
);

export interface TeamsConversationDoc {
  /** The conversation id. */
  _id: string;
  msTenantId: string;
  tenantId: string;
  serviceUrl: string;
  conversationType: string;
  botId: string;
  createdAt: Date;
  updatedAt: Date;
}
export const TeamsConversation = defineModel<TeamsConversationDoc>(
  'TeamsConversation',
  new Schema<TeamsConversationDoc>(
    {
      _id: { type: String, required: true },
      msTenantId: { type: String, required: true },
      tenantId: { type: String, required: true, index: true },
      serviceUrl: { type: String, required: true },
      conversationType: { type: String, required: true },
      botId: { type: String, required: true },
      createdAt: { type: Date, default: () => new Date() },
      updatedAt: { type: Date, default: () => new Date() },
    },
    { collection: 'teams_conversations', versionKey: false },
  ),
);

export interface TeamsProposalDoc {
  _id: string;
  organizerId: string;
  conversationId: string;
  title: string | null;
  durationMinutes: number;
  attendees: Array<{ email: string; name?: string; optional: boolean }>;
  followUpOf: string | null;
  /** Set when these times move an existing booking. */
  rescheduleOf: string | null;
  slots: Array<{ start: Date; end: Date }>;
  createdAt: Date;
  expiresAt: Date;
}
export const TeamsProposal = defineModel<TeamsProposalDoc>(
  'TeamsProposal',
  new Schema<TeamsProposalDoc>(
    {
      _id: { type: String, required: true },
      organizerId: { type: String, required: true },
      conversationId: { type: String, required: true },
      title: { type: String, default: null },
      durationMinutes: { type: Number, required: true },
      attendees: [{ _id: false, email: String, name: String, optional: Boolean }],
      followUpOf: { type: String, default: null },
      rescheduleOf: { type: String, default: null },
      slots: [{ _id: false, start: Date, end: Date }],
      createdAt: { type: Date, required: true },
      expiresAt: { type: Date, required: true },
    },
    { collection: 'teams_proposals', versionKey: false },
  ),
);

export interface TeamsPollDoc {
  /** The poll's id. */
  _id: string;
  conversationId: string;
  /** The card's message, updated for everyone as votes come in. */
  activityId: string | null;
  createdAt: Date;
}
export const TeamsPoll = defineModel<TeamsPollDoc>(
  'TeamsPoll',
  new Schema<TeamsPollDoc>(
    {
      _id: { type: String, required: true },
      conversationId: { type: String, required: true },
      activityId: { type: String, default: null },
      createdAt: { type: Date, required: true },
    },
    { collection: 'teams_polls', versionKey: false },
  ),
);

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

export const teamsControlModels = [
  TeamsTenant,
  TeamsUserLink,
  TeamsConversation,
  TeamsSummaryPosted,
];
