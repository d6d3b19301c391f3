// Each person's email settings (tenant collection `email_preferences`, `_id` the person's id):
// a reminder some minutes before their meetings (off by default), their meetings' summaries
// by email (off by default: opt in), and — for meetings they organize — whether summaries may
// also go to participants outside the organization (off unless they choose it).
import { Schema } from 'mongoose';
import { z } from 'zod';
import { defineModel, type Store } from '../store/store.ts';
import type { TenantContext } from '../store/tenant-context.ts';

export const emailPreferencesInput = z.object({
  reminderMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .nullable(),
  summaries: z.boolean(),
  summariesToGuests: z.boolean(),
});
export type EmailPreferences = z.infer<typeof emailPreferencesInput>;

export const DEFAULT_EMAIL_PREFERENCES: EmailPreferences = {
  reminderMinutes: null,
  summaries: false,
  summariesToGuests: false,
};

interface PreferencesDoc extends EmailPreferences {
  _id: string;
  updatedAt: Date;
}

export const EmailPreferencesModel = defineModel<PreferencesDoc>(
  'EmailPreferences',
  new Schema<PreferencesDoc>(
    {
      _id: { type: String, required: true },
      reminderMinutes: { type: Number, default: null },
      summaries: { type: Boolean, default: false },
      summariesToGuests: { type: Boolean, default: false },
      updatedAt: { type: Date, required: true },
    },
    { collection: 'email_preferences', versionKey: false },
  ),
);

export async function emailPreferencesOf(
  store: Store,
  ctx: TenantContext,
  userId: string,
): Promise<EmailPreferences> {
  const doc = await (await store.tenantModel(ctx, EmailPreferencesModel)).findById(userId).lean();
  if (!doc) return DEFAULT_EMAIL_PREFERENCES;
  return {
    reminderMinutes: doc.reminderMinutes ?? null,
    summaries: doc.summaries ?? false,
    summariesToGuests: doc.summariesToGuests ?? false,
  };
}

export async function saveEmailPreferences(
  store: Store,
  ctx: TenantContext,
  userId: string,
  preferences: EmailPreferences,
): Promise<void> {
  const Preferences = await store.tenantModel(ctx, EmailPreferencesModel);
  // One writer per person: the whole document is replaced.
  await Preferences.replaceOne(
    { _id: userId },
    { ...preferences, updatedAt: new Date() },
    { upsert: true },
  );
}
