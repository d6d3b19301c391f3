// Disconnecting a calendar: Quorum withdraws its grant at the provider where the provider lets
// an app do that, tells the person what is left for them to do where it does not, and deletes
// the record with its sealed secrets either way.
import type { TenantContext } from '../../store/tenant-context.ts';
import {
  PROVIDER_LABEL,
  type CalendarConnectionDoc,
  type ConnectionProvider,
  type OAuthProvider,
  type SealedField,
} from './connection-model.ts';
import type { ConnectionRecords } from './connection-records.ts';
import type { ConnectionWriter } from './connection-writer.ts';
import { CONSENT_PAGES, type CalendarOAuthClient } from './oauth-client.ts';

export interface DisconnectResult {
  provider: ConnectionProvider;
  /** True when the provider confirmed it revoked Quorum's grant. */
  revokedAtProvider: boolean;
  /** What the person may still want to do themselves, when anything. */
  note: string | null;
}

type Withdrawal = Omit<DisconnectResult, 'provider'>;

const CALDAV_NOTE =
  'Quorum deleted the app password it kept. To make sure it can never be used again, ' +
  'revoke that app password in your calendar account too.';

export interface DisconnectionOptions {
  records: ConnectionRecords;
  writer: ConnectionWriter;
  oauth: Partial<Record<OAuthProvider, CalendarOAuthClient>>;
  delegated: Readonly<Record<string, CalendarOAuthClient>>;
}

export class Disconnection {
  private readonly options: DisconnectionOptions;

  constructor(options: DisconnectionOptions) {
    this.options = options;
  }

  /** Revokes at the provider where it can, then deletes the record; null when there is none. */
  async disconnect(
    ctx: TenantContext,
    userId: string,
    connectionId: string,
  ): Promise<DisconnectResult | null> {
    const Connections = await this.options.records.model(ctx);
    const doc = await Connections.findById(String(connectionId)).lean();
    if (!doc || doc.userId !== userId) return null;
    const withdrawal: Withdrawal =
      doc.provider === 'caldav'
        ? { revokedAtProvider: false, note: CALDAV_NOTE }
        : await this.withdrawGrant(ctx, doc, doc.provider);
    await this.options.writer.remove(ctx, doc);
    return { provider: doc.provider, ...withdrawal };
  }

  private async withdrawGrant(
    ctx: TenantContext,
    doc: CalendarConnectionDoc,
    provider: OAuthProvider,
  ): Promise<Withdrawal> {
    const label = PROVIDER_LABEL[provider];
    const where = CONSENT_PAGES[provider];
    const refresh = await this.openQuietly(ctx, doc, 'refreshToken');
    const token = refresh ?? (await this.openQuietly(ctx, doc, 'accessToken'));
    const client = doc.grantedTo
      ? this.options.delegated[doc.grantedTo]
      : this.options.oauth[provider];
    if (!token) {
      return {
        revokedAtProvider: false,
        note: `Quorum held no live access to revoke. You can check what ${label} still allows at ${where}.`,
      };
    }
    try {
      if (client && (await client.canRevoke())) {
        // Revoking the refresh token ends the whole grant, its access tokens included.
        await client.revoke(token, refresh ? 'refresh_token' : 'access_token');
        return { revokedAtProvider: true, note: null };
      }
      return {
        revokedAtProvider: false,
        note:
          `${label} offers no way for an app to withdraw its own access. Quorum deleted its ` +
          `tokens; to remove the permission as well, visit ${where}.`,
      };
    } catch (error) {
      return {
        revokedAtProvider: false,
        note:
          `${label} could not be reached to revoke Quorum's access (${(error as Error).message}). ` +
          `Quorum deleted its tokens; to remove the permission as well, visit ${where}.`,
      };
    }
  }

  private async openQuietly(ctx: TenantContext, doc: CalendarConnectionDoc, field: SealedField) {
    try {
      return await this.options.records.open(ctx, doc, field);
    } catch {
      return null;
    }
  }
}
