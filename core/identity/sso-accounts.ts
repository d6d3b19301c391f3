// Turns a verified SSO identity into a Quorum user: an existing link, an existing account with
// the same verified email, or a new member of the tenant that owns the organization's domain.
import type { Store } from '../store/store.ts';
import { isFreshInstall, normalizeEmail } from './accounts.ts';
import { newTenantId, newUserId, randomId } from './ids.ts';
import { IdentityLink, Tenant, User, type UserDoc } from './models.ts';
import type { SsoIdentity } from './oidc.ts';

export type SsoRefusal = 'no-email' | 'unknown-organization' | 'account-deleted';

export async function resolveSsoUser(
  store: Store,
  identity: SsoIdentity,
  options: { openSignup: boolean },
): Promise<{ ok: true; user: UserDoc; created: boolean } | { ok: false; reason: SsoRefusal }> {
  const Links = store.controlModel(IdentityLink);
  const Users = store.controlModel(User);
  const link = await Links.findOne({ issuer: identity.issuer, subject: identity.subject }).lean();
  if (link) {
    const user = await Users.findById(link.userId).lean();
    if (user && !user.deletedAt) return { ok: true, user, created: false };
    return { ok: false, reason: 'account-deleted' };
  }
  if (!identity.email || !identity.emailVerified) return { ok: false, reason: 'no-email' };
  const email = normalizeEmail(identity.email);

  const linkTo = async (user: UserDoc) => {
    await Links.create({
      _id: randomId(20),
      issuer: identity.issuer,
      subject: identity.subject,
      userId: user._id,
      tenantId: user.tenantId,
    });
  };

  const existing = await Users.findOne({ email }).lean();
  if (existing) {
    if (existing.deletedAt) return { ok: false, reason: 'account-deleted' };
    await linkTo(existing);
    return { ok: true, user: existing, created: false };
  }

  const domains = [email.split('@')[1] ?? '', identity.organization ?? ''].filter(Boolean);
  const tenant = await store
    .controlModel(Tenant)
    .findOne({ domains: { $in: domains } })
    .lean();
  const fresh = await isFreshInstall(store);
  if (!tenant && !fresh && !options.openSignup)
    return { ok: false, reason: 'unknown-organization' };

  let tenantId = tenant?._id;
  if (!tenantId) {
    tenantId = newTenantId();
    await store.controlModel(Tenant).create({
      _id: tenantId,
      name: identity.organization ?? domains[0] ?? 'Organization',
      domains,
    });
  }
  const user: UserDoc = {
    _id: newUserId(),
    tenantId,
    email,
    name: identity.name ?? email,
    role: tenant ? 'member' : 'admin',
    passwordHash: null,
    createdAt: new Date(),
    deletedAt: null,
  };
  await Users.create(user);
  await linkTo(user);
  return { ok: true, user, created: true };
}
