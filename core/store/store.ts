// One mongoose connection; a control database and one database per tenant.
//
// Works the same on MongoDB and on the embedded FerretDB. Commands are not buffered while the
// database is unreachable: a caller gets an error at once instead of a request that hangs.
import mongoose, { type Connection, type Model, type Schema } from 'mongoose';
import { tenantDatabaseName, type TenantContext } from './tenant-context.ts';

export const CONTROL_DB = 'quorum_control';

/** A model's name and schema, defined once by the module that owns the collection. */
export interface ModelDef<T> {
  readonly name: string;
  readonly schema: Schema<T>;
}

export function defineModel<T>(name: string, schema: Schema<T>): ModelDef<T> {
  return { name, schema };
}

// Schemas are invariant in their document type, so a list of different models needs `any` here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModelDef = ModelDef<any>;

export interface Store {
  readonly connection: Connection;
  readonly control: Connection;
  /** A control-database model; its indexes are created by `ensureControlIndexes`. */
  controlModel<T>(def: ModelDef<T>): Model<T>;
  /** A tenant-database model, chosen from the authenticated context. Indexes built on first use. */
  tenantModel<T>(ctx: TenantContext, def: ModelDef<T>): Promise<Model<T>>;
  ensureControlIndexes(defs: readonly AnyModelDef[]): Promise<void>;
  /** Resolves when the database answers a ping within `timeoutMs`; rejects with the reason otherwise. */
  ping(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface StoreOptions {
  uri: string;
  serverSelectionTimeoutMs?: number;
  /** Database name prefix override, so several test runs can share one MongoDB. */
  controlDbName?: string;
  /**
   * Emit the driver's command monitoring events (`commandStarted`…) on the connection's client,
   * for a test that records every command sent. The driver copies this option into each pooled
   * connection when it is made, so it can only be chosen here, before connecting.
   */
  monitorCommands?: boolean;
}

export async function openStore(options: StoreOptions): Promise<Store> {
  const connection = mongoose.createConnection(options.uri, {
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 5000,
    bufferCommands: false,
    autoIndex: false,
    autoCreate: true,
    ...(options.monitorCommands ? { monitorCommands: true } : {}),
  });
  await connection.asPromise();
  const control = connection.useDb(options.controlDbName ?? CONTROL_DB, { useCache: true });
  const indexed = new Map<string, Promise<void>>();

  function modelOn<T>(conn: Connection, def: ModelDef<T>): Model<T> {
    return (conn.models[def.name] as Model<T> | undefined) ?? conn.model<T>(def.name, def.schema);
  }

  async function indexesOnce(
    key: string,
    model: { createIndexes(): Promise<unknown> },
  ): Promise<void> {
    let pending = indexed.get(key);
    if (!pending) {
      pending = model.createIndexes().then(() => undefined);
      // A failure (database down) must not be remembered: try again next time.
      pending.catch(() => indexed.delete(key));
      indexed.set(key, pending);
    }
    await pending;
  }

  return {
    connection,
    control,
    controlModel: (def) => modelOn(control, def),
    async tenantModel<T>(ctx: TenantContext, def: ModelDef<T>) {
      const db = tenantDatabaseName(ctx);
      const model = modelOn(connection.useDb(db, { useCache: true }), def);
      await indexesOnce(`${db}/${def.name}`, model);
      return model;
    },
    async ensureControlIndexes(defs) {
      for (const def of defs) {
        await indexesOnce(`${control.name}/${def.name}`, modelOn(control, def));
      }
    },
    async ping(timeoutMs = 1500) {
      const db = connection.db;
      if (!db) throw new Error('database connection is not open');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('database did not answer in time')), timeoutMs);
      });
      try {
        await Promise.race([db.admin().command({ ping: 1 }), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      await connection.close();
    },
  };
}
