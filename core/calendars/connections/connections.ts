// Calendar connections: connecting a person's Google, Microsoft 365 or CalDAV calendar,
// listing and disconnecting them, and turning a person into the CalendarProvider that answers
// for their calendar (the local calendar when they connected none).
import type { Logger } from '../../logger.ts';
import type { UserDoc } from '../../identity/models.ts';
import { randomId } from '../../identity/ids.ts';
import type { PersonalDataSection } from '../../identity/personal-data.ts';
import { isDuplicateKeyError } from '../../privacy/duplicate-key.ts';
import type { Envelope } from '../../privacy/envelope.ts';
import type { Store } from '../../store/store.ts';
import type { TenantContext } from '../../store/tenant-context.ts';
import { caldavCalendarProvider } from '../caldav/caldav-calendar.ts';
import type { FreeBusyLookup } from '../free-busy.ts';
import { localCalendarProvider } from '../local/local-calendar.ts';
import { isConnectionBroken } from '../oauth-retry.ts';
import {
  GrantRevokedError,
  ProviderError,
  type AccessTokenSource,
  type CalendarProvider,
} from '../provider.ts';
import { assertReachableCalDavHost } from './caldav-address.ts';
import { checkCalDavAccess, checkCalDavUrl, type CalDavCredentials } from './caldav-check.ts';
import { CalendarConnectionError } from './connection-error.ts';
import {
  connectionKeyId,
  summarize,
  type CalendarConnectionDoc,
  type ConnectionProvider,
  type ConnectionSummary,
  type OAuthProvider,
  type SealedField,
} from './connection-model.ts';
import { connectionRecords } from './connection-records.ts';
import {
  CONSENT_PAGES,
  missingScopes,
  newAuthorizationSecrets,
  type CalendarOAuthClient,
  type IssuedTokens,
} from './oauth-client.ts';
import { createTokenSources } from './token-source.ts';
import { unavailableCalendar } from './unavailable-calendar.ts';

/** The person a calendar belongs to. */
export type CalendarOwner = Pick<UserDoc, '_id' | 'email'>;

/** What the start of a connect carries to its callback (kept by the caller, e.g. in a cookie). */
export interface PendingConnect {
  provider: OAuthProvider;
  state: string;
  codeVerifier: string;
  userId: string;
}

export interface UserCalendar {
  userId: string;
  /** The id to ask free/busy for; the answer comes back under it. */
  calendarId: string;
  provider: CalendarProvider;
  /** The connection behind `provider`, or null for the local calendar. */
  connection: ConnectionSummary | null;
  /**
   * The provider said the grant is dead: mark the connection as needing reconnection (a no-op
   * when it already is, or when it was reconnected since). Absent for the local calendar.
   */
  markRevoked?(): Promise<void>;
}

export interface DisconnectResult {
  provider: ConnectionProvider;
  /** True when the provider confirmed it revoked Quorum's grant. */
  revokedAtProvider: boolean;
  /** What the person may still want to do themselves, when anything. */
  note: string | null;
}

