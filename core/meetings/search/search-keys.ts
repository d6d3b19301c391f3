// The tenant's search key and the tokens it makes: HMAC-SHA256(key, word) cut to 96 bits. The
// key is random per tenant, stored sealed under the tenant's token data key, and kept opened in
// memory (a failure to open it is not remembered).
import { createHmac, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { Schema } from 'mongoose';
import type { Envelope } from '../../privacy/envelope.ts';
import { isDuplicateKeyError } from '../../privacy/duplicate-key.ts';
import { defineModel, type Store } from '../../store/store.ts';
import type { TenantContext } from '../../store/tenant-context.ts';

interface SearchKeyDoc {
  _id: string;
  key: string;
  createdAt: Date;
}

const SearchKey = defineModel<SearchKeyDoc>(
  'MeetingSearchKey',
  new Schema<SearchKeyDoc>(
    {
      _id: { type: String, required: true },
      key: { type: String, required: true },
      createdAt: { type: Date, required: true },
    },
    { collection: 'meeting_search_keys', versionKey: false },
  ),
);

const KEY_ID = 'v1';
const TOKEN_BYTES = 12;

export class SearchKeys {
  readonly #store: Store;
  readonly #envelope: Envelope;
  readonly #keys = new Map<string, Promise<KeyObject>>();

  constructor(store: Store, envelope: Envelope) {
    this.#store = store;
    this.#envelope = envelope;
  }

  /** The blind tokens of these terms (already normalized), in their order. */
  async tokens(ctx: TenantContext, terms: readonly string[]): Promise<string[]> {
    const key = await this.#keyOf(ctx);
    return terms.map((term) =>
      createHmac('sha256', key)
        .update(term)
        .digest()
        .subarray(0, TOKEN_BYTES)
        .toString('base64url'),
    );
  }

  #keyOf(ctx: TenantContext): Promise<KeyObject> {
    let pending = this.#keys.get(ctx.tenantId);
    if (!pending) {
      pending = this.#load(ctx);
      // A failure (key provider down) is not remembered.
      pending.catch(() => this.#keys.delete(ctx.tenantId));
      this.#keys.set(ctx.tenantId, pending);
    }
    return pending;
  }

  async #load(ctx: TenantContext): Promise<KeyObject> {
    const Keys = await this.#store.tenantModel(ctx, SearchKey);
    const target = { collection: 'meeting_search_keys', id: KEY_ID, field: 'key' };
    let doc = await Keys.findById(KEY_ID).lean();
    if (!doc) {
      const raw = randomBytes(32);
      const sealed = await this.#envelope.sealToken(ctx, target, raw.toString('base64'));
      try {
        await Keys.create({ _id: KEY_ID, key: sealed, createdAt: new Date() });
        return createSecretKey(raw);
      } catch (error) {
        // Another process made the key first: everyone must use the same one.
        if (!isDuplicateKeyError(error)) throw error;
        doc = await Keys.findById(KEY_ID).lean();
        if (!doc) throw error;
      } finally {
        raw.fill(0);
      }
    }
    const opened = await this.#envelope.openToken(ctx, target, doc.key);
    return createSecretKey(Buffer.from(opened, 'base64'));
  }
}
