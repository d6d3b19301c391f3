// Who is who: the Quorum tenant of a Microsoft tenant, and the Quorum person behind a Teams
// user. A Microsoft tenant joins the only organization of a one-organization Quorum on first
// use, otherwise the organization of the first administrator who connects from Teams. A Teams
// user is who they confirmed they are ("connect"), else the Quorum person with the email the
// Bot Connector gives for them (remembered). Mentions resolve the same way.
//
// Every read is by exact `_id`: a Microsoft tenant by its id, a link by
// `${msTenantId}:${aadObjectId}`, a person by id or by their email key; a person's links and a
// tenant's Microsoft tenants through owner lists (core/identity/lists.ts), which get an entry
// before its record is written.
import type { Client as ApiClient, TeamsChannelAccount } from '@microsoft/teams.api';
import { ownerList, type OwnerList } from '../../core/identity/lists.ts';
import type { UserDoc } from '../../core/identity/models.ts';
import type { PersonalDataSection } from '../../core/identity/personal-data.ts';
import { onlyTenant } from '../../core/identity/tenants.ts';
import { findActiveTenantUserByEmail, findTenantUser } from '../../core/identity/users.ts';
import { deleteByIds, findByIds } from '../../core/store/by-id.ts';
import { isDuplicateKeyError } from '../../core/privacy/duplicate-key.ts';
import { ExpiringLru } from '../../core/privacy/expiring-lru.ts';
import type { Store } from '../../core/store/store.ts';
import {
  TeamsConversation,
  TeamsTenant,
  TeamsUserLink,
  type TeamsConversationDoc,
  type TeamsUserLinkDoc,
} from './models.ts';

export interface TeamsMember {
  /** The Bot Connector's id of the user in this conversation (29:…). */
  id: string;
  aadObjectId: string | null;
  name: string;
  email: string | null;
}

const MEMBER_TTL_MS = 5 * 60_000;

/** The Bot Connector's account of a conversation member, or undefined when it has none. */
export async function memberOf(
  api: ApiClient,
  conversationId: string,
  userId: string,
): Promise<TeamsMember | undefined> {
  let account: TeamsChannelAccount;
  try {
    account = await api.conversations.getMemberById(conversationId, userId);
  } catch {
    return undefined;
  }
  const email = account.email ?? account.userPrincipalName ?? null;
  return {
    id: account.id,
    aadObjectId: account.aadObjectId ?? null,
    name: account.name ?? account.givenName ?? account.id,
    email: email && email.includes('@') ? email.toLowerCase() : null,
  };
}

/** Each person's Teams links (ids `${msTenantId}:${aadObjectId}`). */
export function teamsLinkList(store: Store): OwnerList {
  return ownerList(store, 'user', 'teamsLinks');
}

/** The Microsoft tenants linked to each Quorum tenant. */
export function teamsTenantList(store: Store): OwnerList {
  return ownerList(store, 'tenant', 'teamsTenants');
}

