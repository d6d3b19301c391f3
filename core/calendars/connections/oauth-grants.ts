// Connecting a calendar over OAuth: the redirect to the provider's consent, the callback's code
// exchange, and Teams SSO's on-behalf-of grant. A grant is kept only when it has every calendar
// scope and a refresh token; otherwise it is withdrawn at the provider and refused.
import type { Logger } from '../../logger.ts';
import type { TenantContext } from '../../store/tenant-context.ts';
import { CalendarConnectionError } from './connection-error.ts';
import {
  PROVIDER_LABEL,
  summarize,
  type ConnectionSummary,
  type OAuthProvider,
} from './connection-model.ts';
import type { ConnectionWriter } from './connection-writer.ts';
import { grantFailure, onBehalfOfFailure } from './grant-failures.ts';
import {
  missingScopes,
  newAuthorizationSecrets,
  type CalendarOAuthClient,
  type IssuedTokens,
} from './oauth-client.ts';
import type { CalendarOwner } from './user-calendars.ts';

/** What the start of a connect carries to its callback (kept by the caller, e.g. in a cookie). */
export interface PendingConnect {
  provider: OAuthProvider;
  state: string;
  codeVerifier: string;
  userId: string;
}

export interface OAuthGrantsOptions {
  oauth: Partial<Record<OAuthProvider, CalendarOAuthClient>>;
  /** Microsoft clients other than the sign-in one that may hold grants (`teams`), by name. */
  delegated: Readonly<Record<string, CalendarOAuthClient>>;
  writer: ConnectionWriter;
  logger?: Logger | undefined;
}

export class OAuthGrants {
  private readonly options: OAuthGrantsOptions;

  constructor(options: OAuthGrantsOptions) {
    this.options = options;
  }

  /** The OAuth providers this server has clients for. */
  providers(): OAuthProvider[] {
    return (['google', 'microsoft'] as const).filter((p) => this.options.oauth[p]);
  }

  async start(
    owner: CalendarOwner,
    provider: OAuthProvider,
    redirectUri: string,
  ): Promise<{ url: URL; pending: PendingConnect }> {
    const client = this.client(provider);
    const secrets = newAuthorizationSecrets();
    const url = await client.authorizationUrl({ redirectUri, ...secrets, loginHint: owner.email });
    return { url, pending: { provider, ...secrets, userId: owner._id } };
  }

  async finish(
    ctx: TenantContext,
    owner: CalendarOwner,
    pending: PendingConnect,
    callbackUrl: URL,
    redirectUri: string,
  ): Promise<ConnectionSummary> {
    const client = this.client(pending.provider);
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
      throw grantFailure(PROVIDER_LABEL[pending.provider], error);
    }
    // Quorum asks for calendar scopes only, not for identity, so the calendar is taken to be
    // the signed-in person's; `login_hint` made the provider offer that account.
    return this.keep(ctx, owner, client, pending.provider, granted, null);
  }

  async onBehalfOf(
    ctx: TenantContext,
    owner: CalendarOwner,
    grant: { clientName: string; assertion: string },
  ): Promise<ConnectionSummary> {
    const client = this.options.delegated[grant.clientName];
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
    return this.keep(ctx, owner, client, client.provider, granted, grant.clientName);
  }

  private client(provider: OAuthProvider): CalendarOAuthClient {
    const client = this.options.oauth[provider];
    if (!client) {
      const label = PROVIDER_LABEL[provider];
      throw new CalendarConnectionError(
        'not-configured',
        `${label} calendars cannot be connected on this server: it has no ${label} OAuth client set up.`,
      );
    }
    return client;
  }

  /** Stores a checked grant as the owner's connection (replacing any earlier one). */
  private async keep(
    ctx: TenantContext,
    owner: CalendarOwner,
    client: CalendarOAuthClient,
    provider: OAuthProvider,
    granted: IssuedTokens,
    grantedTo: string | null,
  ): Promise<ConnectionSummary> {
    await this.refuseShortGrant(client, provider, granted);
    const doc = await this.options.writer.save(
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

  /** Refuses (and withdraws) a grant that lacks a calendar scope or a refresh token. */
  private async refuseShortGrant(
    client: CalendarOAuthClient,
    provider: OAuthProvider,
    granted: IssuedTokens,
  ): Promise<void> {
    const label = PROVIDER_LABEL[provider];
    const missing = missingScopes(provider, granted.scopes);
    if (missing.length > 0) {
      await this.revokeQuietly(client, granted);
      throw new CalendarConnectionError(
        'missing-scopes',
        `${label} did not grant ${missing.join(' and ')}, which Quorum needs to read free/busy ` +
          'and book meetings. Connect again and allow all the calendar permissions asked for.',
      );
    }
    if (!granted.refreshToken) {
      await this.revokeQuietly(client, granted);
      throw new CalendarConnectionError(
        'no-refresh-token',
        `${label} granted access for one hour only (no refresh token came back). Connect again ` +
          'and allow offline access.',
      );
    }
  }

  /** Best effort: a grant Quorum is refusing to keep should not linger at the provider. */
  private async revokeQuietly(client: CalendarOAuthClient, issued: IssuedTokens): Promise<void> {
    try {
      if (await client.canRevoke()) {
        await client.revoke(
          issued.refreshToken ?? issued.accessToken,
          issued.refreshToken ? 'refresh_token' : 'access_token',
        );
      }
    } catch (error) {
      this.options.logger?.warn(
        { provider: client.provider, reason: (error as Error).message },
        'could not revoke a refused calendar grant',
      );
    }
  }
}
