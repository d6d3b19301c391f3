// Users by id and by email, and each tenant's member list, all read by exact `_id`.
//
// Email: one address may have an account in several organizations, but only one in each. Why:
// an administrator adding a person must not learn that the address has an account in another
// organization. Answering "taken" told them outright; recording the person as "pending" while
// sign-in kept going to the other account told them as soon as they tried the password they
// had just set. So the person they add is a real account of their organization, whatever other
// organizations hold, and sign-in finds it by its password (core/identity/accounts.ts).
//
// - A key document in `user_emails` whose `_id` IS the (normalized) email points at the first
//   account with it (`userId`, `tenantId`) and lists the accounts of other organizations
//   (`others`): sign-in reads every account of an address from this one document. It is claimed
//   with a unique insert before the first account is written; `others` changes one at a time
//   (`serialized`, see core/store/serial.ts).
// - An account in another organization first claims `user_tenant_emails`
//   (`<tenantId>:<email>`) with a unique insert: at most one account per address in an
//   organization, on FerretDB and MongoDB alike (the first account is its organization's
//   through the key document itself).
// - Both are released when the account is erased; the next account of the address becomes the
//   first.
// Members: one document per tenant (`tenant:<id>:members` in identity_lists) mapping each
// active member's id to what the people list shows; a member leaves it when deleted.
import { Schema, type Model } from 'mongoose';
import { isDuplicateKeyError } from '../privacy/duplicate-key.ts';
import { findByIds } from '../store/by-id.ts';
import { serialized } from '../store/serial.ts';
import { defineModel, type Store } from '../store/store.ts';
import { LISTS_COLLECTION } from './lists.ts';
import { User, type Role, type UserDoc } from './models.ts';

/** An account of an address: which user, in which organization. */
interface EmailAccount {
  userId: string;
  tenantId: string;
}

export interface UserEmailDoc extends EmailAccount {
  /** The normalized email. */
  _id: string;
  createdAt: Date;
  /** The address's accounts in other organizations than the first's, oldest first. */
  others?: EmailAccount[];
}
export const UserEmail = defineModel<UserEmailDoc>(
  'UserEmail',
  new Schema<UserEmailDoc>(
    {
      _id: { type: String, required: true },
      userId: { type: String, required: true },
      tenantId: { type: String, required: true },
      createdAt: { type: Date, required: true },
      others: {
        type: [{ _id: false, userId: String, tenantId: String }],
        default: undefined,
      },
    },
    { collection: 'user_emails', versionKey: false },
  ),
);

/** The claim of an address by an account of an organization other than the first's. */
interface TenantEmailDoc extends EmailAccount {
  /** `<tenantId>:<normalized email>`. */
  _id: string;
  createdAt: Date;
}
const TenantEmail = defineModel<TenantEmailDoc>(
  'TenantEmail',
  new Schema<TenantEmailDoc>(
    {
      _id: { type: String, required: true },
      userId: { type: String, required: true },
      tenantId: { type: String, required: true },
      createdAt: { type: Date, required: true },
    },
    { collection: 'user_tenant_emails', versionKey: false },
  ),
);

const tenantEmailId = (tenantId: string, email: string) => `${tenantId}:${email}`;

/** Changes of one address's key document, one at a time (its `others` is read-modify-write). */
function keyUpdate<T>(store: Store, email: string, fn: () => Promise<T>): Promise<T> {
  return serialized(`${store.control.name}/user_emails/${email}`, fn);
}

/** A claim whose account never got written (the process died in between) is freed after this. */
const STALE_CLAIM_MS = 60_000;