export interface CalendarConnections {
  /** The OAuth providers this server has clients for. */
  readonly oauthProviders: OAuthProvider[];
  startOAuth(
    owner: CalendarOwner,
    provider: OAuthProvider,
    redirectUri: string,
  ): Promise<{ url: URL; pending: PendingConnect }>;
  /** Exchanges the code, checks what was granted, stores the tokens sealed. */
  finishOAuth(
    ctx: TenantContext,
    owner: CalendarOwner,
    pending: PendingConnect,
    callbackUrl: URL,
    redirectUri: string,
  ): Promise<ConnectionSummary>;
  /**
   * Connects the person's Microsoft 365 calendar with a token another Microsoft client got for
   * them (Teams SSO), through the on-behalf-of grant of the delegated client `clientName`.
   * Nothing is stored unless all the calendar scopes and a refresh token come back.
   */
  connectOnBehalfOf(
    ctx: TenantContext,
    owner: CalendarOwner,
    grant: { clientName: string; assertion: string },
  ): Promise<ConnectionSummary>;
  /** Signs in to the server first; nothing is stored unless that works. */
  connectCalDav(
    ctx: TenantContext,
    owner: CalendarOwner,
    credentials: CalDavCredentials,
  ): Promise<ConnectionSummary>;
  list(ctx: TenantContext, userId: string): Promise<ConnectionSummary[]>;
  /** Revokes at the provider where it can, then deletes the record; null when there is none. */
  disconnect(
    ctx: TenantContext,
    userId: string,
    connectionId: string,
  ): Promise<DisconnectResult | null>;
  calendarFor(ctx: TenantContext, owner: CalendarOwner): Promise<UserCalendar>;
  /** One look-up for many people (one database query). */
  calendarsFor(ctx: TenantContext, owners: readonly CalendarOwner[]): Promise<UserCalendar[]>;
  tokenSource(ctx: TenantContext, connectionId: string): AccessTokenSource;
  /**
   * A provider call failed: when the failure means the grant is dead (refused even after a
   * refresh, or a CalDAV password refused), the connection is marked as needing reconnection.
   * Returns whether the error means that.
   */
  reportProviderError(provider: CalendarProvider, error: unknown): Promise<boolean>;
  /** `reportProviderError` shaped for `gatherFreeBusy`'s `onProviderError`. */
  readonly onProviderError: (lookup: FreeBusyLookup, error: unknown) => void;
  personalDataSection(): PersonalDataSection;
}

export interface CalendarConnectionsOptions {
  store: Store;
  envelope: Envelope;
  oauth: Partial<Record<OAuthProvider, CalendarOAuthClient>>;
  /** Microsoft clients other than the sign-in one that may hold grants (`teams`), by name. */
  delegated?: Readonly<Record<string, CalendarOAuthClient>>;
  now?: () => Date;
  /** API roots other than the public ones (a national cloud, or a local test server). */
  apiRoots?: { google?: string; microsoft?: string };
  refreshMarginMs?: number;
  /** How long checking CalDAV credentials may take (default 20 s). */
  caldavCheckTimeoutMs?: number;
  /** Whether CalDAV servers may sit in private networks (default: no; loopback always may). */
  caldavAllowPrivateNetworks?: boolean;
  logger?: Logger;
}

const LABEL: Record<ConnectionProvider, string> = {
  google: 'Google',
  microsoft: 'Microsoft',
  caldav: 'CalDAV',
};

