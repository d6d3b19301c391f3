// AccessTokenSource over a stored OAuth grant: opens the sealed access token, refreshes it when
// it has expired or is about to (and when the calendar API refused it), stores the new tokens
// sealed, and turns a refused refresh (`invalid_grant`) into "needs reconnecting".
//
// Refreshes of one connection in this process share one request, so a burst of calls with an
// expired token costs one round trip to the provider. Across processes the stored record is
// the meeting point: a token another node refreshed is picked up instead of refreshing again.
import { isInvalidGrant } from '../oauth-retry.ts';
import { GrantRevokedError, ProviderError, type AccessTokenSource } from '../provider.ts';
import type { TenantContext } from '../../store/tenant-context.ts';
import type { CalendarConnectionDoc, OAuthProvider } from './connection-model.ts';
import type { ConnectionRecords } from './connection-records.ts';
import type { CalendarOAuthClient } from './oauth-client.ts';

/** Refresh this long before the provider's stated expiry, so a token never dies mid-request. */
export const REFRESH_MARGIN_MS = 60_000;

/** How long a finished refresh is remembered for callers that read the record before it. */
const STALE_READ_WINDOW_MS = 30_000;

const LABEL: Record<OAuthProvider, string> = { google: 'Google', microsoft: 'Microsoft' };

export interface TokenSources {
  sourceFor(ctx: TenantContext, connectionId: string): AccessTokenSource;
}

interface TokenSourcesOptions {
  records: ConnectionRecords;
  oauth: Partial<Record<OAuthProvider, CalendarOAuthClient>>;
  /** Clients other than the providers' own, by the name a connection's `grantedTo` gives. */
  delegated?: Readonly<Record<string, CalendarOAuthClient>>;
  now: () => Date;
  refreshMarginMs?: number;
}

export function createTokenSources(options: TokenSourcesOptions): TokenSources {
  return new OAuthTokenSources(options);
}

/** The token sources of every stored OAuth connection, sharing their refreshes. */
class OAuthTokenSources implements TokenSources {
  private readonly records: ConnectionRecords;
  private readonly margin: number;
  /**
   * The latest refresh per connection and the (sealed) access token it replaces. A caller that
   * read the record before that refresh was stored still holds the old token and joins it
   * instead of refreshing again; a failed refresh is forgotten so the next call tries anew.
   */
  private readonly refreshes = new Map<string, { from: string | null; result: Promise<string> }>();

  private readonly options: TokenSourcesOptions;

  constructor(options: TokenSourcesOptions) {
    this.options = options;
    this.records = options.records;
    this.margin = options.refreshMarginMs ?? REFRESH_MARGIN_MS;
  }

  sourceFor = (ctx: TenantContext, connectionId: string): AccessTokenSource =>
    new ConnectionTokenSource(this, ctx, connectionId);

  usable(doc: CalendarConnectionDoc): boolean {
    return (
      doc.accessToken !== null &&
      (doc.expiresAt === null ||
        doc.expiresAt.getTime() - this.options.now().getTime() > this.margin)
    );
  }

  /** The stored access token, opened. */
  open(ctx: TenantContext, doc: CalendarConnectionDoc): Promise<string | null> {
    return this.records.open(ctx, doc, 'accessToken');
  }

  async current(ctx: TenantContext, id: string): Promise<CalendarConnectionDoc> {
    const doc = await (await this.records.model(ctx)).findById(id).lean();
    if (!doc) {
      throw new GrantRevokedError(
        'The calendar connection was removed. Connect the calendar again.',
      );
    }
    if (doc.status === 'needs-reconnect') {
      throw new GrantRevokedError(doc.problem ?? 'The calendar connection needs reconnecting.');
    }
    return doc;
  }

