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
import type { Model } from 'mongoose';
import type { OwnerList } from '../../../core/identity/lists.ts';
import type { UserDoc } from '../../../core/identity/models.ts';
import { onlyTenant } from '../../../core/identity/tenants.ts';
import { findActiveTenantUserByEmail, findTenantUser } from '../../../core/identity/users.ts';
import { findByIds } from '../../../core/store/by-id.ts';
import { isDuplicateKeyError } from '../../../core/privacy/duplicate-key.ts';
import { ExpiringLru } from '../../../core/privacy/expiring-lru.ts';
import type { Store } from '../../../core/store/store.ts';
import { TeamsConversation, type TeamsConversationDoc } from '../store/conversations.ts';
import {
  TeamsTenant,
  TeamsUserLink,
  teamsLinkList,
  teamsTenantList,
  type TeamsTenantDoc,
  type TeamsUserLinkDoc,
} from '../store/tenants.ts';

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

type Where = { msTenantId: string; tenantId: string; conversationId: string };

const linkId = (msTenantId: string, aadObjectId: string) => `${msTenantId}:${aadObjectId}`;

export class Directory {
  readonly #store: Store;
  readonly #tenants: Model<TeamsTenantDoc>;
  readonly #links: Model<TeamsUserLinkDoc>;
  readonly #conversations: Model<TeamsConversationDoc>;
  readonly #linkLists: OwnerList;
  readonly #tenantLists: OwnerList;
  readonly #tenantCache = new ExpiringLru<string>({ max: 1000, ttlMs: 60_000 });
  readonly #members = new ExpiringLru<TeamsMember | null>({ max: 10_000, ttlMs: MEMBER_TTL_MS });

  constructor(store: Store) {
    this.#store = store;
    this.#tenants = store.controlModel(TeamsTenant);
    this.#links = store.controlModel(TeamsUserLink);
    this.#conversations = store.controlModel(TeamsConversation);
    this.#linkLists = teamsLinkList(store);
    this.#tenantLists = teamsTenantList(store);
  }

  async #insertTenant(msTenantId: string, tenantId: string): Promise<string> {
    await this.#tenantLists.add(tenantId, msTenantId);
    try {
      await this.#tenants.create({ _id: msTenantId, tenantId, createdAt: new Date() });
      return tenantId;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const owner = (await this.#tenants.findById(msTenantId).lean())?.tenantId ?? tenantId;
      if (owner !== tenantId) await this.#tenantLists.remove(tenantId, [msTenantId]);
      return owner;
    }
  }

  async #member(api: ApiClient, conversationId: string, userId: string) {
    const key = `${conversationId} ${userId}`;
    const cached = this.#members.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const found = await memberOf(api, conversationId, userId);
    this.#members.set(key, found ?? null);
    return found;
  }

  /** The Quorum person a Teams user confirmed they are, in `tenantId`; undefined when none. */
  async linkedUser(msTenantId: string, tenantId: string, aadObjectId: string) {
    const link = await this.#links.findById(linkId(msTenantId, aadObjectId)).lean();
    if (!link || link.tenantId !== tenantId) return undefined;
    return findTenantUser(this.#store, tenantId, link.userId, { active: true });
  }

  async remember(
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
    await this.#linkLists.add(user._id, doc._id);
    if (via === 'confirmed') {
      const before = await this.#links.findById(doc._id, { userId: 1 }).lean();
      await this.#links.replaceOne({ _id: doc._id }, doc, { upsert: true });
      if (before && before.userId !== user._id)
        await this.#linkLists.remove(before.userId, [doc._id]);
      return;
    }
    try {
      await this.#links.create(doc);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  async tenantOf(msTenantId: string): Promise<string | undefined> {
    const cached = this.#tenantCache.get(msTenantId);
    if (cached) return cached;
    let tenantId = (await this.#tenants.findById(msTenantId).lean())?.tenantId;
    if (!tenantId) {
      const only = await onlyTenant(this.#store);
      if (only) tenantId = await this.#insertTenant(msTenantId, only);
    }
    if (tenantId) this.#tenantCache.set(msTenantId, tenantId);
    return tenantId;
  }

  /** Links an unlinked Microsoft tenant; says whose it is when it was already linked. */
  async linkTenant(msTenantId: string, tenantId: string): Promise<'linked' | 'other-tenant'> {
    const owner = await this.#insertTenant(msTenantId, tenantId);
    this.#tenantCache.delete(msTenantId);
    return owner === tenantId ? 'linked' : 'other-tenant';
  }

  /** The Quorum person behind a Teams user, or the email Teams gave (to say so). */
  async quorumUser(
    api: ApiClient,
    where: Where,
    from: { id: string; aadObjectId?: string | undefined },
  ): Promise<{ user: UserDoc } | { user: undefined; teamsEmail: string | null }> {
    const aad = from.aadObjectId;
    const linked = aad ? await this.linkedUser(where.msTenantId, where.tenantId, aad) : undefined;
    if (linked) return { user: linked };
    const found = await this.#member(api, where.conversationId, from.id);
    if (!found?.email) return { user: undefined, teamsEmail: null };
    const user = await findActiveTenantUserByEmail(this.#store, where.tenantId, found.email);
    if (!user) return { user: undefined, teamsEmail: found.email };
    const aadObjectId = aad ?? found.aadObjectId;
    if (aadObjectId)
      await this.remember(where.msTenantId, where.tenantId, aadObjectId, user, 'email');
    return { user };
  }

  /** A mentioned Teams user as an attendee: their Quorum email, else their Teams email. */
  async attendee(
    api: ApiClient,
    where: Where,
    mentioned: { id: string; name: string },
  ): Promise<{ email: string; name: string } | undefined> {
    // A mention in a card or a chat names the user by a 29: id or by the AAD object id.
    const aad = /^[0-9a-f-]{36}$/i.test(mentioned.id) ? mentioned.id : undefined;
    const linked = aad ? await this.linkedUser(where.msTenantId, where.tenantId, aad) : undefined;
    if (linked) return { email: linked.email, name: linked.name };
    const found = await this.#member(api, where.conversationId, mentioned.id);
    if (found?.aadObjectId) {
      const byLink = await this.linkedUser(where.msTenantId, where.tenantId, found.aadObjectId);
      if (byLink) return { email: byLink.email, name: byLink.name };
    }
    return found?.email ? { email: found.email, name: found.name || mentioned.name } : undefined;
  }

  /** The Teams (AAD) id of a Quorum person in a Microsoft tenant, when known. */
  async aadIdOf(msTenantId: string, userId: string): Promise<string | undefined> {
    const ids = (await this.#linkLists.ids(userId)).filter((id) => id.startsWith(`${msTenantId}:`));
    const links = await findByIds(this.#links, ids);
    return links.find((l) => l.userId === userId && l.msTenantId === msTenantId)?.aadObjectId;
  }

  /** Remembers where the bot may post, for proactive messages. */
  async rememberConversation(doc: Omit<TeamsConversationDoc, 'createdAt' | 'updatedAt'>) {
    await this.#conversations.updateOne(
      { _id: doc._id },
      {
        $set: { ...doc, updatedAt: new Date() },
        $setOnInsert: { createdAt: new Date() },
      },
      { upsert: true },
    );
  }

  conversation(conversationId: string) {
    return this.#conversations.findById(conversationId).lean();
  }

  async msTenantsOf(tenantId: string) {
    const found = await findByIds(this.#tenants, await this.#tenantLists.ids(tenantId));
    return found.filter((t) => t.tenantId === tenantId);
  }
}

export function createDirectory(store: Store): Directory {
  return new Directory(store);
}
