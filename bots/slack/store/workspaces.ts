// Slack workspaces and the Quorum tenant each belongs to, in the control database.
//
// One workspace (SLACK_BOT_TOKEN): the token lives in the settings; the workspace is linked to
// a tenant on first use when this Quorum has exactly one organization, otherwise by the first
// administrator who links their Slack account (/meet connect).
// Many workspaces (OAuth install): each install stores the workspace's bot token sealed with
// the tenant's token key (core/privacy/envelope.ts), and implements Bolt's InstallationStore.
//
// Every read is by exact `_id`: a workspace by its team id; a tenant's workspaces through the
// tenant's list (core/identity/lists.ts), which gets a workspace before it is written; "the only
// organization" through its markers (core/identity/tenants.ts).
import { Schema, type Model } from 'mongoose';
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import { ownerList, type OwnerList } from '../../../core/identity/lists.ts';
import { onlyTenant } from '../../../core/identity/tenants.ts';
import { findByIds } from '../../../core/store/by-id.ts';
import { isDuplicateKeyError } from '../../../core/privacy/duplicate-key.ts';
import type { Envelope, FieldTarget } from '../../../core/privacy/envelope.ts';
import { ExpiringLru } from '../../../core/privacy/expiring-lru.ts';
import { defineModel, type Store } from '../../../core/store/store.ts';
import { verifiedTenantContext } from '../../../core/store/tenant-context.ts';

export interface SlackWorkspaceDoc {
  /** The Slack team id. */
  _id: string;
  tenantId: string;
  teamName: string | null;
  /** Sealed bot token of an OAuth install; null when the token comes from the settings. */
  botToken: string | null;
  botUserId: string | null;
  botId: string | null;
  appId: string | null;
  scopes: string[];
  installedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const SlackWorkspace = defineModel<SlackWorkspaceDoc>(
  'SlackWorkspace',
  new Schema<SlackWorkspaceDoc>(
    {
      _id: { type: String, required: true },
      tenantId: { type: String, required: true, index: true },
      teamName: { type: String, default: null },
      botToken: { type: String, default: null },
      botUserId: { type: String, default: null },
      botId: { type: String, default: null },
      appId: { type: String, default: null },
      scopes: { type: [String], default: [] },
      installedBy: { type: String, default: null },
      createdAt: { type: Date, default: () => new Date() },
      updatedAt: { type: Date, default: () => new Date() },
    },
    { collection: 'slack_workspaces', versionKey: false },
  ),
);

export interface BotCredentials {
  botToken: string;
  botUserId?: string;
  botId?: string;
}

/** What the OAuth flow decided before the installation is stored (set in afterInstallation). */
export interface InstallDecision {
  tenantId: string;
}

/** Each tenant's Slack workspaces (team ids). */
export function slackWorkspaceList(store: Store): OwnerList {
  return ownerList(store, 'tenant', 'slackWorkspaces');
}

const tokenTarget = (teamId: string): FieldTarget => ({
  collection: 'slack_workspaces',
  id: teamId,
  field: 'botToken',
});

export interface WorkspacesDeps {
  store: Store;
  envelope: Envelope;
  /** The bot token of the one workspace, when Quorum serves one. */
  botToken?: string;
}

export function createWorkspaces(deps: WorkspacesDeps): WorkspaceStore {
  return new WorkspaceStore(deps);
}

function blankDoc(teamId: string, tenantId: string): SlackWorkspaceDoc {
  return {
    _id: teamId,
    tenantId,
    teamName: null,
    botToken: null,
    botUserId: null,
    botId: null,
    appId: null,
    scopes: [],
    installedBy: null,
    createdAt: new Date(),
    updatedAt: new Date(),
  };
}

export class WorkspaceStore {
  readonly #deps: WorkspacesDeps;
  readonly #Workspaces: Model<SlackWorkspaceDoc>;
  readonly #lists: OwnerList;
  // Opening a sealed token costs a key unwrap; a short cache keeps the 3-second ack cheap.
  readonly #credentials = new ExpiringLru<BotCredentials>({ max: 1000, ttlMs: 60_000 });
  // Which tenant a workspace belongs to changes only by an install or a first link.
  readonly #tenants = new ExpiringLru<string>({ max: 1000, ttlMs: 60_000 });

  /** Bolt's InstallationStore for the OAuth install; its methods may be called unbound. */
  readonly installationStore: InstallationStore = {
    storeInstallation: (installation) => this.#storeInstallation(installation),
    fetchInstallation: (query) => this.#fetchInstallation(query),
    deleteInstallation: (query) => this.#deleteInstallation(query),
  };

  constructor(deps: WorkspacesDeps) {
    this.#deps = deps;
    this.#Workspaces = deps.store.controlModel(SlackWorkspace);
    this.#lists = slackWorkspaceList(deps.store);
  }

  find(teamId: string) {
    return this.#Workspaces.findById(teamId).lean();
  }

