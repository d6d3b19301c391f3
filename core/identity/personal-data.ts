// Personal data rights: every feature that keeps something about a person registers how to
// export it and how to erase it, so "export my data" and account deletion stay complete as
// features are added.
import type { Model } from 'mongoose';
import { deleteByIds, findByIds } from '../store/by-id.ts';
import type { Store } from '../store/store.ts';
import { verifiedTenantContext, type TenantContext } from '../store/tenant-context.ts';
import { apiKeyLists } from './api-keys.ts';
import { ownerList, type OwnerList } from './lists.ts';
import { ApiKey, IdentityLink, Session, User, type UserDoc } from './models.ts';
import { revokeSessions, sessionList } from './sessions.ts';
import { identityLinkList } from './sso-accounts.ts';
import { deleteUserRecord, removeMember } from './users.ts';

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

/** The records of `ids` that still belong to the user (a list may name records gone since). */
async function ownRecords<T extends { _id: string }>(
  model: Model<T>,
  ids: readonly string[],
  isOwn: (doc: T) => boolean,
  projection?: Record<string, 0 | 1>,
): Promise<T[]> {
  return (await findByIds(model, ids, projection)).filter(isOwn);
}

/** The identity data itself: profile, sign-in links, sessions, API keys the person created. */
export function identitySection(store: Store): PersonalDataSection {
  const Links = () => store.controlModel(IdentityLink);
  const Sessions = () => store.controlModel(Session);
  const Keys = () => store.controlModel(ApiKey);
  const linkList = identityLinkList(store);
  const sessions = sessionList(store);
  const keyLists = apiKeyLists(store);
  async function records(user: UserDoc) {
    const ofUser = (doc: { userId: string }) => doc.userId === user._id;
    return {
      links: await ownRecords(Links(), await linkList.ids(user._id), ofUser),
      sessions: await ownRecords(Sessions(), await sessions.ids(user._id), ofUser),
      apiKeys: await ownRecords(
        Keys(),
        await keyLists.user.ids(user._id),
        (key) => key.createdBy === user._id,
        { digest: 0 },
      ),
    };
  }
  return {
    name: 'account',
    async export(_ctx, user) {
      const found = await records(user);
      const { passwordHash, ...profile } = user;
      return {
        profile: { ...profile, hasPassword: passwordHash !== null },
        signInLinks: found.links.map((l) => ({
          issuer: l.issuer,
          subject: l.subject,
          createdAt: l.createdAt,
        })),
        sessions: found.sessions.map((s) => ({
          createdAt: s.createdAt,
          expiresAt: s.expiresAt,
          revokedAt: s.revokedAt,
          ip: s.ip,
          userAgent: s.userAgent,
        })),
        apiKeys: found.apiKeys,
      };
    },
    async count(_ctx, user) {
      const found = await records(user);
      return {
        account: 1,
        signInLinks: found.links.length,
        sessions: found.sessions.length,
        apiKeys: found.apiKeys.length,
      };
    },
    async erase(_ctx, user) {
      const found = await records(user);
      const ids = (docs: Array<{ _id: string }>) => docs.map((d) => d._id);
      const links = await deleteByIds(Links(), ids(found.links));
      const ended = await deleteByIds(Sessions(), ids(found.sessions));
      const keys = await deleteByIds(Keys(), ids(found.apiKeys));
      // The tenant's key list forgets the keys erased with their creator.
      for (const key of found.apiKeys) await keyLists.tenant.remove(key.tenantId, [key._id]);
      await linkList.drop(user._id);
      await sessions.drop(user._id);
      await keyLists.user.drop(user._id);
      await deleteUserRecord(store, user);
      await pendingErasure(store).remove(PENDING, [user._id]);
      return { account: 1, signInLinks: links, sessions: ended, apiKeys: keys };
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

/**
 * Accounts deleted and not yet erased, in one list (`accounts:pending:erasure`): the erasure job
 * reads it instead of scanning every account. Bounded by the deletions of the retention period.
 */
const PENDING = 'pending';
function pendingErasure(store: Store): OwnerList {
  return ownerList(store, 'accounts', 'erasure');
}

/** Lists deleted accounts for the erasure job (the migration of accounts deleted before). */
export async function addPendingErasure(store: Store, userIds: readonly string[]): Promise<void> {
  await pendingErasure(store).addAll(
    PENDING,
    userIds.map((id) => ({ id, expiresAt: null })),
  );
}

/** Soft delete: sign-in stops at once; the purge job erases the data after the retention period. */
export async function softDeleteAccount(
  store: Store,
  user: UserDoc,
  now = new Date(),
): Promise<void> {
  await addPendingErasure(store, [user._id]);
  const Users = store.controlModel(User);
  const current = await Users.findById(user._id, { deletedAt: 1 }).lean();
  if (current && !current.deletedAt) {
    await Users.updateOne({ _id: user._id }, { $set: { deletedAt: now } });
  }
  await removeMember(store, user);
  await revokeSessions(store, await sessionList(store).ids(user._id), now);
}

/** Accounts deleted more than the retention period ago, oldest first. */
export async function accountsDueForErasure(
  store: Store,
  now: Date,
  limit: number,
): Promise<UserDoc[]> {
  const cutoff = new Date(now.getTime() - ACCOUNT_RETENTION_DAYS * 86_400_000);
  const listed = await pendingErasure(store).ids(PENDING);
  const users = await findByIds(store.controlModel(User), listed);
  // Erased already (the run died before updating the list): the entry goes.
  const gone = listed.filter((id) => !users.some((u) => u._id === id));
  if (gone.length > 0) await pendingErasure(store).remove(PENDING, gone);
  return users
    .filter(
      (u): u is UserDoc & { deletedAt: Date } => u.deletedAt !== null && u.deletedAt <= cutoff,
    )
    .sort((a, b) => a.deletedAt.getTime() - b.deletedAt.getTime())
    .slice(0, limit);
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