export function createCalendarConnections(
  options: CalendarConnectionsOptions,
): CalendarConnections {
  const now = options.now ?? (() => new Date());
  const allowPrivateNetworks = options.caldavAllowPrivateNetworks ?? false;
  const records = connectionRecords({ store: options.store, envelope: options.envelope });
  const tokens = createTokenSources({
    records,
    oauth: options.oauth,
    ...(options.delegated ? { delegated: options.delegated } : {}),
    now,
    ...(options.refreshMarginMs !== undefined ? { refreshMarginMs: options.refreshMarginMs } : {}),
  });
  /** Which connection each handed-out provider speaks for, to mark it when it breaks. */
  const issued = new WeakMap<
    CalendarProvider,
    { ctx: TenantContext; doc: CalendarConnectionDoc }
  >();

  function oauthClient(provider: OAuthProvider): CalendarOAuthClient {
    const client = options.oauth[provider];
    if (!client) {
      throw new CalendarConnectionError(
        'not-configured',
        `${LABEL[provider]} calendars cannot be connected on this server: it has no ${LABEL[provider]} OAuth client set up.`,
      );
    }
    return client;
  }

  /** Creates or replaces the person's connection to `provider`, secrets sealed for its id. */
  async function save(
    ctx: TenantContext,
    userId: string,
    provider: ConnectionProvider,
    fields: Pick<
      CalendarConnectionDoc,
      'accountEmail' | 'scopes' | 'expiresAt' | 'serverUrl' | 'username'
    > &
      Partial<Pick<CalendarConnectionDoc, 'grantedTo'>>,
    secrets: Partial<Record<SealedField, string>>,
  ): Promise<CalendarConnectionDoc> {
    const id = await claimConnectionId(ctx, userId, provider);
    const seal = (field: SealedField) => {
      const value = secrets[field];
      return value ? records.seal(ctx, id, field, value) : Promise.resolve(null);
    };
    const doc: CalendarConnectionDoc = {
      _id: id,
      userId,
      provider,
      ...fields,
      grantedTo: fields.grantedTo ?? null,
      accountEmail: fields.accountEmail.trim().toLowerCase(),
      status: 'connected',
      problem: null,
      accessToken: await seal('accessToken'),
      refreshToken: await seal('refreshToken'),
      password: await seal('password'),
      connectedAt: now(),
      refreshedAt: null,
    };
    const Connections = await records.model(ctx);
    await records.exclusive(ctx, id, () =>
      Connections.replaceOne({ _id: id }, doc, { upsert: true }),
    );
    return doc;
  }

  /**
   * The id of the person's connection to `provider`: the one they have, or a new one claimed
   * with a unique insert of the key document, so two simultaneous connects share one record.
   */
  async function claimConnectionId(
    ctx: TenantContext,
    userId: string,
    provider: ConnectionProvider,
  ): Promise<string> {
    const Keys = await records.keys(ctx);
    const keyId = connectionKeyId(userId, provider);
    for (let attempt = 0; attempt < 3; attempt++) {
      const existing = await Keys.findById(keyId).lean();
      if (existing) return existing.connectionId;
      const id = randomId(20);
      try {
        await Keys.create({ _id: keyId, connectionId: id });
        return id;
      } catch (error) {
        // Another request connected the same provider first: replace that one instead.
        if (!isDuplicateKeyError(error)) throw error;
      }
    }
    throw new Error(`could not save the ${provider} connection of ${userId}: it kept changing`);
  }

  /** Best effort: a grant Quorum is refusing to keep should not linger at the provider. */
  async function revokeQuietly(client: CalendarOAuthClient, issuedTokens: IssuedTokens) {
    try {
      if (await client.canRevoke()) {
        await client.revoke(
          issuedTokens.refreshToken ?? issuedTokens.accessToken,
          issuedTokens.refreshToken ? 'refresh_token' : 'access_token',
        );
      }
    } catch (error) {
      options.logger?.warn(
        { provider: client.provider, reason: (error as Error).message },
        'could not revoke a refused calendar grant',
      );
    }
  }

  /** Refuses (and withdraws) a grant that lacks a calendar scope or a refresh token. */
  async function refuseShortGrant(
    client: CalendarOAuthClient,
    provider: OAuthProvider,
    granted: IssuedTokens,
  ): Promise<void> {
    const label = LABEL[provider];
    const missing = missingScopes(provider, granted.scopes);
    if (missing.length > 0) {
      await revokeQuietly(client, granted);
      throw new CalendarConnectionError(
        'missing-scopes',
        `${label} did not grant ${missing.join(' and ')}, which Quorum needs to read free/busy ` +
          'and book meetings. Connect again and allow all the calendar permissions asked for.',
      );
    }
    if (!granted.refreshToken) {
      await revokeQuietly(client, granted);
      throw new CalendarConnectionError(
        'no-refresh-token',
        `${label} granted access for one hour only (no refresh token came back). Connect again ` +
          'and allow offline access.',
      );
    }
  }

  /** Stores a checked grant as the owner's connection (replacing any earlier one). */
  async function keepGrant(
    ctx: TenantContext,
    owner: CalendarOwner,
    client: CalendarOAuthClient,
    provider: OAuthProvider,
    granted: IssuedTokens,
    grantedTo: string | null,
  ): Promise<ConnectionSummary> {
    await refuseShortGrant(client, provider, granted);
    const doc = await save(
      ctx,
      owner._id,
      provider,
      {
        accountEmail: owner.email,
        scopes: granted.scopes,
        expiresAt: granted.expiresAt,
        serverUrl: null,
        username: null,
        grantedTo,
      },
      { accessToken: granted.accessToken, refreshToken: granted.refreshToken },
    );
    return summarize(doc);
  }

  async function openQuietly(ctx: TenantContext, doc: CalendarConnectionDoc, field: SealedField) {
    try {
      return await records.open(ctx, doc, field);
    } catch {
      return null;
    }
  }

  async function calendarOf(
    ctx: TenantContext,
    owner: CalendarOwner,
    doc: CalendarConnectionDoc | undefined,
  ): Promise<UserCalendar> {
    if (!doc) {
      return {
        userId: owner._id,
        calendarId: owner.email,
        provider: localCalendarProvider({
          store: options.store,
          tenant: ctx,
          ownerEmail: owner.email,
        }),
        connection: null,
      };
    }
    return connectedCalendar(ctx, doc);
  }

  async function connectedCalendar(
    ctx: TenantContext,
    doc: CalendarConnectionDoc,
  ): Promise<UserCalendar> {
    let provider: CalendarProvider;
    if (doc.status === 'needs-reconnect') {
      const problem = doc.problem ?? `The ${LABEL[doc.provider]} calendar needs reconnecting.`;
      provider = unavailableCalendar(doc.provider, () => new GrantRevokedError(problem));
    } else if (doc.provider === 'google') {
      // The Google and Graph SDKs are large: loaded the first time someone uses them.
      const { googleCalendarProvider } = await import('../google/google-calendar.ts');
      provider = googleCalendarProvider({
        tokens: tokens.sourceFor(ctx, doc._id),
        ...(options.apiRoots?.google ? { rootUrl: options.apiRoots.google } : {}),
      });
    } else if (doc.provider === 'microsoft') {
      const { microsoftCalendarProvider } = await import('../microsoft/graph-calendar.ts');
      provider = microsoftCalendarProvider({
        tokens: tokens.sourceFor(ctx, doc._id),
        ...(options.apiRoots?.microsoft ? { baseUrl: options.apiRoots.microsoft } : {}),
      });
    } else {
      provider = await caldavProvider(ctx, doc);
    }
    issued.set(provider, { ctx, doc });
    return {
      userId: doc.userId,
      calendarId: doc.accountEmail,
      provider,
      connection: summarize(doc),
      markRevoked: () => markBroken(ctx, doc),
    };
  }

  /** Guarded by the secret the caller was using: a newer grant is not marked by an old failure. */
  function markBroken(ctx: TenantContext, doc: CalendarConnectionDoc): Promise<void> {
    if (doc.status === 'needs-reconnect') return Promise.resolve();
    const problem =
      doc.provider === 'caldav'
        ? 'The CalDAV server refused the stored username or app password. Connect the calendar again.'
        : `${LABEL[doc.provider]} refused Quorum's calendar access. Connect the calendar again.`;
    return records.markNeedsReconnect(
      ctx,
      doc._id,
      problem,
      doc.provider === 'caldav' ? { password: doc.password } : { refreshToken: doc.refreshToken },
    );
  }

  async function caldavProvider(
    ctx: TenantContext,
    doc: CalendarConnectionDoc,
  ): Promise<CalendarProvider> {
    try {
      const password = await records.open(ctx, doc, 'password');
      if (!password || !doc.serverUrl || !doc.username) {
        throw new Error('the connection has no server, username or password');
      }
      await assertReachableCalDavHost(new URL(doc.serverUrl), { allowPrivateNetworks });
      return caldavCalendarProvider({
        serverUrl: doc.serverUrl,
        username: doc.username,
        password,
        ownerId: doc.accountEmail,
      });
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      return unavailableCalendar(
        'caldav',
        () => new ProviderError(`the CalDAV connection cannot be used: ${detail}`),
      );
    }
  }

  /** Frees the person's key for the provider, when it still names this connection. */
  async function releaseKey(ctx: TenantContext, doc: CalendarConnectionDoc): Promise<void> {
    const Keys = await records.keys(ctx);
    const keyId = connectionKeyId(doc.userId, doc.provider);
    const key = await Keys.findById(keyId).lean();
    if (key?.connectionId === doc._id) await Keys.deleteOne({ _id: keyId });
  }

  const service: CalendarConnections = {
    oauthProviders: (['google', 'microsoft'] as const).filter((p) => options.oauth[p]),

    async startOAuth(owner, provider, redirectUri) {
      const client = oauthClient(provider);
      const secrets = newAuthorizationSecrets();
      const url = await client.authorizationUrl({
        redirectUri,
        ...secrets,
        loginHint: owner.email,
      });
      return { url, pending: { provider, ...secrets, userId: owner._id } };
    },

    async finishOAuth(ctx, owner, pending, callbackUrl, redirectUri) {
      const client = oauthClient(pending.provider);
      const label = LABEL[pending.provider];
      if (pending.userId !== owner._id) {
        throw new CalendarConnectionError(
          'grant-failed',
          'This calendar connection was started by someone else. Start it again.',
        );
      }
      let granted: IssuedTokens;
      try {
        granted = await client.exchange(callbackUrl, pending, redirectUri);
      } catch (error) {
        throw grantFailure(label, error);
      }
      // Quorum asks for calendar scopes only, not for identity, so the calendar is taken to be
      // the signed-in person's; `login_hint` made the provider offer that account.
      return keepGrant(ctx, owner, client, pending.provider, granted, null);
    },

    async connectOnBehalfOf(ctx, owner, grant) {
      const client = options.delegated?.[grant.clientName];
      if (!client) {
        throw new CalendarConnectionError(
          'not-configured',
          `Calendars cannot be connected through ${grant.clientName} on this server.`,
        );
      }
      let granted: IssuedTokens;
      try {
        granted = await client.onBehalfOf(grant.assertion);
      } catch (error) {
        throw onBehalfOfFailure(error);
      }
      // The assertion was issued to this person, so the grant is for their own calendar.
      return keepGrant(ctx, owner, client, client.provider, granted, grant.clientName);
    },

    async connectCalDav(ctx, owner, credentials) {
      const checked = checkCalDavUrl(credentials.serverUrl);
      await assertReachableCalDavHost(checked, { allowPrivateNetworks });
      const serverUrl = checked.href;
      // The account's own address when the username is one (iCloud, Fastmail); else the person's.
      const accountEmail = credentials.username.includes('@') ? credentials.username : owner.email;
      await checkCalDavAccess({ ...credentials, serverUrl }, accountEmail, {
        timeoutMs: options.caldavCheckTimeoutMs ?? 20_000,
        now: now(),
      });
      const doc = await save(
        ctx,
        owner._id,
        'caldav',
        { accountEmail, scopes: [], expiresAt: null, serverUrl, username: credentials.username },
        { password: credentials.password },
      );
      return summarize(doc);
    },

    async list(ctx, userId) {
      const docs = await records.ofUsers(ctx, [userId]);
      return byConnectedAt(docs).map(summarize);
    },

    async disconnect(ctx, userId, connectionId) {
      const Connections = await records.model(ctx);
      const doc = await Connections.findById(String(connectionId)).lean();
      if (!doc || doc.userId !== userId) return null;
      let revokedAtProvider = false;
      let note: string | null = null;
      if (doc.provider === 'caldav') {
        note =
          'Quorum deleted the app password it kept. To make sure it can never be used again, ' +
          'revoke that app password in your calendar account too.';
      } else {
        const label = LABEL[doc.provider];
        const where = CONSENT_PAGES[doc.provider];
        const refresh = await openQuietly(ctx, doc, 'refreshToken');
        const token = refresh ?? (await openQuietly(ctx, doc, 'accessToken'));
        const client = doc.grantedTo
          ? options.delegated?.[doc.grantedTo]
          : options.oauth[doc.provider];
        if (!token) {
          note = `Quorum held no live access to revoke. You can check what ${label} still allows at ${where}.`;
        } else {
          try {
            if (client && (await client.canRevoke())) {
              // Revoking the refresh token ends the whole grant, its access tokens included.
              await client.revoke(token, refresh ? 'refresh_token' : 'access_token');
              revokedAtProvider = true;
            } else {
              note =
                `${label} offers no way for an app to withdraw its own access. Quorum deleted its ` +
                `tokens; to remove the permission as well, visit ${where}.`;
            }
          } catch (error) {
            note =
              `${label} could not be reached to revoke Quorum's access (${(error as Error).message}). ` +
              `Quorum deleted its tokens; to remove the permission as well, visit ${where}.`;
          }
        }
      }
      await records.exclusive(ctx, doc._id, () => Connections.deleteOne({ _id: doc._id }));
      await releaseKey(ctx, doc);
      return { provider: doc.provider, revokedAtProvider, note };
    },

    async calendarFor(ctx, owner) {
      const [calendar] = await service.calendarsFor(ctx, [owner]);
      return calendar!;
    },

    async calendarsFor(ctx, owners) {
      const docs = await records.ofUsers(
        ctx,
        owners.map((o) => o._id),
      );
      // The most recently connected calendar answers for its owner.
      const latest = new Map(byConnectedAt(docs).map((doc) => [doc.userId, doc]));
      return Promise.all(owners.map((owner) => calendarOf(ctx, owner, latest.get(owner._id))));
    },

    tokenSource: (ctx, connectionId) => tokens.sourceFor(ctx, connectionId),

    async reportProviderError(provider, error) {
      const known = issued.get(provider);
      if (!known || !isConnectionBroken(error)) return false;
      await markBroken(known.ctx, known.doc);
      return true;
    },

    onProviderError(lookup, error) {
      service.reportProviderError(lookup.provider, error).catch((failure: unknown) => {
        options.logger?.warn(
          { reason: failure instanceof Error ? failure.message : String(failure) },
          'could not mark a broken calendar connection',
        );
      });
    },

    personalDataSection() {
      return {
        name: 'calendarConnections',
        export: (ctx, user) => service.list(ctx, user._id),
        async count(ctx, user) {
          return { calendarConnections: (await records.ofUsers(ctx, [user._id])).length };
        },
        async erase(ctx, user) {
          const docs = await records.ofUsers(ctx, [user._id]);
          let erased = 0;
          for (const { _id } of docs) {
            if (await service.disconnect(ctx, user._id, _id)) erased += 1;
          }
          return { calendarConnections: erased };
        },
      };
    },
  };
  return service;
}

