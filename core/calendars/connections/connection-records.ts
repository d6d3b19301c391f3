// Reading and writing connection records: the model, sealing and opening their secrets, and
// marking a connection as needing to be reconnected.
import type { Model } from 'mongoose';
import type { Envelope } from '../../privacy/envelope.ts';
import type { Store } from '../../store/store.ts';
import type { TenantContext } from '../../store/tenant-context.ts';
import {
  CONNECTIONS_COLLECTION,
  CalendarConnection,
  type CalendarConnectionDoc,
  type SealedField,
} from './connection-model.ts';

export interface ConnectionRecords {
  model(ctx: TenantContext): Promise<Model<CalendarConnectionDoc>>;
  /** Seals a secret for one field of one record; the ciphertext opens only there. */
  seal(ctx: TenantContext, id: string, field: SealedField, value: string): Promise<string>;
  /** The secret in `field`, or null when the record holds none. */
  open(ctx: TenantContext, doc: CalendarConnectionDoc, field: SealedField): Promise<string | null>;
  /**
   * The grant is dead (revoked, expired, password changed): its secrets are useless, so they
   * are deleted, and the owner is asked to reconnect.
   */
  markNeedsReconnect(
    ctx: TenantContext,
    id: string,
    problem: string,
    /** Only if the record still holds this sealed secret: a reconnect made meanwhile stands. */
    unlessReplaced?: Partial<Pick<CalendarConnectionDoc, 'refreshToken' | 'password'>>,
  ): Promise<void>;
}

export function connectionRecords(deps: { store: Store; envelope: Envelope }): ConnectionRecords {
  const target = (id: string, field: SealedField) => ({
    collection: CONNECTIONS_COLLECTION,
    id,
    field,
  });
  const model = (ctx: TenantContext) => deps.store.tenantModel(ctx, CalendarConnection);

  return {
    model,
    seal: (ctx, id, field, value) => deps.envelope.sealToken(ctx, target(id, field), value),
    async open(ctx, doc, field) {
      const sealed = doc[field];
      return sealed ? deps.envelope.openToken(ctx, target(doc._id, field), sealed) : null;
    },
    async markNeedsReconnect(ctx, id, problem, unlessReplaced = {}) {
      const Connections = await model(ctx);
      await Connections.updateOne(
        { ...unlessReplaced, _id: id },
        {
          $set: {
            status: 'needs-reconnect',
            problem,
            accessToken: null,
            refreshToken: null,
            expiresAt: null,
            password: null,
          },
        },
      );
    },
  };
}
