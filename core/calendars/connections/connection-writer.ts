// Writes a person's connection: one record per person and provider, its secrets sealed for its
// id. Connecting again replaces the grant in the same record.
import { randomId } from '../../identity/ids.ts';
import { isDuplicateKeyError } from '../../privacy/duplicate-key.ts';
import type { TenantContext } from '../../store/tenant-context.ts';
import {
  connectionKeyId,
  type CalendarConnectionDoc,
  type ConnectionProvider,
  type SealedField,
} from './connection-model.ts';
import type { ConnectionRecords } from './connection-records.ts';

/** What a connect knows about the account, besides its secrets. */
export type ConnectionFields = Pick<
  CalendarConnectionDoc,
  'accountEmail' | 'scopes' | 'expiresAt' | 'serverUrl' | 'username'
> &
  Partial<Pick<CalendarConnectionDoc, 'grantedTo'>>;

export class ConnectionWriter {
  private readonly records: ConnectionRecords;
  private readonly now: () => Date;

  constructor(records: ConnectionRecords, now: () => Date) {
    this.records = records;
    this.now = now;
  }

  /** Creates or replaces the person's connection to `provider`, secrets sealed for its id. */
  async save(
    ctx: TenantContext,
    userId: string,
    provider: ConnectionProvider,
    fields: ConnectionFields,
    secrets: Partial<Record<SealedField, string>>,
  ): Promise<CalendarConnectionDoc> {
    const id = await this.claimConnectionId(ctx, userId, provider);
    const seal = (field: SealedField) => {
      const value = secrets[field];
      return value ? this.records.seal(ctx, id, field, value) : Promise.resolve(null);
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
      connectedAt: this.now(),
      refreshedAt: null,
    };
    const Connections = await this.records.model(ctx);
    await this.records.exclusive(ctx, id, () =>
      Connections.replaceOne({ _id: id }, doc, { upsert: true }),
    );
    return doc;
  }

  /** Deletes the connection, then frees the person's key for its provider. */
  async remove(ctx: TenantContext, doc: CalendarConnectionDoc): Promise<void> {
    const Connections = await this.records.model(ctx);
    await this.records.exclusive(ctx, doc._id, () => Connections.deleteOne({ _id: doc._id }));
    await this.releaseKey(ctx, doc);
  }

  /**
   * The id of the person's connection to `provider`: the one they have, or a new one claimed
   * with a unique insert of the key document, so two simultaneous connects share one record.
   */
  private async claimConnectionId(
    ctx: TenantContext,
    userId: string,
    provider: ConnectionProvider,
  ): Promise<string> {
    const Keys = await this.records.keys(ctx);
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

  /** Frees the person's key for the provider, when it still names this connection. */
  private async releaseKey(ctx: TenantContext, doc: CalendarConnectionDoc): Promise<void> {
    const Keys = await this.records.keys(ctx);
    const keyId = connectionKeyId(doc.userId, doc.provider);
    const key = await Keys.findById(keyId).lean();
    if (key?.connectionId === doc._id) await Keys.deleteOne({ _id: keyId });
  }
}