export class EmailTakenError extends Error {
  override name = 'EmailTakenError';
  constructor() {
    super('An account with this email already exists.');
  }
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** A user of `tenantId` by id; with `active`, only while not deleted. */
export async function findTenantUser(
  store: Store,
  tenantId: string,
  userId: string,
  options: { active?: boolean } = {},
): Promise<UserDoc | undefined> {
  const user = await store.controlModel(User).findById(userId).lean();
  if (!user || user.tenantId !== tenantId) return undefined;
  if (options.active && user.deletedAt) return undefined;
  return user;
}

/** The first account with this email (the oldest of its organizations'), deleted or not. */
export async function findUserByEmail(store: Store, email: string): Promise<UserDoc | undefined> {
  const normalized = normalizeEmail(email);
  const key = await store.controlModel(UserEmail).findById(normalized).lean();
  if (!key) return undefined;
  const user = await store.controlModel(User).findById(key.userId).lean();
  return user?.email === normalized ? user : undefined;
}

/** Every account with this email, one per organization, the first first; deleted or not. */
export async function findUsersByEmail(store: Store, email: string): Promise<UserDoc[]> {
  const normalized = normalizeEmail(email);
  const key = await store.controlModel(UserEmail).findById(normalized).lean();
  if (!key) return [];
  const ids = [key.userId, ...(key.others ?? []).map((o) => o.userId)];
  const users = await findByIds(store.controlModel(User), ids);
  return users.filter((u) => u.email === normalized);
}

/** The account of `tenantId` the key document names, if it names one. */
function accountIn(key: UserEmailDoc, tenantId: string): string | undefined {
  if (key.tenantId === tenantId) return key.userId;
  return key.others?.find((o) => o.tenantId === tenantId)?.userId;
}

/** The active member of `tenantId` with this email; people of other tenants are not found. */
export async function findActiveTenantUserByEmail(
  store: Store,
  tenantId: string,
  email: string,
): Promise<UserDoc | undefined> {
  return (await findActiveTenantUsersByEmails(store, tenantId, [email]))[0];
}

/** The active members of `tenantId` among these emails, in the order of `emails`. */
export async function findActiveTenantUsersByEmails(
  store: Store,
  tenantId: string,
  emails: readonly string[],
): Promise<UserDoc[]> {
  const wanted = [...new Set(emails.map(normalizeEmail))];
  const keys = await findByIds(store.controlModel(UserEmail), wanted);
  const ids = keys.map((k) => accountIn(k, tenantId)).filter((id) => id !== undefined);
  const users = await findByIds(store.controlModel(User), ids);
  return users.filter((u) => u.tenantId === tenantId && !u.deletedAt && wanted.includes(u.email));
}

/** A claim whose account is not there and was made long enough ago: its creation died. */
async function isStale(store: Store, claim: { userId: string; createdAt: Date }) {
  const owner = await store.controlModel(User).findById(claim.userId).lean();
  return !owner && Date.now() - claim.createdAt.getTime() > STALE_CLAIM_MS;
}

/**
 * Inserts a claim (a document whose `_id` is the claimed key); a claim left by a creation that
 * died is taken over. Resolves to the claim that holds the key when it is not ours.
 */
async function insertClaim<T extends { _id: string; userId: string; createdAt: Date }>(
  store: Store,
  Claims: Model<T>,
  claim: T,
): Promise<T | undefined> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await Claims.create(claim);
      return undefined;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const held = await Claims.findById(claim._id).lean<T>();
    if (!held) continue;
    if (!(await isStale(store, held))) return held;
    await Claims.deleteOne({ _id: claim._id });
  }
  throw new EmailTakenError();
}

/**
 * Claims the email for `user`: as its first account, or as its account in the user's
 * organization next to another organization's. Refused only when the user's own organization
 * already has an account with it.
 */
async function claimEmail(store: Store, user: UserDoc): Promise<void> {
  const account = { userId: user._id, tenantId: user.tenantId, createdAt: new Date() };
  const held = await insertClaim(store, store.controlModel(UserEmail), {
    _id: user.email,
    ...account,
  });
  if (!held) return;
  if (held.tenantId === user.tenantId) throw new EmailTakenError();
  const inTenant = await insertClaim(store, store.controlModel(TenantEmail), {
    _id: tenantEmailId(user.tenantId, user.email),
    ...account,
  });
  if (inTenant) throw new EmailTakenError();
  await keyUpdate(store, user.email, () => listAnother(store, user, account.createdAt));
}

