// Who a Zoom user is in Quorum, and which organization a Zoom account belongs to.
//
// A Zoom account joins an organization when this Quorum has only one, or when an administrator
// of an organization authorizes the app from a signed-in browser (the account then belongs to
// theirs). A Zoom user becomes a Quorum person only after authorizing the app (OAuth with PKCE):
// the person signed in to Quorum in that browser, or else the member of the account's
// organization whose email is the Zoom profile's email. Their Zoom grant is kept sealed with
// the organization's token key and refreshed when it has expired.
//
// Every read is by exact `_id`: a link by the Zoom user id, a person by id or by their email key,
// a person's links through their link list (core/identity/lists.ts), which gets a link before it
// is written.
import type { PersonalDataSection } from '../../../core/identity/personal-data.ts';
import { ownerList, type OwnerList } from '../../../core/identity/lists.ts';
import type { UserDoc } from '../../../core/identity/models.ts';
import { onlyTenant } from '../../../core/identity/tenants.ts';
import { findActiveTenantUserByEmail, findTenantUser } from '../../../core/identity/users.ts';
import { deleteByIds, findByIds } from '../../../core/store/by-id.ts';
import { isDuplicateKeyError } from '../../../core/privacy/duplicate-key.ts';
import type { Envelope, FieldTarget } from '../../../core/privacy/envelope.ts';
import type { Store } from '../../../core/store/store.ts';
import { verifiedTenantContext, type TenantContext } from '../../../core/store/tenant-context.ts';
import { ZoomAccount, ZoomUserLink, type ZoomUserLinkDoc } from './models.ts';
import type { ZoomApi, ZoomMe, ZoomTokens } from '../zoom-api.ts';

/** Refresh a little before Zoom's expiry, so a call never starts with a dying token. */
const REFRESH_MARGIN_MS = 60_000;

const target = (zoomUserId: string, field: 'accessToken' | 'refreshToken'): FieldTarget => ({
  collection: 'zoom_user_links',
  id: zoomUserId,
  field,
});

export type LinkOutcome =
  | { ok: true; user: UserDoc; tenantId: string; via: 'confirmed' | 'email' }
  | {
      ok: false;
      reason: 'account-not-linked' | 'no-such-person' | 'other-organization';
      message: string;
    };

/** Each person's Zoom links (Zoom user ids). */
export function zoomLinkList(store: Store): OwnerList {
  return ownerList(store, 'user', 'zoomLinks');
}

interface ZoomPeopleDeps {
  store: Store;
  envelope: Envelope;
  api: ZoomApi;
}

export class ZoomPeople {
  private readonly deps: ZoomPeopleDeps;
  private readonly accounts;
  private readonly links;
  private readonly lists: OwnerList;

  constructor(deps: ZoomPeopleDeps) {
    this.deps = deps;
    this.accounts = deps.store.controlModel(ZoomAccount);
    this.links = deps.store.controlModel(ZoomUserLink);
    this.lists = zoomLinkList(deps.store);
  }