/** Oldest connection first. */
function byConnectedAt(docs: CalendarConnectionDoc[]): CalendarConnectionDoc[] {
  return [...docs].sort((a, b) => a.connectedAt.getTime() - b.connectedAt.getTime());
}

/** The provider's refusal in words for the person; never the code or tokens themselves. */
/**
 * Microsoft answers an on-behalf-of request it cannot grant silently with `invalid_grant`
 * (AADSTS65001, no consent yet) or `interaction_required` (conditional access, MFA): both mean
 * the person has to go through a consent screen, which the caller offers.
 */
function onBehalfOfFailure(error: unknown): CalendarConnectionError {
  const e = error as { error?: unknown; error_description?: unknown };
  const description = typeof e.error_description === 'string' ? e.error_description : '';
  if (
    e.error === 'interaction_required' ||
    e.error === 'consent_required' ||
    (e.error === 'invalid_grant' && /AADSTS65001|consent/i.test(description))
  ) {
    return new CalendarConnectionError(
      'consent-required',
      'Microsoft needs your consent (or your administrator’s) before Quorum may use your calendar.',
      { cause: error },
    );
  }
  return grantFailure('Microsoft', error);
}

function grantFailure(label: string, error: unknown): CalendarConnectionError {
  const e = error as { error?: unknown; error_description?: unknown; message?: unknown };
  if (e.error === 'access_denied') {
    return new CalendarConnectionError(
      'declined',
      `${label} calendar access was not allowed, so nothing was connected.`,
      { cause: error },
    );
  }
  const detail =
    typeof e.error === 'string'
      ? `${e.error}${typeof e.error_description === 'string' ? `: ${e.error_description}` : ''}`
      : typeof e.message === 'string'
        ? e.message
        : String(error);
  return new CalendarConnectionError(
    'grant-failed',
    `${label} did not complete the calendar connection (${detail}). Start again.`,
    { cause: error },
  );
}
