// Turns a verified SSO identity into a Quorum user: an existing link, an existing account with
// the same verified email, or a new member of the tenant that owns the organization's domain.
//
// Every lookup is by exact `_id`: a link's id is made of the issuer and subject
// (`identityLinkId`), an account is found by its email key, a tenant by its domain key.
import { isDuplicateKeyError } from '../privacy/duplicate-key.ts';
import type { Store } from '../store/store.ts';
import { isFreshInstall } from './accounts.ts';
import { newTenantId, newUserId } from './ids.ts';
import { ownerList, type OwnerList } from './lists.ts';
import { IdentityLink, User, type UserDoc } from './models.ts';
import type { SsoIdentity } from './oidc.ts';
import { createTenant, tenantByDomains } from './tenants.ts';
import { createUser, findUserByEmail, normalizeEmail } from './users.ts';

export type SsoRefusal = 'no-email' | 'unknown-organization' | 'account-deleted';

/** An issuer (an https URL, never with a fragment) and its subject, as one id. */
export function identityLinkId(issuer: string, subject: string): string {
  return `${issuer}#${subject}`;
}

/** The SSO identities linked to each person, for export and erasure. */
export function identityLinkList(store: Store): OwnerList {
  return ownerList(store, 'user', 'identityLinks');
}

async function linkTo(store: Store, identity: SsoIdentity, user: UserDoc): Promise<void> {
  const _id = identityLinkId(identity.issuer, identity.subject);
  await identityLinkList(store).add(user._id, _id);
  try {
    await store.controlModel(IdentityLink).create({
      _id,
      issuer: identity.issuer,
      subject: identity.subject,
      userId: user._id,
      tenantId: user.tenantId,
    });
  } catch (error) {
    // The same sign-in finished twice at once: the link is there either way.
    if (!isDuplicateKeyError(error)) throw error;
  }
}

export async function resolveSsoUser(
  store: Store,
  identity: SsoIdentity,
  options: { openSignup: boolean },
): Promise<{ ok: true; user: UserDoc; created: boolean } | { ok: false; reason: SsoRefusal }> {
  const link = await store
    .controlModel(IdentityLink)
    .findById(identityLinkId(identity.issuer, identity.subject))
    .lean();
  if (link) {
    const user = await store.controlModel(User).findById(link.userId).lean();
    if (user && !user.deletedAt) return { ok: true, user, created: false };
    return { ok: false, reason: 'account-deleted' };
  }
  if (!identity.email || !identity.emailVerified) return { ok: false, reason: 'no-email' };
  const email = normalizeEmail(identity.email);

  const existing = await findUserByEmail(store, email);
  if (existing) {
    if (existing.deletedAt) return { ok: false, reason: 'account-deleted' };
    await linkTo(store, identity, existing);
    return { ok: true, user: existing, created: false };
  }

  const domains = [email.split('@')[1] ?? '', identity.organization ?? ''].filter(Boolean);
  const tenant = await tenantByDomains(store, domains);
  const fresh = await isFreshInstall(store);
  if (!tenant && !fresh && !options.openSignup)
    return { ok: false, reason: 'unknown-organization' };

  let tenantId = tenant;
  if (!tenantId) {
    tenantId = newTenantId();
    await createTenant(store, {
      _id: tenantId,
      name: identity.organization ?? domains[0] ?? 'Organization',
      domains,
    });
  }
  const user = await createUser(store, {
    _id: newUserId(),
    tenantId,
    email,
    name: identity.name ?? email,
    role: tenant ? 'member' : 'admin',
    passwordHash: null,
    createdAt: new Date(),
    deletedAt: null,
  });
  await linkTo(store, identity, user);
  return { ok: true, user, created: true };
}
