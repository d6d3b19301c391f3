// Users by id and by email, and each tenant's member list, all read by exact `_id`.
//
// Email: a key document in `user_emails` whose `_id` IS the (normalized) email, pointing at
// the user. It is claimed with a unique insert before the user record is written, so an email
// belongs to one account on FerretDB and MongoDB alike (the unique index on users.email stays as
// a second guard). It is released when the account is erased.
// Members: one document per tenant (`tenant:<id>:members` in identity_lists) mapping each
// active member's id to what the people list shows; a member leaves it when deleted.
import { Schema } from 'mongoose';
import { isDuplicateKeyError } from '../privacy/duplicate-key.ts';
import { findByIds } from '../store/by-id.ts';
import { serialized } from '../store/serial.ts';
import { defineModel, type Store } from '../store/store.ts';
import { LISTS_COLLECTION } from './lists.ts';
import { User, type Role, type UserDoc } from './models.ts';

export interface UserEmailDoc {
  /** The normalized email. */
  _id: string;
  userId: string;
  tenantId: string;
  createdAt: Date;
}
export const UserEmail = defineModel<UserEmailDoc>(
  'UserEmail',
  new Schema<UserEmailDoc>(
    {
      _id: { type: String, required: true },
      userId: { type: String, required: true },
      tenantId: { type: String, required: true },
      createdAt: { type: Date, required: true },
    },
    { collection: 'user_emails', versionKey: false },
  ),
);

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

/** The account with this email, in any tenant, deleted or not. */
export async function findUserByEmail(store: Store, email: string): Promise<UserDoc | undefined> {
  const normalized = normalizeEmail(email);
  const key = await store.controlModel(UserEmail).findById(normalized).lean();
  if (!key) return undefined;
  const user = await store.controlModel(User).findById(key.userId).lean();
  return user?.email === normalized ? user : undefined;
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
  const ids = keys.filter((k) => k.tenantId === tenantId).map((k) => k.userId);
  const users = await findByIds(store.controlModel(User), ids);
  return users.filter((u) => u.tenantId === tenantId && !u.deletedAt && wanted.includes(u.email));
}

/** Claims the email for `user`; a claim left by a creation that died is taken over. */
async function claimEmail(store: Store, user: UserDoc): Promise<void> {
  const Keys = store.controlModel(UserEmail);
  const claim = { _id: user.email, userId: user._id, tenantId: user.tenantId };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await Keys.create({ ...claim, createdAt: new Date() });
      return;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const held = await Keys.findById(user.email).lean();
    if (!held) continue;
    const owner = await store.controlModel(User).findById(held.userId).lean();
    const stale = !owner && Date.now() - held.createdAt.getTime() > STALE_CLAIM_MS;
    if (!stale) break;
    await Keys.deleteOne({ _id: user.email });
  }
  throw new EmailTakenError();
}

/** Writes a new account: its email claim, the record, its place in the member list. */
export async function createUser(store: Store, input: UserDoc): Promise<UserDoc> {
  const user = { ...input, email: normalizeEmail(input.email) };
  await claimEmail(store, user);
  try {
    await store.controlModel(User).create(user);
  } catch (error) {
    await store.controlModel(UserEmail).deleteOne({ _id: user.email });
    if (isDuplicateKeyError(error)) throw new EmailTakenError();
    throw error;
  }
  await setMember(store, user);
  await markAccountsExist(store);
  return user;
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
  const key = await store.controlModel(UserEmail).findById(user.email).lean();
  if (key?.userId === user._id) await store.controlModel(UserEmail).deleteOne({ _id: user.email });
}
