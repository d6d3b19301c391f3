// Personal data rights: every feature that keeps something about a person registers how to
// export it and how to erase it, so "export my data" and account deletion stay complete as
// features are added.
import type { Store } from '../store/store.ts';
import { verifiedTenantContext, type TenantContext } from '../store/tenant-context.ts';
import { ApiKey, IdentityLink, Session, User, type UserDoc } from './models.ts';

export interface PersonalDataSection {
  /** Key in the export document, e.g. "bookings". */
  name: string;
  export(ctx: TenantContext, user: UserDoc): Promise<unknown>;
  /** Erases this section's data of a deleted user; returns counts per kind for the certificate. */
  erase(ctx: TenantContext, user: UserDoc): Promise<Record<string, number>>;
  /** What `erase` would remove, counted without removing it. */
  count(ctx: TenantContext, user: UserDoc): Promise<Record<string, number>>;
}

export const ACCOUNT_RETENTION_DAYS = 30;

/** The identity data itself: profile, sign-in links, sessions, API keys the person created. */
export function identitySection(store: Store): PersonalDataSection {
  return {
    name: 'account',
    async export(_ctx, user) {
      const links = await store
        .controlModel(IdentityLink)
        .find({ userId: user._id }, { _id: 0, issuer: 1, subject: 1, createdAt: 1 })
        .lean();
      const sessions = await store
        .controlModel(Session)
        .find(
          { userId: user._id },
          { _id: 0, createdAt: 1, expiresAt: 1, revokedAt: 1, ip: 1, userAgent: 1 },
        )
        .lean();
      const apiKeys = await store
        .controlModel(ApiKey)
        .find({ createdBy: user._id }, { digest: 0 })
        .lean();
      const { passwordHash, ...profile } = user;
      return {
        profile: { ...profile, hasPassword: passwordHash !== null },
        signInLinks: links,
        sessions,
        apiKeys,
      };
    },
    async count(_ctx, user) {
      return {
        account: 1,
        signInLinks: await store.controlModel(IdentityLink).countDocuments({ userId: user._id }),
        sessions: await store.controlModel(Session).countDocuments({ userId: user._id }),
        apiKeys: await store.controlModel(ApiKey).countDocuments({ createdBy: user._id }),
      };
    },
    async erase(_ctx, user) {
      const links = await store.controlModel(IdentityLink).deleteMany({ userId: user._id });
      const sessions = await store.controlModel(Session).deleteMany({ userId: user._id });
      const keys = await store.controlModel(ApiKey).deleteMany({ createdBy: user._id });
      await store.controlModel(User).deleteOne({ _id: user._id });
      return {
        account: 1,
        signInLinks: links.deletedCount,
        sessions: sessions.deletedCount,
        apiKeys: keys.deletedCount,
      };
    },
  };
}

export async function exportPersonalData(
  sections: PersonalDataSection[],
  ctx: TenantContext,
  user: UserDoc,
): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = { exportedAt: new Date().toISOString() };
  for (const section of sections) out[section.name] = await section.export(ctx, user);
  return out;
}

/** Soft delete: sign-in stops at once; the purge job erases the data after the retention period. */
export async function softDeleteAccount(
  store: Store,
  user: UserDoc,
  now = new Date(),
): Promise<void> {
  await store.controlModel(User).updateOne({ _id: user._id, deletedAt: null }, { deletedAt: now });
  await store
    .controlModel(Session)
    .updateMany({ userId: user._id, revokedAt: null }, { revokedAt: now });
}

/** Accounts deleted more than the retention period ago, oldest first. */
export async function accountsDueForErasure(
  store: Store,
  now: Date,
  limit: number,
): Promise<UserDoc[]> {
  const cutoff = new Date(now.getTime() - ACCOUNT_RETENTION_DAYS * 86_400_000);
  return store
    .controlModel(User)
    .find({ deletedAt: { $ne: null, $lte: cutoff } })
    .sort({ deletedAt: 1 })
    .limit(limit)
    .lean();
}

/**
 * Erases everything about a deleted user. `prove` runs after all other data is gone and before
 * the account record itself goes, with the counts of everything erased: if the process dies
 * anywhere, the account is still there and the next run completes the erasure and the proof.
 */
export async function eraseAccount(
  sections: PersonalDataSection[],
  user: UserDoc,
  prove: (counts: Record<string, number>) => Promise<void>,
): Promise<Record<string, number>> {
  const ctx = verifiedTenantContext(user.tenantId, 'system');
  const counts: Record<string, number> = {};
  const account = sections.filter((s) => s.name === 'account');
  for (const section of sections.filter((s) => s.name !== 'account')) {
    Object.assign(counts, await section.erase(ctx, user));
  }
  for (const section of account) Object.assign(counts, await section.count(ctx, user));
  await prove(counts);
  for (const section of account) await section.erase(ctx, user);
  return counts;
}