  refreshShared(ctx: TenantContext, doc: CalendarConnectionDoc): Promise<string> {
    const key = `${ctx.tenantId}/${doc._id}`;
    const latest = this.refreshes.get(key);
    if (latest && latest.from === doc.accessToken) return latest.result;
    const result = this.refreshNow(ctx, doc);
    const entry = { from: doc.accessToken, result };
    const forget = () => {
      if (this.refreshes.get(key) === entry) this.refreshes.delete(key);
    };
    this.refreshes.set(key, entry);
    result.then(() => setTimeout(forget, STALE_READ_WINDOW_MS).unref(), forget);
    return result;
  }

  private async refreshNow(ctx: TenantContext, doc: CalendarConnectionDoc): Promise<string> {
    if (doc.provider === 'caldav') {
      throw new TypeError('a CalDAV connection has no OAuth token to refresh');
    }
    const label = LABEL[doc.provider];
    const client = doc.grantedTo
      ? this.options.delegated?.[doc.grantedTo]
      : this.options.oauth[doc.provider];
    if (!client) {
      throw new ProviderError(
        `${label} calendar access is not set up on this server any more; ask your administrator`,
      );
    }
    const refreshToken = await this.records.open(ctx, doc, 'refreshToken');
    const dead = async (problem: string, cause?: unknown) => {
      await this.records.markNeedsReconnect(ctx, doc._id, problem, {
        refreshToken: doc.refreshToken,
      });
      return new GrantRevokedError(problem, { cause });
    };
    if (!refreshToken) {
      throw await dead(`The ${label} calendar access has expired. Connect the calendar again.`);
    }
    let tokens;
    try {
      tokens = await client.refresh(refreshToken);
    } catch (error) {
      if (isInvalidGrant(error)) {
        throw await dead(
          `${label} no longer accepts Quorum's calendar access (it was revoked or has expired). ` +
            'Connect the calendar again.',
          error,
        );
      }
      const detail = error instanceof Error ? error.message : String(error);
      throw new ProviderError(`refreshing the ${label} calendar token failed: ${detail}`);
    }
    const update: Partial<CalendarConnectionDoc> = {
      accessToken: await this.records.seal(ctx, doc._id, 'accessToken', tokens.accessToken),
      expiresAt: tokens.expiresAt,
      refreshedAt: this.options.now(),
    };
    // Microsoft hands out a new refresh token with each refresh; Google keeps the first one.
    if (tokens.refreshToken) {
      update.refreshToken = await this.records.seal(
        ctx,
        doc._id,
        'refreshToken',
        tokens.refreshToken,
      );
    }
    // Written only over the grant it came from: a reconnect or disconnect meanwhile stands.
    await this.records.updateUnlessReplaced(
      ctx,
      doc._id,
      { refreshToken: doc.refreshToken },
      update,
    );
    return tokens.accessToken;
  }
}

/** One connection's token source, as handed to a calendar provider. */
class ConnectionTokenSource implements AccessTokenSource {
  // The token this source last handed out: a 401 for it may already be answered by a
  // refresh someone else made.
  private handedOut: string | undefined;

  private readonly sources: OAuthTokenSources;
  private readonly ctx: TenantContext;
  private readonly connectionId: string;

  constructor(sources: OAuthTokenSources, ctx: TenantContext, connectionId: string) {
    this.sources = sources;
    this.ctx = ctx;
    this.connectionId = connectionId;
  }

  accessToken = async (): Promise<string> => {
    const doc = await this.sources.current(this.ctx, this.connectionId);
    const stored = this.sources.usable(doc) ? await this.sources.open(this.ctx, doc) : null;
    return this.give(stored ?? (await this.sources.refreshShared(this.ctx, doc)));
  };

  refresh = async (): Promise<string> => {
    const doc = await this.sources.current(this.ctx, this.connectionId);
    if (this.sources.usable(doc)) {
      const stored = await this.sources.open(this.ctx, doc);
      if (stored && stored !== this.handedOut) return this.give(stored);
    }
    return this.give(await this.sources.refreshShared(this.ctx, doc));
  };

  private give(token: string): string {
    this.handedOut = token;
    return token;
  }
}
