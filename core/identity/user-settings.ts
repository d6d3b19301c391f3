// Each person's scheduling settings: time zone, working hours, default meeting link. Kept in the
// tenant database; defaults apply until the person changes them.
import { Schema } from 'mongoose';
import { z } from 'zod';
import {
  isKnownTimeZone,
  WEEKDAYS,
  type WorkingHoursRule,
} from '../scheduling/availability/index.ts';
import { defineModel, type Store } from '../store/store.ts';
import type { TenantContext } from '../store/tenant-context.ts';

export const LINK_TYPES = ['teams', 'meet', 'zoom', 'none'] as const;
export type LinkType = (typeof LINK_TYPES)[number];

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'use HH:MM, e.g. 09:00');

export const userSettingsInput = z.object({
  timeZone: z
    .string()
    .refine(isKnownTimeZone, 'is not a known IANA time zone (e.g. Europe/Berlin)'),
  workingHours: z
    .array(z.object({ days: z.array(z.enum(WEEKDAYS)).min(1), start: clock, end: clock }))
    .max(14),
  defaultLinkType: z.enum(LINK_TYPES),
});
export type UserSettings = z.infer<typeof userSettingsInput>;

export const DEFAULT_SETTINGS: UserSettings = {
  timeZone: 'UTC',
  workingHours: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:00' }],
  defaultLinkType: 'none',
};

interface SettingsDoc extends UserSettings {
  _id: string;
  updatedAt: Date;
}
export const UserSettingsModel = defineModel<SettingsDoc>(
  'UserSettings',
  new Schema<SettingsDoc>(
    {
      _id: { type: String, required: true },
      timeZone: { type: String, required: true },
      workingHours: [{ _id: false, days: [String], start: String, end: String }],
      defaultLinkType: { type: String, required: true },
      updatedAt: { type: Date, default: () => new Date() },
    },
    { collection: 'user_settings', versionKey: false },
  ),
);

export async function getUserSettings(
  store: Store,
  ctx: TenantContext,
  userId: string,
): Promise<UserSettings> {
  const Settings = await store.tenantModel(ctx, UserSettingsModel);
  const doc = await Settings.findById(userId).lean();
  if (!doc) return DEFAULT_SETTINGS;
  return {
    timeZone: doc.timeZone,
    workingHours: doc.workingHours.map((r) => ({ days: r.days, start: r.start, end: r.end })),
    defaultLinkType: doc.defaultLinkType,
  };
}

export async function saveUserSettings(
  store: Store,
  ctx: TenantContext,
  userId: string,
  settings: UserSettings,
): Promise<void> {
  const Settings = await store.tenantModel(ctx, UserSettingsModel);
  // One writer per person: replacing the whole document needs no atomic read-modify-write.
  await Settings.replaceOne(
    { _id: userId },
    { ...settings, updatedAt: new Date() },
    { upsert: true },
  );
}

export function asWorkingHours(settings: UserSettings): WorkingHoursRule[] {
  return settings.workingHours.map((r) => ({ days: r.days, start: r.start, end: r.end }));
}