  private async insertAccountOnce(
    accountId: string,
    tenantId: string,
    via: 'only-organization' | 'admin',
  ) {
    try {
      await this.accounts.create({ _id: accountId, tenantId, via, createdAt: new Date() });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    return (await this.accounts.findById(accountId).lean())?.tenantId;
  }

  async tenantOfAccount(accountId: string): Promise<string | undefined> {
    const found = (await this.accounts.findById(accountId).lean())?.tenantId;
    if (found) return found;
    const only = await onlyTenant(this.deps.store);
    return only ? this.insertAccountOnce(accountId, only, 'only-organization') : undefined;
  }

  private async sealTokens(ctx: TenantContext, zoomUserId: string, tokens: ZoomTokens) {
    return {
      accessToken: await this.deps.envelope.sealToken(
        ctx,
        target(zoomUserId, 'accessToken'),
        tokens.accessToken,
      ),
      refreshToken: await this.deps.envelope.sealToken(
        ctx,
        target(zoomUserId, 'refreshToken'),
        tokens.refreshToken,
      ),
      expiresAt: tokens.expiresAt,
      scopes: tokens.scopes,
    };
  }

  private async activeUser(link: ZoomUserLinkDoc): Promise<UserDoc | undefined> {
    return findTenantUser(this.deps.store, link.tenantId, link.userId, { active: true });
  }

  /**
   * After a successful authorization: decides who the Zoom user is and stores their grant.
   * `signedIn` is the Quorum person of a browser authorization (none in the Zoom client).
   */
  async link(me: ZoomMe, tokens: ZoomTokens, signedIn?: UserDoc): Promise<LinkOutcome> {
    let tenantId = await this.tenantOfAccount(me.account_id);
    if (!tenantId && signedIn?.role === 'admin') {
      tenantId = await this.insertAccountOnce(me.account_id, signedIn.tenantId, 'admin');
    }
    if (!tenantId) {
      return {
        ok: false,
        reason: 'account-not-linked',
        message:
          'This Zoom account is not linked to a Quorum organization yet. An administrator of your Quorum links it by authorizing the app once from a signed-in browser.',
      };
    }
    let user: UserDoc | null | undefined = signedIn;
    let via: 'confirmed' | 'email' = 'confirmed';
    if (user && user.tenantId !== tenantId) {
      return {
        ok: false,
        reason: 'other-organization',
        message:
          'This Zoom account belongs to another Quorum organization, so it cannot be linked to your account.',
      };
    }
    if (!user) {
      via = 'email';
      user = await findActiveTenantUserByEmail(this.deps.store, tenantId, me.email);
    }
    if (!user) {
      return {
        ok: false,
        reason: 'no-such-person',
        message: `No member of your Quorum organization has the email ${me.email}. Ask an administrator to add you, or sign in to Quorum in a browser and authorize Zoom there.`,
      };
    }
    const ctx = verifiedTenantContext(tenantId, 'installation', user._id);
    const sealed = await this.sealTokens(ctx, me.id, tokens);
    const existing = await this.links.findById(me.id).lean();
    await this.lists.add(user._id, me.id);
    // One authorization at a time writes a user's link: a plain replace is enough.
    await this.links.replaceOne(
      { _id: me.id },
      {
        accountId: me.account_id,
        tenantId,
        userId: user._id,
        email: me.email.toLowerCase(),
        ...sealed,
        via,
        createdAt: existing?.createdAt ?? new Date(),
        updatedAt: new Date(),
      },
      { upsert: true },
    );
    if (existing && existing.userId !== user._id) await this.lists.remove(existing.userId, [me.id]);
    return { ok: true, user, tenantId, via };
  }

  /** The Quorum person of a Zoom user, when linked and still active. */
  async personOf(zoomUserId: string): Promise<{ user: UserDoc; tenantId: string } | undefined> {
    const link = await this.links.findById(zoomUserId).lean();
    if (!link) return undefined;
    const user = await this.activeUser(link);
    return user ? { user, tenantId: link.tenantId } : undefined;
  }

  /** The user removed the app in Zoom (app_deauthorized): their link and grant go. */
  async unlink(zoomUserId: string): Promise<boolean> {
    const existing = await this.links.findById(zoomUserId, { userId: 1 }).lean();
    const { deletedCount } = await this.links.deleteOne({ _id: zoomUserId });
    if (existing) await this.lists.remove(existing.userId, [zoomUserId]);
    return deletedCount === 1;
  }

  /** A current access token of a Quorum person's Zoom grant; refreshed when expired. */
  async accessTokenFor(ctx: TenantContext, userId: string): Promise<string | undefined> {
    // The person's most recently authorized Zoom user in this organization.
    const link = (await findByIds(this.links, await this.lists.ids(userId)))
      .filter((l) => l.userId === userId && l.tenantId === ctx.tenantId)
      .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime())[0];
    if (!link) return undefined;
    if (link.expiresAt.getTime() - REFRESH_MARGIN_MS > Date.now()) {
      return this.deps.envelope.openToken(ctx, target(link._id, 'accessToken'), link.accessToken);
    }
    const refreshToken = await this.deps.envelope.openToken(
      ctx,
      target(link._id, 'refreshToken'),
      link.refreshToken,
    );
    const tokens = await this.deps.api.refresh(refreshToken);
    const sealed = await this.sealTokens(ctx, link._id, tokens);
    await this.links.updateOne({ _id: link._id }, { $set: { ...sealed, updatedAt: new Date() } });
    return tokens.accessToken;
  }
}

export function createZoomPeople(deps: ZoomPeopleDeps): ZoomPeople {
  return new ZoomPeople(deps);
}

export function zoomPersonalData(store: Store): PersonalDataSection {
  const lists = zoomLinkList(store);
  const links = async (user: UserDoc) =>
    (await findByIds(store.controlModel(ZoomUserLink), await lists.ids(user._id))).filter(
      (l) => l.userId === user._id,
    );
  return {
    name: 'zoom',
    async export(_ctx, user) {
      return {
        links: (await links(user)).map((l) => ({
          zoomUserId: l._id,
          accountId: l.accountId,
          email: l.email,
          via: l.via,
          createdAt: l.createdAt,
        })),
      };
    },
    async count(_ctx, user) {
      return { zoomLinks: (await links(user)).length };
    },
    async erase(_ctx, user) {
      const ids = (await links(user)).map((l) => l._id);
      const removed = await deleteByIds(store.controlModel(ZoomUserLink), ids);
      await lists.drop(user._id);
      return { zoomLinks: removed };
    },
  };
}
