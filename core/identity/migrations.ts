// Storage migrations of the identity records in the control database (see
// core/store/migrations.ts): the key documents and owner lists that let every request read by
// exact `_id`, built from the records a tenant already has. Each step handles the control-db
// records of the tenant it runs for (so it runs once per tenant), writes only by `_id` or by
// $addToSet (so running it twice changes nothing) and removes an old record only after its new
// copy is written.
import { isDuplicateKeyError } from '../privacy/duplicate-key.ts';
import type { MigrationStep } from '../store/migrations.ts';
import type { Store } from '../store/store.ts';
import { apiKeyLists } from './api-keys.ts';
import type { ListItem, OwnerList } from './lists.ts';
import { ApiKey, IdentityLink, Session, Tenant, User, type UserDoc } from './models.ts';
import { addPendingErasure } from './personal-data.ts';
import { sessionList } from './sessions.ts';
import { identityLinkId, identityLinkList } from './sso-accounts.ts';
import { claimDomains, claimTenantSlot } from './tenants.ts';
import { markAccountsExist, setMembers, UserEmail } from './users.ts';

/** Adds each record to its owner's list: `owner` and `entry` say which and what. */
export async function listByOwner<T>(
  list: OwnerList,
  records: readonly T[],
  owner: (record: T) => string,
  entry: (record: T) => ListItem,
): Promise<void> {
  const byOwner = new Map<string, ListItem[]>();
  for (const record of records) {
    const key = owner(record);
    byOwner.set(key, [...(byOwner.get(key) ?? []), entry(record)]);
  }
  for (const [ownerId, items] of byOwner) await list.addAll(ownerId, items);
}

async function claimEmailKeys(store: Store, users: readonly UserDoc[]) {
  const Keys = store.controlModel(UserEmail);
  for (const user of users) {
    try {
      await Keys.create({
        _id: user.email,
        userId: user._id,
        tenantId: user.tenantId,
        createdAt: user.createdAt,
      });
    } catch (error) {
      // Claimed already: by this account (a step run twice), or never by another, since the
      // unique index on users.email kept emails unique until now.
      if (!isDuplicateKeyError(error)) throw error;
    }
  }
}

/** Users: email keys, the tenant's member list, accounts waiting for erasure. */
export const userKeysStep: MigrationStep = {
  name: 'identity.user-keys',
  description: 'email keys, member lists and the erasure list of existing accounts',
  async runForTenant(store, ctx) {
    const users = await store.controlModel(User).find({ tenantId: ctx.tenantId }).lean();
    if (users.length === 0) return 0;
    await claimEmailKeys(store, users);
    await setMembers(
      store,
      users.filter((u) => !u.deletedAt),
    );
    await addPendingErasure(
      store,
      users.filter((u) => u.deletedAt).map((u) => u._id),
    );
    await markAccountsExist(store);
    return users.length;
  },
};

/** Drops the old unique index on {issuer, subject}: it would refuse a link's new copy. */
async function dropOldLinkIndex(store: Store): Promise<void> {
  const links = store.control.collection('identity_links');
  let indexes: Array<{ name?: string; key: Record<string, unknown> }>;
  try {
    indexes = await links.indexes();
  } catch {
    return; // no collection yet: nothing to drop
  }
  for (const index of indexes) {
    const fields = Object.keys(index.key);
    if (
      index.name &&
      fields.length === 2 &&
      fields.includes('issuer') &&
      fields.includes('subject')
    )
      await links.dropIndex(index.name);
  }
}

/** SSO links move to ids made of issuer and subject; each person's links are listed. */
async function moveIdentityLinks(store: Store, tenantId: string): Promise<number> {
  const Links = store.controlModel(IdentityLink);
  const links = await Links.find({ tenantId }).lean();
  const moving = links.filter((l) => l._id !== identityLinkId(l.issuer, l.subject));
  if (moving.length > 0) await dropOldLinkIndex(store);
  const moved = links.map((l) => ({ ...l, _id: identityLinkId(l.issuer, l.subject) }));
  await listByOwner(
    identityLinkList(store),
    moved,
    (l) => l.userId,
    (l) => ({ id: l._id, expiresAt: null }),
  );
  for (const link of moving) {
    const _id = identityLinkId(link.issuer, link.subject);
    try {
      await Links.create({ ...link, _id });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    await Links.deleteOne({ _id: link._id });
  }
  return links.length;
}

/** Sessions, API keys and SSO links: listed by person (and API keys by tenant). */
export const signInRecordsStep: MigrationStep = {
  name: 'identity.sign-in-lists',
  description: 'session, API key and SSO link lists of existing accounts',
  async runForTenant(store, ctx) {
    const sessions = await store.controlModel(Session).find({ tenantId: ctx.tenantId }).lean();
    await listByOwner(
      sessionList(store),
      sessions,
      (s) => s.userId,
      (s) => ({
        id: s._id,
        expiresAt: s.expiresAt,
      }),
    );
    const keys = await store
      .controlModel(ApiKey)
      .find({ tenantId: ctx.tenantId }, { digest: 0 })
      .lean();
    const keyLists = apiKeyLists(store);
    const item = (k: { _id: string }) => ({ id: k._id, expiresAt: null });
    await listByOwner(keyLists.tenant, keys, (k) => k.tenantId, item);
    await listByOwner(keyLists.user, keys, (k) => k.createdBy, item);
    const links = await moveIdentityLinks(store, ctx.tenantId);
    return sessions.length + keys.length + links;
  },
};

/** The tenant's email domains as keys, and its place among the first two tenants. */
export const tenantKeysStep: MigrationStep = {
  name: 'identity.tenant-keys',
  description: 'domain keys and one-organization markers of existing tenants',
  async runForTenant(store, ctx) {
    const tenant = await store.controlModel(Tenant).findById(ctx.tenantId).lean();
    if (!tenant) return 0;
    await claimTenantSlot(store, tenant._id);
    await claimDomains(store, tenant._id, tenant.domains);
    return 1 + tenant.domains.length;
  },
};

export const identityMigrationSteps: readonly MigrationStep[] = [
  tenantKeysStep,
  userKeysStep,
  signInRecordsStep,
];
