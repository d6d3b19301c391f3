// Envelope encryption: values are sealed with a data key (AES-256-GCM, field-cipher.ts), data
// keys are stored only wrapped by the tenant's KEK (key-provider.ts).
//
// Fail-closed: when a key cannot be obtained (provider down, key destroyed), encrypt throws
// EncryptionFailedError and returns nothing that could be written. Destroying a data key makes
// every value sealed with it unreadable (crypto-shredding). Rotating the tenant's KEK re-wraps
// its data keys and leaves the encrypted documents untouched.
import { createHmac, hkdfSync, type KeyObject } from 'node:crypto';
import type { Model } from 'mongoose';
import { SWEEP_COMMENT } from '../store/query-rule.ts';
import type { Store } from '../store/store.ts';
import type { TenantContext } from '../store/tenant-context.ts';
import { DataKeyLookup, keyWrite, WITHOUT_KEY, type Lookup } from './data-key-lookup.ts';
import { DataKeyModel, dataKeyId, type DataKeyRecord, type DataKeyScope } from './data-keys.ts';
import { DecryptionFailedError, EncryptionFailedError } from './errors.ts';
import {
  openPlaintext,
  parseSealed,
  sealBytes,
  sealCompressed,
  type RecordIdentity,
} from './field-cipher.ts';
import type { KeyProvider } from './key-provider.ts';

/** The record and field a value is stored in; authenticated together with the value. */
export interface FieldTarget {
  readonly collection: string;
  readonly id: string;
  readonly field: string;
}

export interface EnvelopeOptions {
  store: Store;
  keys: KeyProvider;
  /** Unwrapped data keys kept in memory: at most `max` (1000), each for `ttlMs` (60 s). */
  cache?: { max?: number; ttlMs?: number };
  now?: () => Date;
}

export interface RotationResult {
  kekVersion: string;
  /** Data keys re-wrapped under `kekVersion`. */
  rewrapped: number;
}

