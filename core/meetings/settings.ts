// A tenant's meeting settings, chosen by its administrators: how long meeting content is kept,
// which engine transcribes recordings, and how large a recording may be.
import { Schema } from 'mongoose';
import { z } from 'zod';
import type { SummarizerEngine } from '../ai/index.ts';
import type { TranscriberEngine } from '../speech/index.ts';
import { defineModel, type Store } from '../store/store.ts';
import type { TenantContext } from '../store/tenant-context.ts';

export const MAX_RECORDING_MB = 2048;

export interface MeetingSettings {
  /** Days transcripts, summaries, action items and search entries are kept (1–365). */
  retentionDays: number;
  /** Engine for uploaded recordings; captions are always read by the captions engine. */
  transcriptionEngine: TranscriberEngine;
  /** Largest recording accepted, in MiB (at most 2048, i.e. 2 GiB). */
  recordingLimitMb: number;
  /** Engine that summarizes transcripts: the local extractive one, or Azure OpenAI. */
  summaryEngine: SummarizerEngine;
}

export const DEFAULT_MEETING_SETTINGS: MeetingSettings = {
  retentionDays: 30,
  transcriptionEngine: 'pocketsphinx',
  recordingLimitMb: MAX_RECORDING_MB,
  summaryEngine: 'extractive',
};

export const meetingSettingsChange = z
  .strictObject({
    retentionDays: z.number().int().min(1).max(365).optional(),
    transcriptionEngine: z.enum(['pocketsphinx', 'azure-speech', 'azure-whisper']).optional(),
    recordingLimitMb: z.number().int().min(1).max(MAX_RECORDING_MB).optional(),
    summaryEngine: z.enum(['extractive', 'azure-openai']).optional(),
  })
  .refine((change) => Object.keys(change).length > 0, {
    message:
      'give at least one of retentionDays, transcriptionEngine, recordingLimitMb, summaryEngine',
  });
export type MeetingSettingsChange = z.infer<typeof meetingSettingsChange>;

interface SettingsDoc extends Omit<MeetingSettings, 'summaryEngine'> {
  /** Absent in settings saved before there was a choice of summarizer. */
  summaryEngine?: SummarizerEngine;
  _id: string;
  updatedAt: Date;
  updatedBy: string;
}

const SETTINGS_ID = 'meetings';

export const TenantMeetingSettings = defineModel<SettingsDoc>(
  'TenantMeetingSettings',
  new Schema<SettingsDoc>(
    {
      _id: { type: String, required: true },
      retentionDays: { type: Number, required: true },
      transcriptionEngine: { type: String, required: true },
      recordingLimitMb: { type: Number, required: true },
      summaryEngine: { type: String },
      updatedAt: { type: Date, required: true },
      updatedBy: { type: String, required: true },
    },
    { collection: 'tenant_settings', versionKey: false },
  ),
);

/**
 * The tenant's settings; what it never chose comes from `defaults` (the deployment's: its best
 * configured engines, see MeetingsKit.settings).
 */
export async function getMeetingSettings(
  store: Store,
  ctx: TenantContext,
  defaults: MeetingSettings = DEFAULT_MEETING_SETTINGS,
): Promise<MeetingSettings> {
  const Settings = await store.tenantModel(ctx, TenantMeetingSettings);
  const doc = await Settings.findById(SETTINGS_ID).lean();
  if (!doc) return { ...defaults };
  return {
    retentionDays: doc.retentionDays,
    transcriptionEngine: doc.transcriptionEngine,
    recordingLimitMb: doc.recordingLimitMb,
    summaryEngine: doc.summaryEngine ?? defaults.summaryEngine,
  };
}

/** Applies a change; returns the settings before and after. One admin edits at a time. */
export async function changeMeetingSettings(
  store: Store,
  ctx: TenantContext,
  change: MeetingSettingsChange,
  actor: string,
  defaults: MeetingSettings = DEFAULT_MEETING_SETTINGS,
): Promise<{ before: MeetingSettings; after: MeetingSettings }> {
  const before = await getMeetingSettings(store, ctx, defaults);
  const after: MeetingSettings = { ...before, ...change };
  const Settings = await store.tenantModel(ctx, TenantMeetingSettings);
  await Settings.replaceOne(
    { _id: SETTINGS_ID },
    { ...after, updatedAt: new Date(), updatedBy: actor },
    { upsert: true },
  );
  return { before, after };
}
