// Turning people into the CalendarProvider that answers for their calendar: the one they
// connected most recently (built by the providers layer through the CalendarVendors port), or
// the local calendar in Quorum's database when they connected none. Remembers which connection
// each handed-out provider speaks for, so a failure that means the grant is dead marks it.
import type { UserDoc } from '../../identity/models.ts';
import type { Envelope } from '../../privacy/envelope.ts';
import type { Store } from '../../store/store.ts';
import type { TenantContext } from '../../store/tenant-context.ts';
import { localCalendarProvider } from '../local/local-calendar.ts';
import { isConnectionBroken } from '../oauth-retry.ts';
import { GrantRevokedError, ProviderError, type CalendarProvider } from '../provider.ts';
import type { CalendarVendors } from '../vendors.ts';
import { assertReachableCalDavHost } from './caldav-address.ts';
import {
  PROVIDER_LABEL,
  summarize,
  type CalendarConnectionDoc,
  type ConnectionSummary,
} from './connection-model.ts';
import type { ConnectionRecords } from './connection-records.ts';
import type { TokenSources } from './token-source.ts';
import { unavailableCalendar } from './unavailable-calendar.ts';

/** The person a calendar belongs to. */
export type CalendarOwner = Pick<UserDoc, '_id' | 'email'>;

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

export interface UserCalendarsOptions {
  store: Store;
  /** The local calendar seals its events' titles with it. */
  envelope: Envelope;
  records: ConnectionRecords;
  tokens: TokenSources;
  vendors: CalendarVendors;
  allowPrivateNetworks: boolean;
}

export class UserCalendars {
  /** Which connection each handed-out provider speaks for, to mark it when it breaks. */
  private readonly issued = new WeakMap<
    CalendarProvider,
    { ctx: TenantContext; doc: CalendarConnectionDoc }
  >();

  private readonly options: UserCalendarsOptions;

  constructor(options: UserCalendarsOptions) {
    this.options = options;
  }

  /** One look-up for many people (one database query). */
  async calendarsFor(
    ctx: TenantContext,
    owners: readonly CalendarOwner[],
  ): Promise<UserCalendar[]> {
    const docs = await this.options.records.ofUsers(
      ctx,
      owners.map((o) => o._id),
    );
    // The most recently connected calendar answers for its owner.
    const latest = new Map(byConnectedAt(docs).map((doc) => [doc.userId, doc]));
    return Promise.all(
      owners.map((owner) => {
        const doc = latest.get(owner._id);
        return doc ? this.connectedCalendar(ctx, doc) : this.localCalendar(ctx, owner);
      }),
    );
  }

  /** Marks the provider's connection when `error` means its grant is dead; says whether. */
  async reportProviderError(provider: CalendarProvider, error: unknown): Promise<boolean> {
    const known = this.issued.get(provider);
    if (!known || !isConnectionBroken(error)) return false;
    await this.markBroken(known.ctx, known.doc);
    return true;
  }

  private localCalendar(ctx: TenantContext, owner: CalendarOwner): UserCalendar {
    return {
      userId: owner._id,
      calendarId: owner.email,
      provider: localCalendarProvider({
        store: this.options.store,
        envelope: this.options.envelope,
        tenant: ctx,
        ownerEmail: owner.email,
      }),
      connection: null,
    };
  }

  private async connectedCalendar(
    ctx: TenantContext,
    doc: CalendarConnectionDoc,
  ): Promise<UserCalendar> {
    const provider = await this.providerOf(ctx, doc);
    this.issued.set(provider, { ctx, doc });
    return {
      userId: doc.userId,
      calendarId: doc.accountEmail,
      provider,
      connection: summarize(doc),
      markRevoked: () => this.markBroken(ctx, doc),
    };
  }

  private async providerOf(
    ctx: TenantContext,
    doc: CalendarConnectionDoc,
  ): Promise<CalendarProvider> {
    const { vendors, tokens } = this.options;
    if (doc.status === 'needs-reconnect') {
      const problem =
        doc.problem ?? `The ${PROVIDER_LABEL[doc.provider]} calendar needs reconnecting.`;
      return unavailableCalendar(doc.provider, () => new GrantRevokedError(problem));
    }
    if (doc.provider === 'google') return vendors.google(tokens.sourceFor(ctx, doc._id));
    if (doc.provider === 'microsoft') return vendors.microsoft(tokens.sourceFor(ctx, doc._id));
    return this.caldavProvider(ctx, doc);
  }

  private async caldavProvider(
    ctx: TenantContext,
    doc: CalendarConnectionDoc,
  ): Promise<CalendarProvider> {
    try {
      const password = await this.options.records.open(ctx, doc, 'password');
      if (!password || !doc.serverUrl || !doc.username) {
        throw new Error('the connection has no server, username or password');
      }
      await assertReachableCalDavHost(new URL(doc.serverUrl), {
        allowPrivateNetworks: this.options.allowPrivateNetworks,
      });
      return this.options.vendors.caldav({
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

  /** Guarded by the secret the caller was using: a newer grant is not marked by an old failure. */
  private markBroken(ctx: TenantContext, doc: CalendarConnectionDoc): Promise<void> {
    if (doc.status === 'needs-reconnect') return Promise.resolve();
    const problem =
      doc.provider === 'caldav'
        ? 'The CalDAV server refused the stored username or app password. Connect the calendar again.'
        : `${PROVIDER_LABEL[doc.provider]} refused Quorum's calendar access. Connect the calendar again.`;
    return this.options.records.markNeedsReconnect(
      ctx,
      doc._id,
      problem,
      doc.provider === 'caldav' ? { password: doc.password } : { refreshToken: doc.refreshToken },
    );
  }
}

/** Oldest connection first. */
export function byConnectedAt(docs: CalendarConnectionDoc[]): CalendarConnectionDoc[] {
  return [...docs].sort((a, b) => a.connectedAt.getTime() - b.connectedAt.getTime());
}