export interface Envelope {
  /**
   * Seals any JSON value for one field of one record (compressed first with `compress`, for
   * large values; field-cipher.ts, q2). Throws EncryptionFailedError.
   */
  encrypt(
    ctx: TenantContext,
    scope: DataKeyScope,
    target: FieldTarget,
    value: unknown,
    options?: { compress?: boolean },
  ): Promise<string>;
  /** Opens a value sealed by `encrypt` for the same target. Throws DecryptionFailedError. */
  decrypt(ctx: TenantContext, target: FieldTarget, sealed: string): Promise<unknown>;
  /**
   * A keyed digest of `text` under the scope's data key (HMAC-SHA256 with a subkey derived for
   * `purpose`, cut to 128 bits, base64url): equal texts give equal fingerprints, so it can stand
   * in for the text where only sameness matters (an idempotency key), and nobody without the
   * key can test a guess against it. Throws EncryptionFailedError like `encrypt`.
   */
  fingerprint(
    ctx: TenantContext,
    scope: DataKeyScope,
    purpose: string,
    text: string,
  ): Promise<string>;
  /** Calendar and chat OAuth tokens, under the tenant's token data key. */
  sealToken(ctx: TenantContext, target: FieldTarget, token: string): Promise<string>;
  openToken(ctx: TenantContext, target: FieldTarget, sealed: string): Promise<string>;
  /** Crypto-shredding: deletes the wrapped key; its ciphertexts stay unreadable for good. */
  destroyDataKey(
    ctx: TenantContext,
    scope: DataKeyScope,
  ): Promise<{ destroyedAt: Date; hadKey: boolean }>;
  /**
   * destroyDataKey for many scopes with a few queries in all (retention purges in batches: on
   * the embedded database every query reads the whole collection).
   */
  destroyDataKeys(ctx: TenantContext, scopes: readonly DataKeyScope[]): Promise<void>;
  rotateTenantKey(ctx: TenantContext): Promise<RotationResult>;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs `fn` for each item, at most `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export function createEnvelope(options: EnvelopeOptions): Envelope {
  return new KeyEnvelope(options);
}

/** The Envelope over the tenant's data keys (data-key-lookup.ts) and the key provider. */
class KeyEnvelope implements Envelope {
  readonly #store: Store;
  readonly #keys: KeyProvider;
  readonly #now: () => Date;
  readonly #lookup: DataKeyLookup;

  constructor(options: EnvelopeOptions) {
    this.#store = options.store;
    this.#keys = options.keys;
    this.#now = options.now ?? (() => new Date());
    this.#lookup = new DataKeyLookup({
      store: this.#store,
      keys: this.#keys,
      ...(options.cache ? { cache: options.cache } : {}),
      now: this.#now,
    });
  }

  // Bound: callers may pass these methods around on their own.
  encrypt = async (
    ctx: TenantContext,
    scope: DataKeyScope,
    target: FieldTarget,
    value: unknown,
    options: { compress?: boolean } = {},
  ): Promise<string> => {
    let keyId: string;
    let plaintext: string | undefined;
    try {
      keyId = dataKeyId(scope);
      plaintext = JSON.stringify(value);
    } catch (error) {
      throw new EncryptionFailedError('invalid-input', messageOf(error), { cause: error });
    }
    if (plaintext === undefined) {
      throw new EncryptionFailedError(
        'invalid-input',
        `${target.collection}.${target.field}: only JSON values can be encrypted`,
      );
    }
    const key = await this.#keyToWrite(ctx, keyId, `${target.collection}.${target.field}`);
    const record: RecordIdentity = { tenantId: ctx.tenantId, ...target };
    const bytes = Buffer.from(plaintext, 'utf8');
    return options.compress
      ? sealCompressed(key, keyId, record, bytes)
      : sealBytes(key, keyId, record, bytes);
  };

  /** The live data key `keyId` (made when new); EncryptionFailedError when there is none. */
  async #keyToWrite(ctx: TenantContext, keyId: string, what: string): Promise<KeyObject> {
    let lookup: Lookup;
    try {
      lookup = await this.#lookup.dataKey(ctx, keyId, true);
    } catch (error) {
      throw new EncryptionFailedError(
        'key-unavailable',
        `cannot encrypt ${what}: data key ${keyId} is unavailable ` +
          `(${messageOf(error)}); nothing was written`,
        { cause: error },
      );
    }
    if (!('key' in lookup)) {
      throw new EncryptionFailedError(
        'key-destroyed',
        `cannot encrypt ${what}: data key ${keyId} was destroyed ` +
          'and its data deleted; nothing more is written under it',
      );
    }
    return lookup.key;
  }

  fingerprint = async (
    ctx: TenantContext,
    scope: DataKeyScope,
    purpose: string,
    text: string,
  ): Promise<string> => {
    let keyId: string;
    try {
      keyId = dataKeyId(scope);
    } catch (error) {
      throw new EncryptionFailedError('invalid-input', messageOf(error), { cause: error });
    }
    const key = await this.#keyToWrite(ctx, keyId, `a ${purpose} fingerprint`);
    // A subkey per purpose: the data key itself is only ever used for AES-GCM.
    const subkey = Buffer.from(
      hkdfSync('sha256', key, 'quorum-fingerprint', `${ctx.tenantId}\n${keyId}\n${purpose}`, 32),
    );
    try {
      return createHmac('sha256', subkey)
        .update(text, 'utf8')
        .digest()
        .subarray(0, 16)
        .toString('base64url');
    } finally {
      subkey.fill(0);
    }
  };

  decrypt = async (ctx: TenantContext, target: FieldTarget, sealed: string): Promise<unknown> => {
    const parts = parseSealed(sealed);
    let lookup: Lookup;
    try {
      lookup = await this.#lookup.dataKey(ctx, parts.keyId, false);
    } catch (error) {
      throw new DecryptionFailedError(
        'key-unavailable',
        `cannot decrypt ${target.collection}.${target.field}: data key ${parts.keyId} is ` +
          `unavailable (${messageOf(error)})`,
        { cause: error },
      );
    }
    if (!('key' in lookup)) {
      throw lookup.gone === 'destroyed'
        ? new DecryptionFailedError(
            'key-destroyed',
            `${target.collection}/${target.id}.${target.field} is unreadable: its data key ` +
              `${parts.keyId} was destroyed at ${lookup.at.toISOString()} (crypto-shredded)`,
          )
        : new DecryptionFailedError(
            'key-missing',
            `${target.collection}/${target.id}.${target.field} is unreadable: tenant ` +
              `${ctx.tenantId} has no data key ${parts.keyId}`,
          );
    }
    const plaintext = await openPlaintext(lookup.key, parts, { tenantId: ctx.tenantId, ...target });
    return JSON.parse(plaintext.toString('utf8')) as unknown;
  };

  sealToken = (ctx: TenantContext, target: FieldTarget, token: string): Promise<string> => {
    if (typeof token !== 'string' || token === '') {
      return Promise.reject(
        new EncryptionFailedError('invalid-input', 'a token must be a non-empty string'),
      );
    }
    return this.encrypt(ctx, { kind: 'tokens' }, target, token);
  };

  openToken = async (ctx: TenantContext, target: FieldTarget, sealed: string): Promise<string> => {
    const token = await this.decrypt(ctx, target, sealed);
    if (typeof token !== 'string') {
      throw new DecryptionFailedError('malformed', `${target.field} does not hold a token`);
    }
    return token;
  };

  destroyDataKey = async (
    ctx: TenantContext,
    scope: DataKeyScope,
  ): Promise<{ destroyedAt: Date; hadKey: boolean }> => {
    const keyId = dataKeyId(scope);
    const DataKeys = await this.#store.tenantModel(ctx, DataKeyModel);
    this.#lookup.forget(ctx, keyId);
    const existing = await DataKeys.findById(keyId).lean();
    if (existing?.destroyedAt) return { destroyedAt: existing.destroyedAt, hadKey: false };
    const destroyedAt = this.#now();
    // Upsert a tombstone even when no key exists yet, so nothing is encrypted for this scope
    // afterwards: a deleted meeting stays deleted.
    await keyWrite(ctx, keyId, () =>
      DataKeys.updateOne(
        { _id: keyId },
        {
          $set: { destroyedAt },
          ...WITHOUT_KEY,
          $setOnInsert: { createdAt: destroyedAt },
        },
        { upsert: true },
      ),
    );
    this.#lookup.forget(ctx, keyId);
    return { destroyedAt, hadKey: Boolean(existing?.wrapped) };
  };

  destroyDataKeys = async (ctx: TenantContext, scopes: readonly DataKeyScope[]): Promise<void> => {
    if (scopes.length === 0) return;
    const ids = [...new Set(scopes.map(dataKeyId))];
    const DataKeys = await this.#store.tenantModel(ctx, DataKeyModel);
    for (const id of ids) this.#lookup.forget(ctx, id);
    const destroyedAt = this.#now();
    // One blind exact-_id write per key, nothing read first (a purge destroys hundreds: every
    // statement is its own transaction on the embedded database). The key is gone in the same
    // write that marks it destroyed; `$min` keeps the time of an earlier destruction; the upsert
    // leaves a tombstone where no key was ever made, so nothing is encrypted for it afterwards.
    await eachLimited(ids, 16, (id) =>
      keyWrite(ctx, id, async () => {
        await DataKeys.updateOne(
          { _id: id },
          {
            $min: { destroyedAt },
            $unset: { ...WITHOUT_KEY.$unset, rotatedAt: 1 },
            $setOnInsert: { createdAt: destroyedAt },
          },
          { upsert: true },
        );
      }),
    );
    for (const id of ids) this.#lookup.forget(ctx, id);
  };

  rotateTenantKey = async (ctx: TenantContext): Promise<RotationResult> => {
    const keys = this.#keys;
    const kekVersion = await keys.rotate(ctx.tenantId);
    const DataKeys = await this.#store.tenantModel(ctx, DataKeyModel);
    // An operator command that looks at every key: a sweep, never a request.
    const stale = DataKeys.find({
      destroyedAt: { $exists: false },
      kekVersion: { $ne: kekVersion },
    })
      .comment(`${SWEEP_COMMENT}:key-rotation`)
      .lean()
      .cursor();
    let rewrapped = 0;
    for await (const record of stale) {
      if (!record.wrapped || !record.kekVersion) continue;
      const raw = await keys.unwrap(
        ctx.tenantId,
        Buffer.from(record.wrapped, 'base64'),
        record.kekVersion,
      );
      let next;
      try {
        next = await keys.wrap(ctx.tenantId, raw);
      } finally {
        raw.fill(0);
      }
      const update = {
        wrapped: next.wrapped.toString('base64'),
        kekVersion: next.kekVersion,
        rotatedAt: this.#now(),
      };
      if (await rewrap(DataKeys, ctx, record, update)) rewrapped += 1;
    }
    return { kekVersion, rewrapped };
  };
}

/**
 * Re-wraps one key, only if nobody changed it meanwhile: read by `_id`, checked, written by
 * `_id`. A destruction must never be undone: the write sets fields (it never replaces the
 * record), and if another process destroyed the key between the check and the write, the key
 * is taken off the tombstone again at once.
 */
async function rewrap(
  DataKeys: Model<DataKeyRecord>,
  ctx: TenantContext,
  record: DataKeyRecord,
  update: Pick<DataKeyRecord, 'wrapped' | 'kekVersion' | 'rotatedAt'>,
): Promise<boolean> {
  return keyWrite(ctx, record._id, async () => {
    const current = await DataKeys.findById(record._id).lean();
    if (!current || current.destroyedAt || current.wrapped !== record.wrapped) return false;
    await DataKeys.updateOne({ _id: record._id }, { $set: update });
    const after = await DataKeys.findById(record._id, { destroyedAt: 1 }).lean();
    if (after?.destroyedAt) {
      await DataKeys.updateOne(
        { _id: record._id },
        { $unset: { ...WITHOUT_KEY.$unset, rotatedAt: 1 } },
      );
      return false;
    }
    return true;
  });
}
