// Finding a tenant's data key for the envelope (envelope.ts): from the in-memory cache, from
// a lookup already in flight, or from the database (unwrapped by the key provider, created
// when asked to).
import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { serialized } from '../store/serial.ts';
import type { Store } from '../store/store.ts';
import { tenantDatabaseName, type TenantContext } from '../store/tenant-context.ts';
import { DataKeyModel } from './data-keys.ts';
import { isDuplicateKeyError } from './duplicate-key.ts';
import { KeyProviderError } from './errors.ts';
import { ExpiringLru } from './expiring-lru.ts';
import type { KeyProvider } from './key-provider.ts';

export const DATA_KEY_BYTES = 32;

export const WITHOUT_KEY = { $unset: { wrapped: 1, kekVersion: 1 } };

export type Lookup = { key: KeyObject } | { gone: 'missing' } | { gone: 'destroyed'; at: Date };

/**
 * Writes to one data key take turns in this process: the embedded database's operator updates
 * read and write back the whole record, so a re-wrap racing a destruction could otherwise write
 * the live key back over its tombstone. (On MongoDB each of these updates is atomic.)
 */
export const keyWrite = <T>(ctx: TenantContext, keyId: string, fn: () => Promise<T>) =>
  serialized(`${tenantDatabaseName(ctx)}/data_keys/${keyId}`, fn);

export interface DataKeyLookupOptions {
  store: Store;
  keys: KeyProvider;
  cache?: { max?: number; ttlMs?: number };
  now: () => Date;
}

export class DataKeyLookup {
  readonly #store: Store;
  readonly #keys: KeyProvider;
  readonly #now: () => Date;
  readonly #cache: ExpiringLru<KeyObject>;
  // Concurrent requests for one key (a transcript decrypted segment by segment) share one unwrap.
  readonly #inFlight = new Map<string, Promise<Lookup>>();
  // Bumped by every destroy: a lookup that started before a destroy must not refill the cache.
  #destroyEpoch = 0;

  constructor(options: DataKeyLookupOptions) {
    this.#store = options.store;
    this.#keys = options.keys;
    this.#now = options.now;
    this.#cache = new ExpiringLru<KeyObject>({
      max: options.cache?.max ?? 1000,
      ttlMs: options.cache?.ttlMs ?? 60_000,
    });
  }

  #cacheKey(ctx: TenantContext, keyId: string): string {
    return `${ctx.tenantId}/${keyId}`;
  }

  /** Drops the key from memory; called around every destruction. */
  forget(ctx: TenantContext, keyId: string): void {
    const id = this.#cacheKey(ctx, keyId);
    this.#destroyEpoch += 1;
    this.#cache.delete(id);
    this.#inFlight.delete(`${id}#true`);
    this.#inFlight.delete(`${id}#false`);
  }

  /** The data key `keyId`, created first when `create` and it never existed. */
  async dataKey(ctx: TenantContext, keyId: string, create: boolean): Promise<Lookup> {
    const id = this.#cacheKey(ctx, keyId);
    const cached = this.#cache.get(id);
    if (cached) return { key: cached };
    const epoch = this.#destroyEpoch;
    const flightId = `${id}#${create}`;
    let pending = this.#inFlight.get(flightId);
    if (!pending) {
      const started = this.#resolve(ctx, keyId, create).finally(() => {
        if (this.#inFlight.get(flightId) === started) this.#inFlight.delete(flightId);
      });
      this.#inFlight.set(flightId, started);
      pending = started;
    }
    const lookup = await pending;
    if ('key' in lookup && epoch === this.#destroyEpoch) this.#cache.set(id, lookup.key);
    return lookup;
  }

  async #unwrapRecord(ctx: TenantContext, keyId: string, wrapped: string, version: string) {
    const raw = await this.#keys.unwrap(ctx.tenantId, Buffer.from(wrapped, 'base64'), version);
    if (raw.length !== DATA_KEY_BYTES) {
      throw new KeyProviderError(`data key ${keyId} unwrapped to ${raw.length} bytes, not 32`);
    }
    const key = createSecretKey(raw);
    raw.fill(0);
    return key;
  }

  async #resolve(ctx: TenantContext, keyId: string, create: boolean): Promise<Lookup> {
    const keys = this.#keys;
    const DataKeys = await this.#store.tenantModel(ctx, DataKeyModel);
    let record = await DataKeys.findById(keyId).lean();
    if (!record) {
      if (!create) return { gone: 'missing' };
      const raw = randomBytes(DATA_KEY_BYTES);
      const { wrapped, kekVersion } = await keys.wrap(ctx.tenantId, raw);
      try {
        await DataKeys.create({
          _id: keyId,
          wrapped: wrapped.toString('base64'),
          kekVersion,
          provider: keys.name,
          createdAt: this.#now(),
        });
        const key = createSecretKey(raw);
        raw.fill(0);
        return { key };
      } catch (error) {
        raw.fill(0);
        if (!isDuplicateKeyError(error)) throw error;
        // Another process created it first: use theirs, never ours.
        record = await DataKeys.findById(keyId).lean();
        if (!record) throw error;
      }
    }
    if (record.destroyedAt) {
      // A re-wrap that raced the destruction in another process left the key on the
      // tombstone: take it off (the record reads as destroyed either way).
      if (record.wrapped) {
        await keyWrite(ctx, keyId, () => DataKeys.updateOne({ _id: keyId }, WITHOUT_KEY));
      }
      return { gone: 'destroyed', at: record.destroyedAt };
    }
    if (!record.wrapped || !record.kekVersion) {
      throw new KeyProviderError(`data key ${keyId} has no wrapped key and no destruction date`);
    }
    return { key: await this.#unwrapRecord(ctx, keyId, record.wrapped, record.kekVersion) };
  }
}
