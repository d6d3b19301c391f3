// Calendar connections: connecting a person's Google, Microsoft 365 or CalDAV calendar,
// listing and disconnecting them, and turning a person into the CalendarProvider that answers
// for their calendar (the local calendar when they connected none).
//
// The parts: oauth-grants.ts (connect over OAuth), disconnection.ts, user-calendars.ts (who
// answers for whom), connection-writer.ts (the record). The vendor clients themselves come in
// through the CalendarVendors port (../vendors.ts), built by infra/providers.
import type { Logger } from '../../logger.ts';
import type { PersonalDataSection } from '../../identity/personal-data.ts';
import type { Envelope } from '../../privacy/envelope.ts';
import type { Store } from '../../store/store.ts';
import type { TenantContext } from '../../store/tenant-context.ts';
import type { FreeBusyLookup } from '../free-busy.ts';
import type { AccessTokenSource, CalendarProvider } from '../provider.ts';
import type { CalendarVendors } from '../vendors.ts';
import { assertReachableCalDavHost } from './caldav-address.ts';
import { checkCalDavAccess, checkCalDavUrl, type CalDavCredentials } from './caldav-check.ts';
import { summarize, type ConnectionSummary, type OAuthProvider } from './connection-model.ts';
import { connectionRecords, type ConnectionRecords } from './connection-records.ts';
import { ConnectionWriter } from './connection-writer.ts';
import { Disconnection, type DisconnectResult } from './disconnection.ts';
import type { CalendarOAuthClient } from './oauth-client.ts';
import { OAuthGrants, type PendingConnect } from './oauth-grants.ts';
import { createTokenSources } from './token-source.ts';
import {
  byConnectedAt,
  UserCalendars,
  type CalendarOwner,
  type UserCalendar,
} from './user-calendars.ts';

export type { CalendarOwner, DisconnectResult, PendingConnect, UserCalendar };

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
  /** Builds the Google, Microsoft and CalDAV calendars (infra/providers). */
  vendors: CalendarVendors;
  oauth: Partial<Record<OAuthProvider, CalendarOAuthClient>>;
  /** Microsoft clients other than the sign-in one that may hold grants (`teams`), by name. */
  delegated?: Readonly<Record<string, CalendarOAuthClient>>;
  now?: () => Date;
  refreshMarginMs?: number;
  /** How long checking CalDAV credentials may take (default 20 s). */
  caldavCheckTimeoutMs?: number;
  /** Whether CalDAV servers may sit in private networks (default: no; loopback always may). */
  caldavAllowPrivateNetworks?: boolean;
  logger?: Logger;
}

export function createCalendarConnections(
  options: CalendarConnectionsOptions,
): CalendarConnections {
  const now = options.now ?? (() => new Date());
  const delegated = options.delegated ?? {};
  const records = connectionRecords({ store: options.store, envelope: options.envelope });
  const writer = new ConnectionWriter(records, now);
  const tokens = createTokenSources({
    records,
    oauth: options.oauth,
    delegated,
    now,
    ...(options.refreshMarginMs !== undefined ? { refreshMarginMs: options.refreshMarginMs } : {}),
  });
  const grants = new OAuthGrants({
    oauth: options.oauth,
    delegated,
    writer,
    logger: options.logger,
  });
  const disconnection = new Disconnection({ records, writer, oauth: options.oauth, delegated });
  const calendars = new UserCalendars({
    store: options.store,
    envelope: options.envelope,
    records,
    tokens,
    vendors: options.vendors,
    allowPrivateNetworks: options.caldavAllowPrivateNetworks ?? false,
  });
  const connectCalDav = caldavConnector(options, writer, now);

  const service: CalendarConnections = {
    oauthProviders: grants.providers(),
    startOAuth: (owner, provider, redirectUri) => grants.start(owner, provider, redirectUri),
    finishOAuth: (ctx, owner, pending, callbackUrl, redirectUri) =>
      grants.finish(ctx, owner, pending, callbackUrl, redirectUri),
    connectOnBehalfOf: (ctx, owner, grant) => grants.onBehalfOf(ctx, owner, grant),
    connectCalDav,
    async list(ctx, userId) {
      const docs = await records.ofUsers(ctx, [userId]);
      return byConnectedAt(docs).map(summarize);
    },
    disconnect: (ctx, userId, connectionId) => disconnection.disconnect(ctx, userId, connectionId),
    async calendarFor(ctx, owner) {
      const [calendar] = await calendars.calendarsFor(ctx, [owner]);
      return calendar!;
    },
    calendarsFor: (ctx, owners) => calendars.calendarsFor(ctx, owners),
    tokenSource: (ctx, connectionId) => tokens.sourceFor(ctx, connectionId),
    reportProviderError: (provider, error) => calendars.reportProviderError(provider, error),
    onProviderError(lookup, error) {
      calendars.reportProviderError(lookup.provider, error).catch((failure: unknown) => {
        options.logger?.warn(
          { reason: failure instanceof Error ? failure.message : String(failure) },
          'could not mark a broken calendar connection',
        );
      });
    },
    personalDataSection: () => personalDataSection(service, records),
  };
  return service;
}

/** Connects a CalDAV account after signing in to it once with the credentials given. */
function caldavConnector(
  options: CalendarConnectionsOptions,
  writer: ConnectionWriter,
  now: () => Date,
): CalendarConnections['connectCalDav'] {
  const allowPrivateNetworks = options.caldavAllowPrivateNetworks ?? false;
  return async (ctx, owner, credentials) => {
    const checked = checkCalDavUrl(credentials.serverUrl);
    await assertReachableCalDavHost(checked, { allowPrivateNetworks });
    const serverUrl = checked.href;
    // The account's own address when the username is one (iCloud, Fastmail); else the person's.
    const accountEmail = credentials.username.includes('@') ? credentials.username : owner.email;
    await checkCalDavAccess({ ...credentials, serverUrl }, accountEmail, {
      timeoutMs: options.caldavCheckTimeoutMs ?? 20_000,
      now: now(),
      vendors: options.vendors,
    });
    const doc = await writer.save(
      ctx,
      owner._id,
      'caldav',
      { accountEmail, scopes: [], expiresAt: null, serverUrl, username: credentials.username },
      { password: credentials.password },
    );
    return summarize(doc);
  };
}

/** A person's connections in their data export, count and erasure (each one disconnected). */
function personalDataSection(
  service: CalendarConnections,
  records: ConnectionRecords,
): PersonalDataSection {
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
}
