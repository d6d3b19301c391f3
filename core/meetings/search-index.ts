// Search over encrypted meetings without a plaintext index: a keyed blind index.
//
// Each meeting's words (transcript, summary, action items, title) are normalized, and each
// distinct word is stored only as HMAC-SHA256(tenant search key, word), cut to 96 bits. A search
// computes the same tokens for the words asked for and finds the meetings holding all of them.
// The search key is random per tenant and stored sealed under the tenant's token data key, so
// the index alone reveals no word; what it does reveal is which meetings share a word (equal
// tokens) and how many distinct words a meeting has. It finds whole words only, not parts.
//
// Why not decrypt-and-scan: finding one word that way decrypts every segment of every meeting
// the person can see, on every search; the index answers from one small record per meeting and
// decrypts only the meetings it found, to show where the words were said. The benchmark
// (tests/bench/meetings.ts) measures both.
import { createHmac, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { Schema } from 'mongoose';
import type { Envelope } from '../privacy/envelope.ts';
import { isDuplicateKeyError } from '../privacy/duplicate-key.ts';
import { defineModel, type Store } from '../store/store.ts';
import type { TenantContext } from '../store/tenant-context.ts';

interface SearchEntry {
  /** The meeting id. */
  _id: string;
  tokens: string[];
}

export const MeetingSearchEntry = defineModel<SearchEntry>(
  'MeetingSearchEntry',
  new Schema<SearchEntry>(
    { _id: { type: String, required: true }, tokens: { type: [String], default: [], index: true } },
    { collection: 'meeting_search', versionKey: false },
  ),
);

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
const MAX_TERM_LENGTH = 40;

// Words too common to be worth a token.
const STOP_WORDS = new Set(
  (
    'a an and are as at be but by for from has have i if in into is it its of on or our so ' +
    'that the their them then there these they this to was we were will with you your'
  ).split(' '),
);

/** The distinct words of a text as they are indexed: lower case, accents off, no stop words. */
export function normalizedTerms(text: string): string[] {
  const terms = new Set<string>();
  const plain = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
  for (const word of plain.split(/[^\p{L}\p{N}]+/u)) {
    if (word.length < 2 || word.length > MAX_TERM_LENGTH || STOP_WORDS.has(word)) continue;
    terms.add(word);
  }
  return [...terms];
}

export interface SearchIndex {
  /** Replaces a meeting's entry with the words of `texts`. */
  index(ctx: TenantContext, meetingId: string, texts: readonly string[]): Promise<number>;
  /** Ids of the meetings whose entry has every one of `terms` (already normalized). */
  find(ctx: TenantContext, terms: readonly string[]): Promise<string[]>;
  /** Which of these meetings have an entry. */
  existing(ctx: TenantContext, meetingIds: readonly string[]): Promise<Set<string>>;
  remove(ctx: TenantContext, meetingIds: readonly string[]): Promise<number>;
}

export function createSearchIndex(deps: { store: Store; envelope: Envelope }): SearchIndex {
  const keys = new Map<string, Promise<KeyObject>>();

  async function loadKey(ctx: TenantContext): Promise<KeyObject> {
    const Keys = await deps.store.tenantModel(ctx, SearchKey);
    const target = { collection: 'meeting_search_keys', id: KEY_ID, field: 'key' };
    let doc = await Keys.findById(KEY_ID).lean();
    if (!doc) {
      const raw = randomBytes(32);
      const sealed = await deps.envelope.sealToken(ctx, target, raw.toString('base64'));
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
    const opened = await deps.envelope.openToken(ctx, target, doc.key);
    return createSecretKey(Buffer.from(opened, 'base64'));
  }

  function keyOf(ctx: TenantContext): Promise<KeyObject> {
    let pending = keys.get(ctx.tenantId);
    if (!pending) {
      pending = loadKey(ctx);
      // A failure (key provider down) is not remembered.
      pending.catch(() => keys.delete(ctx.tenantId));
      keys.set(ctx.tenantId, pending);
    }
    return pending;
  }

  async function tokens(ctx: TenantContext, terms: readonly string[]): Promise<string[]> {
    const key = await keyOf(ctx);
    return terms.map((term) =>
      createHmac('sha256', key)
        .update(term)
        .digest()
        .subarray(0, TOKEN_BYTES)
        .toString('base64url'),
    );
  }

  return {
    async index(ctx, meetingId, texts) {
      const terms = new Set<string>();
      for (const text of texts) for (const term of normalizedTerms(text)) terms.add(term);
      const Entries = await deps.store.tenantModel(ctx, MeetingSearchEntry);
      const entry = await tokens(ctx, [...terms].sort());
      await Entries.replaceOne({ _id: meetingId }, { tokens: entry }, { upsert: true });
      return entry.length;
    },

    async find(ctx, terms) {
      if (terms.length === 0) return [];
      const Entries = await deps.store.tenantModel(ctx, MeetingSearchEntry);
      const wanted = await tokens(ctx, terms);
      const found = await Entries.find({ tokens: { $all: wanted } }, { _id: 1 }).lean();
      return found.map((entry) => entry._id);
    },

    async existing(ctx, meetingIds) {
      const Entries = await deps.store.tenantModel(ctx, MeetingSearchEntry);
      const found = await Entries.find({ _id: { $in: [...meetingIds] } }, { _id: 1 }).lean();
      return new Set(found.map((entry) => entry._id));
    },

    async remove(ctx, meetingIds) {
      const Entries = await deps.store.tenantModel(ctx, MeetingSearchEntry);
      return (await Entries.deleteMany({ _id: { $in: [...meetingIds] } })).deletedCount;
    },
  };
}
