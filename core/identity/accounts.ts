// Local accounts and tenants: the first account on a fresh install creates the tenant and
// becomes its administrator; administrators add everyone else.
import type { Store } from '../store/store.ts';
import { verifiedTenantContext, type TenantContext } from '../store/tenant-context.ts';
import { newTenantId, newUserId } from './ids.ts';
import { isDuplicateKeyError } from '../privacy/duplicate-key.ts';
import type { UserDoc } from './models.ts';
import { burnPasswordCheck, hashPassword, passwordProblem, verifyPassword } from './passwords.ts';
import { createTenant } from './tenants.ts';
import {
  accountsExist,
  createUser,
  EmailTakenError,
  findTenantUser,
  findUsersByEmail,
  normalizeEmail,
} from './users.ts';

export { normalizeEmail };

export type AccountErrorCode = 'email-taken' | 'weak-password' | 'signup-closed' | 'not-admin';

export class AccountError extends Error {
  override name = 'AccountError';
  readonly code: AccountErrorCode;
  constructor(code: AccountErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

export type SignInFailure = 'unknown-email' | 'wrong-password' | 'account-deleted' | 'no-password';

export interface NewAccount {
  email: string;
  name: string;
  password: string;
}

async function checkedHash(account: NewAccount): Promise<string> {
  const problem = await passwordProblem(account.password, [account.email, account.name]);
  if (problem) throw new AccountError('weak-password', problem);
  return hashPassword(account.password);
}

async function insertUser(store: Store, doc: UserDoc): Promise<UserDoc> {
  try {
    return await createUser(store, doc);
  } catch (error) {
    if (error instanceof EmailTakenError) {
      // Only ever this organization's own person: other organizations' accounts never refuse.
      throw new AccountError(
        'email-taken',
        'Someone in this organization already has this email address.',
      );
    }
    throw error;
  }
}

/** True until the first account exists: the sign-in page then offers to create it. */
export async function isFreshInstall(store: Store): Promise<boolean> {
  return !(await accountsExist(store));
}

/**
 * Creates a tenant and its administrator: on a fresh install the first account, and after that
 * only when the deployment allows open sign-up (a hosted service); otherwise refused.
 */
export async function createTenantWithAdmin(
  store: Store,
  account: NewAccount & { organization: string },
  options: { openSignup: boolean } = { openSignup: false },
): Promise<{ user: UserDoc; ctx: TenantContext }> {
  const passwordHash = await checkedHash(account);
  const claim = store.control.collection('install');
  try {
    // One marker document makes "first" hold even when two people sign up at the same moment.
    await claim.insertOne({ _id: 'first-admin' as never, at: new Date() });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    if (!options.openSignup) {
      throw new AccountError(
        'signup-closed',
        'This Quorum already has an administrator. Ask them to add you, or sign in.',
      );
    }
  }
  const tenantId = newTenantId();
  await createTenant(store, { _id: tenantId, name: account.organization, domains: [] });
  const user = await insertUser(store, {
    _id: newUserId(),
    tenantId,
    email: normalizeEmail(account.email),
    name: account.name,
    role: 'admin',
    passwordHash,
    createdAt: new Date(),
    deletedAt: null,
  });
  return { user, ctx: verifiedTenantContext(tenantId, 'session', user._id) };
}

/**
 * An administrator adds a member to their own tenant. An address with an account in another
 * organization gets its own account here, exactly as a new address does: the answer tells the
 * administrator nothing about other organizations (see core/identity/users.ts for why not a
 * refusal or a "pending" person). Only an address already in this organization is refused.
 */
export async function addMember(
  store: Store,
  admin: TenantContext,
  account: NewAccount,
): Promise<UserDoc> {
  const actor = admin.userId
    ? await findTenantUser(store, admin.tenantId, admin.userId)
    : undefined;
  if (actor?.role !== 'admin') {
    throw new AccountError('not-admin', 'Only an administrator can add people.');
  }
  return insertUser(store, {
    _id: newUserId(),
    tenantId: admin.tenantId,
    email: normalizeEmail(account.email),
    name: account.name,
    role: 'member',
    passwordHash: await checkedHash(account),
    createdAt: new Date(),
    deletedAt: null,
  });
}

/**
 * Password sign-in. An address may have an account in several organizations: the password
 * finds the account it belongs to. Every account of the address is checked, at once (argon2
 * runs off the event loop), so the answer takes about as long with one as with several; the
 * same password on two organizations' accounts signs in to the first made.
 */
export async function authenticateLocal(
  store: Store,
  email: string,
  password: string,
): Promise<{ ok: true; user: UserDoc } | { ok: false; reason: SignInFailure; user?: UserDoc }> {
  const accounts = await findUsersByEmail(store, email);
  const withPassword = accounts.filter((u) => u.passwordHash);
  if (withPassword.length === 0) {
    await burnPasswordCheck(password);
    const [sso] = accounts;
    return sso
      ? { ok: false, reason: 'no-password', user: sso }
      : { ok: false, reason: 'unknown-email' };
  }
  const matches = await Promise.all(
    withPassword.map((u) => verifyPassword(u.passwordHash!, password)),
  );
  const matched = withPassword.filter((_, i) => matches[i]);
  if (matched.length === 0) return { ok: false, reason: 'wrong-password', user: withPassword[0] };
  const active = matched.find((u) => !u.deletedAt);
  if (!active) return { ok: false, reason: 'account-deleted', user: matched[0] };
  return { ok: true, user: active };
}