/** Lists `user` among the address's accounts of other organizations (under `keyUpdate`). */
async function listAnother(store: Store, user: UserDoc, createdAt: Date): Promise<void> {
  const Keys = store.controlModel(UserEmail);
  for (let attempt = 0; attempt < 2; attempt++) {
    const key = await Keys.findById(user.email).lean();
    if (key) {
      // Holding the organization's claim, any other entry of it is a creation that died.
      const others = (key.others ?? []).filter((o) => o.tenantId !== user.tenantId);
      await Keys.updateOne(
        { _id: user.email },
        { $set: { others: [...others, { userId: user._id, tenantId: user.tenantId }] } },
      );
      return;
    }
    // The first account was erased meanwhile: this one is the first now, unless another
    // creation was quicker (then it is listed next to that one).
    try {
      await Keys.create({ _id: user.email, userId: user._id, tenantId: user.tenantId, createdAt });
      return;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }
  throw new EmailTakenError();
}

/** Frees the email's claims by `user`: the next account of the address becomes the first. */
async function releaseEmail(store: Store, user: UserDoc): Promise<void> {
  const Keys = store.controlModel(UserEmail);
  await keyUpdate(store, user.email, async () => {
    const key = await Keys.findById(user.email).lean();
    if (!key) return;
    const others = (key.others ?? []).filter((o) => o.userId !== user._id);
    if (key.userId !== user._id) {
      if (others.length < (key.others ?? []).length) {
        await Keys.updateOne({ _id: user.email }, { $pull: { others: { userId: user._id } } });
      }
      return;
    }
    const [next, ...rest] = others;
    if (!next) {
      await Keys.deleteOne({ _id: user.email });
      return;
    }
    await Keys.replaceOne(
      { _id: user.email },
      {
        _id: user.email,
        ...next,
        createdAt: key.createdAt,
        ...(rest.length ? { others: rest } : {}),
      },
    );
  });
  const Claims = store.controlModel(TenantEmail);
  const claimId = tenantEmailId(user.tenantId, user.email);
  const claim = await Claims.findById(claimId).lean();
  if (claim?.userId === user._id) await Claims.deleteOne({ _id: claimId });
}

/** Writes a new account: its email claim, the record, its place in the member list. */
export async function createUser(store: Store, input: UserDoc): Promise<UserDoc> {
  const user = { ...input, email: normalizeEmail(input.email) };
  await claimEmail(store, user);
  try {
    await store.controlModel(User).create(user);
  } catch (error) {
    await releaseEmail(store, user);
    if (isDuplicateKeyError(error)) throw new EmailTakenError();
    throw error;
  }
  await setMember(store, user);
  await markAccountsExist(store);
  return user;
}

/**
 * Drops the unique index on `users.email` a data folder of an earlier version has: an address
 * may now have an account in each organization (the claims above keep one per organization).
 */
export async function dropGlobalEmailIndex(store: Store): Promise<void> {
  const users = store.control.collection('users');
  let indexes: Array<{ name?: string; unique?: boolean; key: Record<string, unknown> }>;
  try {
    indexes = await users.indexes();
  } catch {
    return; // no collection yet: nothing to drop
  }
  for (const index of indexes) {
    const fields = Object.keys(index.key);
    if (index.name && index.unique && fields.length === 1 && fields[0] === 'email') {
      await users.dropIndex(index.name);
    }
  }
}

// ---- whether any account exists (the sign-in page offers to create the first one) ----

const ACCOUNTS_MARKER = 'accounts-exist';

export async function markAccountsExist(store: Store): Promise<void> {
  try {
    await store.control
      .collection<{ _id: string; at: Date }>('install')
      .insertOne({ _id: ACCOUNTS_MARKER, at: new Date() });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
}

export async function accountsExist(store: Store): Promise<boolean> {
  const marker = await store.control
    .collection<{ _id: string }>('install')
    .findOne({ _id: ACCOUNTS_MARKER });
  return marker !== null;
}

// ---- the member list of a tenant ----

export interface Member {
  id: string;
  name: string;
  email: string;
  role: Role;
}
type MemberEntry = Omit<Member, 'id'>;
interface MembersDoc {
  _id: string;
  members: Record<string, MemberEntry>;
}

const membersId = (tenantId: string) => `tenant:${tenantId}:members`;
// The member list shares the owner-addressed collection with the id lists (core/identity/lists.ts).
const membersCollection = (store: Store) => store.control.collection<MembersDoc>(LISTS_COLLECTION);

function membersUpdate<T>(store: Store, tenantId: string, fn: () => Promise<T>): Promise<T> {
  return serialized(`${store.control.name}/${LISTS_COLLECTION}/${membersId(tenantId)}`, fn);
}

/** Adds (or refreshes) active users in their tenants' member lists. */
export async function setMembers(store: Store, users: readonly UserDoc[]): Promise<void> {
  const byTenant = new Map<string, UserDoc[]>();
  for (const u of users) byTenant.set(u.tenantId, [...(byTenant.get(u.tenantId) ?? []), u]);
  for (const [tenantId, group] of byTenant) {
    const set: Record<string, MemberEntry> = {};
    for (const u of group) set[`members.${u._id}`] = { name: u.name, email: u.email, role: u.role };
    await membersUpdate(store, tenantId, () =>
      membersCollection(store).updateOne(
        { _id: membersId(tenantId) },
        { $set: set },
        { upsert: true },
      ),
    );
  }
}

export function setMember(store: Store, user: UserDoc): Promise<void> {
  return setMembers(store, [user]);
}

export async function removeMember(store: Store, user: UserDoc): Promise<void> {
  await membersUpdate(store, user.tenantId, () =>
    membersCollection(store).updateOne(
      { _id: membersId(user.tenantId) },
      { $unset: { [`members.${user._id}`]: '' } },
    ),
  );
}

/** The active members of a tenant, by name. */
export async function tenantMembers(store: Store, tenantId: string): Promise<Member[]> {
  const doc = await membersCollection(store).findOne({ _id: membersId(tenantId) });
  return Object.entries(doc?.members ?? {})
    .map(([id, m]) => ({ id, name: m.name, email: m.email, role: m.role }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Removes the account record and frees its email (the last step of erasing an account). */
export async function deleteUserRecord(store: Store, user: UserDoc): Promise<void> {
  await removeMember(store, user);
  await store.controlModel(User).deleteOne({ _id: user._id });
  await releaseEmail(store, user);
}