export function createDirectory(store: Store) {
  const Tenants = store.controlModel(TeamsTenant);
  const Links = store.controlModel(TeamsUserLink);
  const linkLists = teamsLinkList(store);
  const tenantLists = teamsTenantList(store);
  const Conversations = store.controlModel(TeamsConversation);
  const tenants = new ExpiringLru<string>({ max: 1000, ttlMs: 60_000 });
  const members = new ExpiringLru<TeamsMember | null>({ max: 10_000, ttlMs: MEMBER_TTL_MS });
  const linkId = (msTenantId: string, aadObjectId: string) => `${msTenantId}:${aadObjectId}`;

  async function insertTenant(msTenantId: string, tenantId: string): Promise<string> {
    await tenantLists.add(tenantId, msTenantId);
    try {
      await Tenants.create({ _id: msTenantId, tenantId, createdAt: new Date() });
      return tenantId;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const owner = (await Tenants.findById(msTenantId).lean())?.tenantId ?? tenantId;
      if (owner !== tenantId) await tenantLists.remove(tenantId, [msTenantId]);
      return owner;
    }
  }

  async function member(api: ApiClient, conversationId: string, userId: string) {
    const key = `${conversationId} ${userId}`;
    const cached = members.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const found = await memberOf(api, conversationId, userId);
    members.set(key, found ?? null);
    return found;
  }

  async function linkedUser(msTenantId: string, tenantId: string, aadObjectId: string) {
    const link = await Links.findById(linkId(msTenantId, aadObjectId)).lean();
    if (!link || link.tenantId !== tenantId) return undefined;
    return findTenantUser(store, tenantId, link.userId, { active: true });
  }

  async function remember(
    msTenantId: string,
    tenantId: string,
    aadObjectId: string,
    user: UserDoc,
    via: TeamsUserLinkDoc['via'],
  ): Promise<void> {
    const doc: TeamsUserLinkDoc = {
      _id: linkId(msTenantId, aadObjectId),
      msTenantId,
      aadObjectId,
      tenantId,
      userId: user._id,
      via,
      createdAt: new Date(),
    };
    // Listed before it is written, so the person's list never misses it.
    await linkLists.add(user._id, doc._id);
    if (via === 'confirmed') {
      const before = await Links.findById(doc._id, { userId: 1 }).lean();
      await Links.replaceOne({ _id: doc._id }, doc, { upsert: true });
      if (before && before.userId !== user._id) await linkLists.remove(before.userId, [doc._id]);
      return;
    }
    try {
      await Links.create(doc);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  return {
    remember,
    /** The Quorum person a Teams user confirmed they are, in `tenantId`; undefined when none. */
    linkedUser,

    async tenantOf(msTenantId: string): Promise<string | undefined> {
      const cached = tenants.get(msTenantId);
      if (cached) return cached;
      let tenantId = (await Tenants.findById(msTenantId).lean())?.tenantId;
      if (!tenantId) {
        const only = await onlyTenant(store);
        if (only) tenantId = await insertTenant(msTenantId, only);
      }
      if (tenantId) tenants.set(msTenantId, tenantId);
      return tenantId;
    },

    /** Links an unlinked Microsoft tenant; says whose it is when it was already linked. */
    async linkTenant(msTenantId: string, tenantId: string): Promise<'linked' | 'other-tenant'> {
      const owner = await insertTenant(msTenantId, tenantId);
      tenants.delete(msTenantId);
      return owner === tenantId ? 'linked' : 'other-tenant';
    },

    /** The Quorum person behind a Teams user, or the email Teams gave (to say so). */
    async quorumUser(
      api: ApiClient,
      where: { msTenantId: string; tenantId: string; conversationId: string },
      from: { id: string; aadObjectId?: string | undefined },
    ): Promise<{ user: UserDoc } | { user: undefined; teamsEmail: string | null }> {
      const aad = from.aadObjectId;
      const linked = aad ? await linkedUser(where.msTenantId, where.tenantId, aad) : undefined;
      if (linked) return { user: linked };
      const found = await member(api, where.conversationId, from.id);
      if (!found?.email) return { user: undefined, teamsEmail: null };
      const user = await findActiveTenantUserByEmail(store, where.tenantId, found.email);
      if (!user) return { user: undefined, teamsEmail: found.email };
      const aadObjectId = aad ?? found.aadObjectId;
      if (aadObjectId) await remember(where.msTenantId, where.tenantId, aadObjectId, user, 'email');
      return { user };
    },

    /** A mentioned Teams user as an attendee: their Quorum email, else their Teams email. */
    async attendee(
      api: ApiClient,
      where: { msTenantId: string; tenantId: string; conversationId: string },
      mentioned: { id: string; name: string },
    ): Promise<{ email: string; name: string } | undefined> {
      // A mention in a card or a chat names the user by a 29: id or by the AAD object id.
      const aad = /^[0-9a-f-]{36}$/i.test(mentioned.id) ? mentioned.id : undefined;
      const linked = aad ? await linkedUser(where.msTenantId, where.tenantId, aad) : undefined;
      if (linked) return { email: linked.email, name: linked.name };
      const found = await member(api, where.conversationId, mentioned.id);
      if (found?.aadObjectId) {
        const byLink = await linkedUser(where.msTenantId, where.tenantId, found.aadObjectId);
        if (byLink) return { email: byLink.email, name: byLink.name };
      }
      return found?.email ? { email: found.email, name: found.name || mentioned.name } : undefined;
    },

    /** The Teams (AAD) id of a Quorum person in a Microsoft tenant, when known. */
    async aadIdOf(msTenantId: string, userId: string): Promise<string | undefined> {
      const ids = (await linkLists.ids(userId)).filter((id) => id.startsWith(`${msTenantId}:`));
      const links = await findByIds(Links, ids);
      return links.find((l) => l.userId === userId && l.msTenantId === msTenantId)?.aadObjectId;
    },

    /** Remembers where the bot may post, for proactive messages. */
    async rememberConversation(doc: Omit<TeamsConversationDoc, 'createdAt' | 'updatedAt'>) {
      await Conversations.updateOne(
        { _id: doc._id },
        {
          $set: { ...doc, updatedAt: new Date() },
          $setOnInsert: { createdAt: new Date() },
        },
        { upsert: true },
      );
    },

    conversation(conversationId: string) {
      return Conversations.findById(conversationId).lean();
    },

    async msTenantsOf(tenantId: string) {
      const found = await findByIds(Tenants, await tenantLists.ids(tenantId));
      return found.filter((t) => t.tenantId === tenantId);
    },
  };
}

export type Directory = ReturnType<typeof createDirectory>;

/** Teams links are personal data: exported with the account and erased with it. */
export function teamsPersonalData(store: Store): PersonalDataSection {
  const lists = teamsLinkList(store);
  const links = async (user: UserDoc) =>
    (await findByIds(store.controlModel(TeamsUserLink), await lists.ids(user._id))).filter(
      (l) => l.userId === user._id,
    );
  return {
    name: 'teams',
    async export(_ctx, user) {
      return {
        links: (await links(user)).map((l) => ({
          msTenantId: l.msTenantId,
          aadObjectId: l.aadObjectId,
          via: l.via,
          createdAt: l.createdAt,
        })),
      };
    },
    async count(_ctx, user) {
      return { teamsLinks: (await links(user)).length };
    },
    async erase(_ctx, user) {
      const ids = (await links(user)).map((l) => l._id);
      const removed = await deleteByIds(store.controlModel(TeamsUserLink), ids);
      await lists.drop(user._id);
      return { teamsLinks: removed };
    },
  };
}