  /**
   * The tenant a workspace belongs to. With one workspace and one organization they are
   * linked on first use; otherwise an administrator links them (see `link`).
   */
  async tenantOf(teamId: string): Promise<string | undefined> {
    const cached = this.#tenants.get(teamId);
    if (cached) return cached;
    let tenantId = (await this.#Workspaces.findById(teamId).lean())?.tenantId;
    if (!tenantId && this.#deps.botToken) {
      const only = await onlyTenant(this.#deps.store);
      if (only) tenantId = (await this.#insertOnce(blankDoc(teamId, only))).tenantId;
    }
    if (tenantId) this.#tenants.set(teamId, tenantId);
    return tenantId;
  }

  /** Links an unlinked workspace to a tenant; says whose it is when it was already linked. */
  async link(teamId: string, tenantId: string): Promise<'linked' | 'other-tenant'> {
    const doc = await this.#insertOnce(blankDoc(teamId, tenantId));
    return doc.tenantId === tenantId ? 'linked' : 'other-tenant';
  }

  /** The bot token to act in a workspace with. */
  async credentialsFor(teamId: string): Promise<BotCredentials | undefined> {
    if (this.#deps.botToken) return { botToken: this.#deps.botToken };
    const cached = this.#credentials.get(teamId);
    if (cached) return cached;
    try {
      const installation = await this.#fetchInstallation({
        teamId,
        enterpriseId: undefined,
        isEnterpriseInstall: false,
      });
      const found: BotCredentials = {
        botToken: installation.bot!.token,
        botUserId: installation.bot!.userId,
        botId: installation.bot!.id,
      };
      this.#credentials.set(teamId, found);
      return found;
    } catch {
      return undefined;
    }
  }

  /** The workspaces of a tenant, for messages Quorum starts itself (summaries). */
  async ofTenant(tenantId: string) {
    const found = await findByIds(this.#Workspaces, await this.#lists.ids(tenantId));
    return found
      .filter((w) => w.tenantId === tenantId)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }

  async #insertOnce(doc: SlackWorkspaceDoc): Promise<SlackWorkspaceDoc> {
    const Workspaces = this.#Workspaces;
    await this.#lists.add(doc.tenantId, doc._id);
    try {
      await Workspaces.create(doc);
      return doc;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const existing = (await Workspaces.findById(doc._id).lean()) ?? doc;
      if (existing.tenantId !== doc.tenantId) await this.#lists.remove(doc.tenantId, [doc._id]);
      return existing;
    }
  }

  async #storeInstallation(installation: Installation): Promise<void> {
    const Workspaces = this.#Workspaces;
    const teamId = installation.team?.id;
    const decision = JSON.parse(installation.metadata ?? '{}') as Partial<InstallDecision>;
    if (!teamId || !installation.bot || !decision.tenantId) {
      throw new Error('a Slack installation needs a team, a bot token and a tenant');
    }
    const ctx = verifiedTenantContext(decision.tenantId, 'installation');
    const sealed = await this.#deps.envelope.sealToken(
      ctx,
      tokenTarget(teamId),
      installation.bot.token,
    );
    const existing = await Workspaces.findById(teamId).lean();
    await this.#lists.add(decision.tenantId, teamId);
    // One install at a time per workspace writes this document: a plain replace is enough.
    await Workspaces.replaceOne(
      { _id: teamId },
      {
        tenantId: decision.tenantId,
        teamName: installation.team?.name ?? null,
        botToken: sealed,
        botUserId: installation.bot.userId,
        botId: installation.bot.id,
        appId: installation.appId ?? null,
        scopes: installation.bot.scopes,
        installedBy: installation.user.id,
        createdAt: existing?.createdAt ?? new Date(),
        updatedAt: new Date(),
      },
      { upsert: true },
    );
    if (existing && existing.tenantId !== decision.tenantId) {
      await this.#lists.remove(existing.tenantId, [teamId]);
    }
    this.#credentials.delete(teamId);
    this.#tenants.delete(teamId);
  }

  async #fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation> {
    const teamId = query.teamId;
    const doc = teamId ? await this.#Workspaces.findById(teamId).lean() : null;
    if (!doc?.botToken) throw new Error(`Quorum is not installed in Slack workspace ${teamId}`);
    const ctx = verifiedTenantContext(doc.tenantId, 'installation');
    const token = await this.#deps.envelope.openToken(ctx, tokenTarget(doc._id), doc.botToken);
    return {
      team: { id: doc._id, ...(doc.teamName ? { name: doc.teamName } : {}) },
      enterprise: undefined,
      user: { token: undefined, scopes: undefined, id: doc.installedBy ?? '' },
      bot: {
        token,
        scopes: doc.scopes,
        id: doc.botId ?? '',
        userId: doc.botUserId ?? '',
      },
      ...(doc.appId ? { appId: doc.appId } : {}),
      tokenType: 'bot',
      isEnterpriseInstall: false,
      authVersion: 'v2',
    };
  }

  async #deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    const Workspaces = this.#Workspaces;
    if (!query.teamId) return;
    const existing = await Workspaces.findById(query.teamId, { tenantId: 1 }).lean();
    await Workspaces.deleteOne({ _id: query.teamId });
    if (existing) await this.#lists.remove(existing.tenantId, [query.teamId]);
    this.#credentials.delete(query.teamId);
    this.#tenants.delete(query.teamId);
  }
}

export type Workspaces = WorkspaceStore;
