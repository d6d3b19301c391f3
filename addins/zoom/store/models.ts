// What the Zoom adapter remembers, in the control database: which Quorum organization a Zoom
// account belongs to, which Quorum person a Zoom user is (with their OAuth grant, sealed), the
// Zoom meetings Quorum created for bookings, and PKCE verifiers while an authorization runs.
import { Schema } from 'mongoose';
import { defineModel } from '../../../core/store/store.ts';

export interface ZoomAccountDoc {
  /** Zoom's account_id. */
  _id: string;
  tenantId: string;
  /** How it was linked: the only organization of this Quorum, or an administrator's grant. */
  via: 'only-organization' | 'admin';
  createdAt: Date;
}

export const ZoomAccount = defineModel<ZoomAccountDoc>(
  'ZoomAccount',
  new Schema<ZoomAccountDoc>(
    {
      _id: { type: String, required: true },
      tenantId: { type: String, required: true, index: true },
      via: { type: String, required: true },
      createdAt: { type: Date, default: () => new Date() },
    },
    { collection: 'zoom_accounts', versionKey: false },
  ),
);

export interface ZoomUserLinkDoc {
  /** Zoom's user id (the app context's `uid`, the REST API's `id`). */
  _id: string;
  accountId: string;
  tenantId: string;
  userId: string;
  email: string;
  /** Sealed with the tenant's token key (core/privacy/envelope.ts). */
  accessToken: string;
  refreshToken: string;
  expiresAt: Date;
  scopes: string[];
  via: 'confirmed' | 'email';
  createdAt: Date;
  updatedAt: Date;
}

export const ZoomUserLink = defineModel<ZoomUserLinkDoc>(
  'ZoomUserLink',
  new Schema<ZoomUserLinkDoc>(
    {
      _id: { type: String, required: true },
      accountId: { type: String, required: true },
      tenantId: { type: String, required: true },
      userId: { type: String, required: true, index: true },
      email: { type: String, required: true },
      accessToken: { type: String, required: true },
      refreshToken: { type: String, required: true },
      expiresAt: { type: Date, required: true },
      scopes: { type: [String], default: [] },
      via: { type: String, required: true },
      createdAt: { type: Date, default: () => new Date() },
      updatedAt: { type: Date, default: () => new Date() },
    },
    { collection: 'zoom_user_links', versionKey: false },
  ),
);

export interface ZoomMeetingDoc {
  /** Zoom's meeting id (the number people type to join). */
  _id: string;
  tenantId: string;
  organizerId: string;
  joinUrl: string;
  /** Set by meeting.ended. */
  endedAt: Date | null;
  createdAt: Date;
}

export const ZoomMeeting = defineModel<ZoomMeetingDoc>(
  'ZoomMeeting',
  new Schema<ZoomMeetingDoc>(
    {
      _id: { type: String, required: true },
      tenantId: { type: String, required: true },
      organizerId: { type: String, required: true },
      joinUrl: { type: String, required: true },
      endedAt: { type: Date, default: null },
      createdAt: { type: Date, default: () => new Date() },
    },
    { collection: 'zoom_meetings', versionKey: false },
  ),
);

export interface ZoomMeetingInstanceDoc {
  /** Zoom's meeting UUID (one instance of a meeting number). */
  _id: string;
  tenantId: string;
  /** The Quorum meeting its transcript went to. */
  meetingId: string;
  createdAt: Date;
}

export const ZoomMeetingInstance = defineModel<ZoomMeetingInstanceDoc>(
  'ZoomMeetingInstance',
  new Schema<ZoomMeetingInstanceDoc>(
    {
      _id: { type: String, required: true },
      tenantId: { type: String, required: true },
      meetingId: { type: String, required: true },
      createdAt: { type: Date, default: () => new Date() },
    },
    { collection: 'zoom_meeting_instances', versionKey: false },
  ),
);

export interface ZoomOAuthStateDoc {
  /** The OAuth `state`, random. */
  _id: string;
  /** PKCE code verifier; lives 10 minutes, used once. */
  verifier: string;
  /** The Zoom user the in-client authorization was started for (from a verified app context). */
  zoomUserId: string | null;
  /** The Quorum person signed in when a browser authorization was started. */
  userId: string | null;
  expiresAt: Date;
}

export const ZoomOAuthState = defineModel<ZoomOAuthStateDoc>(
  'ZoomOAuthState',
  (() => {
    const schema = new Schema<ZoomOAuthStateDoc>(
      {
        _id: { type: String, required: true },
        verifier: { type: String, required: true },
        zoomUserId: { type: String, default: null },
        userId: { type: String, default: null },
        expiresAt: { type: Date, required: true },
      },
      { collection: 'zoom_oauth_states', versionKey: false },
    );
    schema.index({ expiresAt: 1 });
    return schema;
  })(),
);

export type ZoomTranscriptOutcome = 'captions-added' | 'not-used' | 'not-kept' | 'gave-up';

export interface ZoomTranscriptFileDoc {
  /** `<meeting UUID>:<recording file id>`: Zoom redelivers an event, the file is fetched once. */
  _id: string;
  tenantId: string;
  zoomMeetingUuid: string;
  /** How its zoom.fetch-transcript job ended; null while it runs or waits for a retry. */
  outcome: ZoomTranscriptOutcome | null;
  finishedAt: Date | null;
  createdAt: Date;
  /** Kept a week (the expiry job), well past Zoom's redeliveries and the token's 24 hours. */
  expiresAt: Date;
}

export const ZoomTranscriptFile = defineModel<ZoomTranscriptFileDoc>(
  'ZoomTranscriptFile',
  (() => {
    const schema = new Schema<ZoomTranscriptFileDoc>(
      {
        _id: { type: String, required: true },
        tenantId: { type: String, required: true },
        zoomMeetingUuid: { type: String, required: true },
        outcome: { type: String, default: null },
        finishedAt: { type: Date, default: null },
        createdAt: { type: Date, default: () => new Date() },
        expiresAt: { type: Date, required: true },
      },
      { collection: 'zoom_transcript_files', versionKey: false },
    );
    schema.index({ expiresAt: 1 });
    return schema;
  })(),
);

export const zoomModels = [
  ZoomAccount,
  ZoomUserLink,
  ZoomMeeting,
  ZoomMeetingInstance,
  ZoomOAuthState,
  ZoomTranscriptFile,
];
