// The burden a team has carried: for each person, how many meetings outside their working hours
// the team's booked rotations have asked of them so far, so the next rotation starts with whoever
// carried least taking the first turn outside hours.
//
// Collection `rotation_burdens` (per tenant), addressed by exact `_id` only: the team key, a
// digest of the team's sorted, lower-cased email addresses (organizer and required attendees),
// so "this team" is one read. One document per distinct team that has booked a rotation, each
// holding one entry per member (at most the attendees a booking allows); and one per person who
// is in such a team (`person|<digest of the email>`), listing their teams, so "export my data"
// and account erasure reach a person's counts by exact `_id` too. Nothing scans it.
import { createHash } from 'node:crypto';
import { Schema } from 'mongoose';
import { deleteByIds, findByIds } from '../../store/by-id.ts';
import { serialized } from '../../store/serial.ts';
import { defineModel, type Store } from '../../store/store.ts';
import type { TenantContext } from '../../store/tenant-context.ts';

export interface RotationBurdenDoc {
  _id: string;
  /** Team documents: one entry per member (emails hold dots, so they are values, not keys). */
  carried?: Array<{ email: string; count: number }>;
  /** Team documents: rotations booked by this team. */
  rotations?: number;
  /** Person documents: the ids of the teams they are in. */
  teams?: string[];
  updatedAt: Date;
}

export const RotationBurden = defineModel<RotationBurdenDoc>(
  'RotationBurden',
  new Schema<RotationBurdenDoc>(
    {
      _id: { type: String, required: true },
      carried: { type: [{ _id: false, email: String, count: Number }], default: undefined },
      rotations: Number,
      teams: { type: [String], default: undefined },
      updatedAt: Date,
    },
    { collection: 'rotation_burdens', versionKey: false },
  ),
);

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

/** The team's key: the same for the same people in any order or letter case. */
export function teamKey(emails: readonly string[]): string {
  const members = [...new Set(emails.map((e) => e.trim().toLowerCase()))].sort();
  return `team|${digest(members.join('\n'))}`;
}

/** The key of a person's list of teams. */
export function personKey(email: string): string {
  return `person|${digest(email.trim().toLowerCase())}`;
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
    const members = [...new Set(emails.map((e) => e.toLowerCase()))];
    // Listed under each new member first: a stop half-way leaves a list entry too many, which
    // export and erasure skip, never a count no list leads to.
    await listTeam(
      store,
      ctx,
      members.filter((e) => !carried.has(e)),
      id,
    );
    for (const email of members)
      carried.set(email, (carried.get(email) ?? 0) + (counts[email] ?? 0));
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

/** Adds the team to each of these members' lists. */
async function listTeam(store: Store, ctx: TenantContext, emails: readonly string[], id: string) {
  const model = await store.tenantModel(ctx, RotationBurden);
  for (const email of emails) {
    const key = personKey(email);
    await serialized(`${model.db.name}/rotation_burdens/${key}`, async () => {
      const doc = await model.findById(key).lean();
      const teams = [...new Set([...(doc?.teams ?? []), id])];
      await model.replaceOne(
        { _id: key },
        { _id: key, teams, updatedAt: new Date() },
        { upsert: true },
      );
    });
  }
}

/**
 * Personal data rights (core/identity/personal-data.ts): a person's counts in each team's record,
 * exported and, when their account is erased, removed from every team record and their list.
 */
export function rotationPersonalData(store: Store) {
  async function teamsOf(ctx: TenantContext, email: string) {
    const model = await store.tenantModel(ctx, RotationBurden);
    const list = await model.findById(personKey(email)).lean();
    return { model, ids: list?.teams ?? [] };
  }
  return {
    name: 'rotations',
    async export(ctx: TenantContext, user: { email: string }) {
      const { model, ids } = await teamsOf(ctx, user.email);
      const teams = await findByIds(model, ids);
      const email = user.email.toLowerCase();
      return teams.map((t) => ({
        team: (t.carried ?? []).map((c) => c.email),
        rotations: t.rotations ?? 0,
        meetingsOutsideHours: t.carried?.find((c) => c.email === email)?.count ?? 0,
      }));
    },
    async count(ctx: TenantContext, user: { email: string }) {
      return { rotationTeams: (await teamsOf(ctx, user.email)).ids.length };
    },
    async erase(ctx: TenantContext, user: { email: string }) {
      const { model, ids } = await teamsOf(ctx, user.email);
      const email = user.email.toLowerCase();
      for (const id of ids) {
        await serialized(`${model.db.name}/rotation_burdens/${id}`, async () => {
          const doc = await model.findById(id).lean();
          if (!doc) return;
          const carried = (doc.carried ?? []).filter((c) => c.email !== email);
          await model.replaceOne({ _id: id }, { ...doc, carried, updatedAt: new Date() });
        });
      }
      await deleteByIds(model, [personKey(email)]);
      return { rotationTeams: ids.length };
    },
  };
}
