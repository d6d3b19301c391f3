// Who a Slack user is in Quorum: a stored link (made by /meet connect, or remembered after the
// first match), else the Slack profile's email matching a person of the workspace's tenant.
// Mentioned people become attendee emails the same way; anyone else is a guest by email.
//
// Every lookup is by exact `_id`: a link by `${teamId}:${slackUserId}`, a person by id or by
// their email key (core/identity/users.ts), and a person's links through their link list
// (core/identity/lists.ts), which gets a link's id before the link is written.
import type { webApi } from '@slack/bolt';
import type { Model } from 'mongoose';
import type { OwnerList } from '../../../core/identity/lists.ts';
import type { UserDoc } from '../../../core/identity/models.ts';
import { findActiveTenantUserByEmail, findTenantUser } from '../../../core/identity/users.ts';
import { findByIds } from '../../../core/store/by-id.ts';
import { isDuplicateKeyError } from '../../../core/privacy/duplicate-key.ts';
import { ExpiringLru } from '../../../core/privacy/expiring-lru.ts';
import type { Mention } from '../../../core/scheduling/command-text/index.ts';
import type { Store } from '../../../core/store/store.ts';
import { SlackUserLink, slackLinkList, type SlackUserLinkDoc } from '../store/people-links.ts';

export interface SlackProfile {
  id: string;
  name: string;
  email: string | null;
  timeZone: string | null;
  isBot: boolean;
}

/** A Slack user's profile (users.info); undefined when Slack does not know them. */
export async function slackProfile(
  client: webApi.WebClient,
  slackUserId: string,
): Promise<SlackProfile | undefined> {
  try {
    const { user } = await client.users.info({ user: slackUserId });
    if (!user?.id || user.deleted) return undefined;
    return {
      id: user.id,
      name:
        user.real_name ||
        user.profile?.real_name ||
        user.profile?.display_name ||
        user.name ||
        user.id,
      email: user.profile?.email?.toLowerCase() ?? null,
      timeZone: user.tz ?? null,
      isBot: Boolean(user.is_bot),
    };
  } catch (error) {
    if ((error as { data?: { error?: string } }).data?.error === 'user_not_found') return undefined;
    throw error;
  }
}

export interface Workspace {
  teamId: string;
  tenantId: string;
}

// Every command asks who its sender is, so answers are kept briefly: people for 30 seconds (a
// deleted account stops working within that), Slack profiles for 5 minutes.
const PERSON_TTL_MS = 30_000;
const PROFILE_TTL_MS = 5 * 60_000;

export function createSlackPeople(store: Store): SlackPeopleStore {
  return new SlackPeopleStore(store);
}

const linkId = (teamId: string, slackUserId: string) => `${teamId}:${slackUserId}`;

