// The burden a team has carried: for each person, how many meetings outside their working hours
// the team's booked rotations have asked of them so far, so the next rotation starts with whoever
// carried least taking the first turn outside hours.
//
// Collection `rotation_burdens` (per tenant), addressed by exact `_id` only: the team key, a
// digest of the team's sorted, lower-cased email addresses (organizer and required attendees),
// so "this team" is one read. One document per distinct team that has booked a rotation, each
// holding one entry per member (at most the attendees a booking allows); nothing scans it.
import { createHash } from 'node:crypto';
import { Schema } from 'mongoose';
import { serialized } from '../../store/serial.ts';
import { defineModel, type Store } from '../../store/store.ts';
import type { TenantContext } from '../../store/tenant-context.ts';

export interface RotationBurdenDoc {
  _id: string;
  /** One entry per member (emails hold dots, so they are values, not field names). */
  carried: Array<{ email: string; count: number }>;
  /** Rotations booked by this team. */
  rotations: number;
  updatedAt: Date;
}

export const RotationBurden = defineModel<RotationBurdenDoc>(
  'RotationBurden',
  new Schema<RotationBurdenDoc>(
    {
      _id: { type: String, required: true },
      carried: [{ _id: false, email: String, count: Number }],
      rotations: { type: Number, default: 0 },
      updatedAt: Date,
    },
    { collection: 'rotation_burdens', versionKey: false },
  ),
);

/** The team's key: the same for the same people in any order or letter case. */
export function teamKey(emails: readonly string[]): string {
  const members = [...new Set(emails.map((e) => e.trim().toLowerCase()))].sort();
  return `team|${createHash('sha256').update(members.join('\n')).digest('hex')}`;
}

/** Meetings outside hours each member carried so far (0 for those never counted). */
export async function carriedBy(
  store: Store,
  ctx: TenantContext,
  emails: readonly string[],
): Promise<Record<string, number>> {
  const model = await store.tenantModel(ctx, RotationBurden);
  const doc = await model.findById(teamKey(emails)).lean();
  const counted = new Map((doc?.carried ?? []).map((c) => [c.email, c.count]));
  return Object.fromEntries(
    emails.map((e) => e.toLowerCase()).map((e) => [e, counted.get(e) ?? 0]),
  );
}

/**
 * Adds a booked rotation's counts to the team's record. Read-modify-write of one document,
 * serialized per document (the embedded database's updates do not lock).
 */
export async function addCarried(
  store: Store,
  ctx: TenantContext,
  emails: readonly string[],
  counts: Readonly<Record<string, number>>,
): Promise<Record<string, number>> {
  const model = await store.tenantModel(ctx, RotationBurden);
  const id = teamKey(emails);
  return serialized(`${model.db.name}/rotation_burdens/${id}`, async () => {
    const doc = await model.findById(id).lean();
    const carried = new Map((doc?.carried ?? []).map((c) => [c.email, c.count]));
    for (const email of emails.map((e) => e.toLowerCase())) {
      carried.set(email, (carried.get(email) ?? 0) + (counts[email] ?? 0));
    }
    await model.replaceOne(
      { _id: id },
      {
        _id: id,
        carried: [...carried].map(([email, count]) => ({ email, count })),
        rotations: (doc?.rotations ?? 0) + 1,
        updatedAt: new Date(),
      },
      { upsert: true },
    );
    return Object.fromEntries(carried);
  });
}
