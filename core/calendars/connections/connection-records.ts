// Reading and writing connection records: the model, sealing and opening their secrets, finding
// a person's connections through their key documents, and marking a connection as needing to
// be reconnected. Every statement is by exact `_id`.
import type { Model } from 'mongoose';
import type { Envelope } from '../../privacy/envelope.ts';
import { findByIds } from '../../store/by-id.ts';
import { documentKey } from '../../store/entry-maps.ts';
import { serialized } from '../../store/serial.ts';
import type { Store } from '../../store/store.ts';
import type { TenantContext } from '../../store/tenant-context.ts';
import {
  CONNECTION_PROVIDERS,
  CONNECTIONS_COLLECTION,
  CalendarConnection,
  ConnectionKey,
  connectionKeyId,
  type CalendarConnectionDoc,
  type ConnectionKeyDoc,
  type SealedField,
} from './connection-model.ts';

/** A sealed secret a conditional write expects to find still in place. */
export type Unless = Partial<Pick<CalendarConnectionDoc, 'refreshToken' | 'password'>>;

export interface ConnectionRecords {
  model(ctx: TenantContext): Promise<Model<CalendarConnectionDoc>>;
  keys(ctx: TenantContext): Promise<Model<ConnectionKeyDoc>>;
  /** Each person's connections (any order), read through their key documents. */
  ofUsers(ctx: TenantContext, userIds: readonly string[]): Promise<CalendarConnectionDoc[]>;
  /**
   * Runs a read-modify-write of one connection record after every other one of this process:
   * a refresh, a reconnect and a "needs reconnecting" never interleave.
   */
  exclusive<T>(ctx: TenantContext, id: string, fn: () => Promise<T>): Promise<T>;
  /**
   * Sets `fields` on the record, only if it still holds the sealed secrets in `unless` (a
   * reconnect or a newer refresh made meanwhile stands). Returns whether it wrote.
   */
  updateUnlessReplaced(
    ctx: TenantContext,
    id: string,
    unless: Unless,
    fields: Partial<CalendarConnectionDoc>,
  ): Promise<boolean>;
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
    unlessReplaced?: Unless,
  ): Promise<void>;
}

export function connectionRecords(deps: { store: Store; envelope: Envelope }): ConnectionRecords {
  const target = (id: string, field: SealedField) => ({
    collection: CONNECTIONS_COLLECTION,
    id,
    field,
  });
  const model = (ctx: TenantContext) => deps.store.tenantModel(ctx, CalendarConnection);
  const keys = (ctx: TenantContext) => deps.store.tenantModel(ctx, ConnectionKey);

  const records: ConnectionRecords = {
    model,
    keys,
    async ofUsers(ctx, userIds) {
      const keyIds = userIds.flatMap((u) => CONNECTION_PROVIDERS.map((p) => connectionKeyId(u, p)));
      const found = await findByIds(await keys(ctx), keyIds);
      const docs = await findByIds(
        await model(ctx),
        found.map((k) => k.connectionId),
      );
      // A key whose record was never written (a connect that stopped half-way) counts as none.
      return docs;
    },
    async exclusive(ctx, id, fn) {
      return serialized(documentKey(await model(ctx), id), fn);
    },
    async updateUnlessReplaced(ctx, id, unless, fields) {
      const Connections = await model(ctx);
      return records.exclusive(ctx, id, async () => {
        const doc = await Connections.findById(id).lean();
        if (!doc) return false;
        const replaced = Object.entries(unless).some(
          ([field, value]) => doc[field as keyof Unless] !== value,
        );
        if (replaced) return false;
        await Connections.updateOne({ _id: id }, { $set: fields });
        return true;
      });
    },
    seal: (ctx, id, field, value) => deps.envelope.sealToken(ctx, target(id, field), value),
    async open(ctx, doc, field) {
      const sealed = doc[field];
      return sealed ? deps.envelope.openToken(ctx, target(doc._id, field), sealed) : null;
    },
    async markNeedsReconnect(ctx, id, problem, unlessReplaced = {}) {
      await records.updateUnlessReplaced(ctx, id, unlessReplaced, {
        status: 'needs-reconnect',
        problem,
        accessToken: null,
        refreshToken: null,
        expiresAt: null,
        password: null,
      });
    },
  };
  return records;
}
