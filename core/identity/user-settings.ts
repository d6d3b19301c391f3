// Each person's scheduling settings: time zone, working hours, the hours Quorum must never use
// ("never before 07:00, never after 21:00"), default meeting link. Kept in the tenant database,
// one document per person by exact `_id`; defaults apply until the person changes them.
import { Schema } from 'mongoose';
import { z } from 'zod';
import {
  isKnownTimeZone,
  WEEKDAYS,
  type AcceptableHours,
  type WorkingHoursRule,
} from '../scheduling/availability/index.ts';
import { defineModel, type Store } from '../store/store.ts';
import type { TenantContext } from '../store/tenant-context.ts';
import type { PersonalDataSection } from './personal-data.ts';

export const LINK_TYPES = ['teams', 'meet', 'zoom', 'none'] as const;
export type LinkType = (typeof LINK_TYPES)[number];

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'use HH:MM, e.g. 09:00');

/**
 * A working-hours rule's times, as scheduling reads them: a day starts at 00:00–23:59 (24:00
 * only ends one; a start at 24:00 made every search with this person fail), and ends after it
 * starts. Like Google Calendar's and Outlook's working hours, a range never crosses midnight:
 * "09:00–08:00" is far more often a typo than a night shift, and saved silently it leaves the
 * person with no working time at all. A night shift is two ranges (22:00–24:00 on one day,
 * 00:00–06:00 on the next), which the rules can already say.
 */
function checkHours(rules: unknown, ctx: z.core.$RefinementCtx): void {
  // Refinements run even when a field failed, on the raw input: check the shape first.
  if (!Array.isArray(rules)) return;
  rules.forEach((rule: unknown, index) => {
    const { start, end } = (rule ?? {}) as { start?: unknown; end?: unknown };
    if (start === '24:00') {
      ctx.addIssue({
        code: 'custom',
        path: ['workingHours', index, 'start'],
        message: 'a working day starts at 00:00–23:59 (24:00 only ends one)',
      });
      return;
    }
    // "HH:MM" strings of the clock format compare in time order.
    if (typeof start === 'string' && typeof end === 'string' && end <= start) {
      ctx.addIssue({
        code: 'custom',
        path: ['workingHours', index, 'end'],
        message: END_BEFORE_START,
      });
    }
  });
}

/**
 * The hours Quorum may use even outside working hours: from `start` ("never before") to `end`
 * ("never after"), every day in the person's zone. An end before the start crosses midnight
 * (someone on nights); equal times would mean nothing or everything, so they are refused.
 */
function checkAcceptable(hours: unknown, ctx: z.core.$RefinementCtx): void {
  const { start, end } = (hours ?? {}) as { start?: unknown; end?: unknown };
  if (start === '24:00') {
    ctx.addIssue({
      code: 'custom',
      path: ['acceptableHours', 'start'],
      message: '"never before" is a time from 00:00 to 23:59',
    });
  } else if (typeof start === 'string' && start === end) {
    ctx.addIssue({
      code: 'custom',
      path: ['acceptableHours', 'end'],
      message:
        '"never after" must differ from "never before" (set acceptableHours to null to allow any time)',
    });
  }
}

export const END_BEFORE_START =
  "Working hours end before they start. Quorum doesn't support hours across midnight: " +
  'choose an end after the start (for a night shift, end the day at 24:00 and start the next ' +
  'at 00:00).';

export const userSettingsInput = z
  .object({
    timeZone: z
      .string()
      .refine(isKnownTimeZone, 'is not a known IANA time zone (e.g. Europe/Berlin)'),
    workingHours: z
      .array(z.object({ days: z.array(z.enum(WEEKDAYS)).min(1), start: clock, end: clock }))
      .max(14),
    defaultLinkType: z.enum(LINK_TYPES),
    /** Absent: unchanged (surfaces that do not show it keep it); null: any time. */
    acceptableHours: z.object({ start: clock, end: clock }).nullable().optional(),
  })
  .superRefine((settings, ctx) => {
    checkHours(settings.workingHours, ctx);
    if (settings.acceptableHours) checkAcceptable(settings.acceptableHours, ctx);
  });
export type UserSettings = z.infer<typeof userSettingsInput>;

export const DEFAULT_SETTINGS: UserSettings = {
  timeZone: 'UTC',
  workingHours: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:00' }],
  defaultLinkType: 'none',
};

interface SettingsDoc extends Omit<UserSettings, 'acceptableHours'> {
  _id: string;
  acceptableHours?: AcceptableHours | null;
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
      acceptableHours: { type: { _id: false, start: String, end: String }, default: undefined },
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
    // Only when set, so settings saved before it existed read exactly as they did.
    ...(doc.acceptableHours
      ? { acceptableHours: { start: doc.acceptableHours.start, end: doc.acceptableHours.end } }
      : {}),
  };
}

export async function saveUserSettings(
  store: Store,
  ctx: TenantContext,
  userId: string,
  settings: UserSettings,
): Promise<void> {
  const Settings = await store.tenantModel(ctx, UserSettingsModel);
  const { acceptableHours, ...rest } = settings;
  // A surface that does not show acceptable hours (Slack's settings modal) saves without
  // them: keep what the person set elsewhere. null clears them.
  const kept =
    acceptableHours === undefined
      ? (await Settings.findById(userId, { acceptableHours: 1 }).lean())?.acceptableHours
      : acceptableHours;
  // One writer per person: replacing the whole document needs no atomic read-modify-write.
  await Settings.replaceOne(
    { _id: userId },
    { ...rest, ...(kept ? { acceptableHours: kept } : {}), updatedAt: new Date() },
    { upsert: true },
  );
}

/** The hours Quorum must never use for this person, as the availability engine reads them. */
export function asAcceptableHours(settings: UserSettings): AcceptableHours | undefined {
  const hours = settings.acceptableHours;
  return hours ? { start: hours.start, end: hours.end } : undefined;
}

export function asWorkingHours(settings: UserSettings): WorkingHoursRule[] {
  return settings.workingHours.map((r) => ({ days: r.days, start: r.start, end: r.end }));
}

/** A person's scheduling settings in "export my data", and erased with their account. */
export function settingsPersonalData(store: Store): PersonalDataSection {
  return {
    name: 'settings',
    async export(ctx, user) {
      return getUserSettings(store, ctx, user._id);
    },
    async count(ctx, user) {
      const Settings = await store.tenantModel(ctx, UserSettingsModel);
      return { settings: (await Settings.findById(user._id, { _id: 1 }).lean()) ? 1 : 0 };
    },
    async erase(ctx, user) {
      const Settings = await store.tenantModel(ctx, UserSettingsModel);
      return { settings: (await Settings.deleteOne({ _id: user._id })).deletedCount };
    },
  };
}