export class SlackPeopleStore {
  readonly #store: Store;
  readonly #Links: Model<SlackUserLinkDoc>;
  readonly #lists: OwnerList;
  readonly #known = new ExpiringLru<UserDoc>({ max: 10_000, ttlMs: PERSON_TTL_MS });
  readonly #profiles = new ExpiringLru<SlackProfile | null>({
    max: 10_000,
    ttlMs: PROFILE_TTL_MS,
  });

  constructor(store: Store) {
    this.#store = store;
    this.#Links = store.controlModel(SlackUserLink);
    this.#lists = slackLinkList(store);
  }

  async #profileOf(
    client: webApi.WebClient,
    teamId: string,
    slackUserId: string,
  ): Promise<SlackProfile | undefined> {
    const key = linkId(teamId, slackUserId);
    const cached = this.#profiles.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const found = await slackProfile(client, slackUserId);
    this.#profiles.set(key, found ?? null);
    return found;
  }

  async linkedUser(ws: Workspace, slackUserId: string): Promise<UserDoc | undefined> {
    const key = linkId(ws.teamId, slackUserId);
    const cached = this.#known.get(key);
    if (cached && cached.tenantId === ws.tenantId) return cached;
    const link = await this.#Links.findById(key).lean();
    if (!link || link.tenantId !== ws.tenantId) return undefined;
    const user = await findTenantUser(this.#store, ws.tenantId, link.userId, { active: true });
    if (!user) return undefined;
    this.#known.set(key, user);
    return user;
  }

  async remember(
    ws: Workspace,
    slackUserId: string,
    user: UserDoc,
    via: SlackUserLinkDoc['via'],
  ): Promise<void> {
    const Links = this.#Links;
    const doc: SlackUserLinkDoc = {
      _id: linkId(ws.teamId, slackUserId),
      teamId: ws.teamId,
      slackUserId,
      tenantId: ws.tenantId,
      userId: user._id,
      via,
      createdAt: new Date(),
    };
    this.#known.delete(doc._id);
    // Listed before it is written, so the person's list never misses it.
    await this.#lists.add(user._id, doc._id);
    if (via === 'confirmed') {
      // The person said so themselves: this replaces whatever was there.
      const before = await Links.findById(doc._id, { userId: 1 }).lean();
      await Links.replaceOne({ _id: doc._id }, doc, { upsert: true });
      if (before && before.userId !== user._id) await this.#lists.remove(before.userId, [doc._id]);
      return;
    }
    try {
      await Links.create(doc);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  /** The Quorum person behind a Slack user, or why there is none. */
  async quorumUser(
    client: webApi.WebClient,
    ws: Workspace,
    slackUserId: string,
  ): Promise<{ user: UserDoc } | { user: undefined; slackEmail: string | null }> {
    const linked = await this.linkedUser(ws, slackUserId);
    if (linked) return { user: linked };
    const profile = await this.#profileOf(client, ws.teamId, slackUserId);
    if (!profile?.email || profile.isBot) return { user: undefined, slackEmail: null };
    const user = await findActiveTenantUserByEmail(this.#store, ws.tenantId, profile.email);
    if (!user) return { user: undefined, slackEmail: profile.email };
    await this.remember(ws, slackUserId, user, 'email');
    return { user };
  }

  /** The Slack user of a Quorum person in a workspace: their link, else their email. */
  async slackUserOf(
    client: webApi.WebClient,
    teamId: string,
    user: Pick<UserDoc, '_id' | 'email'>,
  ): Promise<string | undefined> {
    const inTeam = (await this.#lists.ids(user._id)).filter((id) => id.startsWith(`${teamId}:`));
    const links = await findByIds(this.#Links, inTeam);
    const link = links.find((l) => l.userId === user._id && l.teamId === teamId);
    if (link) return link.slackUserId;
    try {
      const found = await client.users.lookupByEmail({ email: user.email });
      return found.user?.id;
    } catch {
      return undefined;
    }
  }

  /**
   * Attendees from what was mentioned, in the order typed. Slack users become their Quorum
   * email (or their Slack email for people outside Quorum); a bare handle Slack did not link
   * cannot be resolved and is reported. `key` is what was typed: the user id or the email.
   */
  async attendees(
    client: webApi.WebClient,
    ws: Workspace,
    mentions: readonly Mention[],
  ): Promise<{
    people: Array<{ key: string; email: string; name?: string }>;
    unresolved: string[];
  }> {
    const found = await Promise.all(
      mentions.map(async (mention) => {
        if (mention.kind === 'email') return { key: mention.email, email: mention.email };
        if (!/^[UW][A-Z0-9]{2,}$/.test(mention.ref)) return { unresolved: `@${mention.ref}` };
        const linked = await this.linkedUser(ws, mention.ref);
        if (linked) return { key: mention.ref, email: linked.email, name: linked.name };
        const profile = await this.#profileOf(client, ws.teamId, mention.ref);
        if (profile?.email && !profile.isBot) {
          return { key: mention.ref, email: profile.email, name: profile.name };
        }
        return { unresolved: `<@${mention.ref}>` };
      }),
    );
    return {
      people: found.filter((f): f is { key: string; email: string; name?: string } => 'key' in f),
      unresolved: found.flatMap((f) => ('unresolved' in f && f.unresolved ? [f.unresolved] : [])),
    };
  }
}

export type SlackPeople = SlackPeopleStore;
