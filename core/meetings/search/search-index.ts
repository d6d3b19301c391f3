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
// the person can see, on every search; the index answers from a few small records and decrypts
// only the meetings it found, to show where the words were said. The benchmark
// (tests/bench/meetings.ts) measures both; tests/bench/search-index.ts measures the index alone
// up to 10,000 meetings.
//
// Storage, all by exact `_id` (the embedded database serves nothing else from an index): each
// meeting's tokens are one record (`meeting_search`, `_id` = meeting id), the source of truth
// for removing them. A newly indexed meeting waits in a short pending list; once it holds
// `pendingLimit` meetings they are merged into the postings (search-postings.ts: per month of
// the meeting's start, token -> meetings), each touched postings record rewritten once for the
// whole batch. A search reads the pending meetings' records and, month by month newest first,
// one postings record per word. Rewriting postings (merge, removal, re-indexing) holds a
// per-tenant lock (core/store/exclusive.ts); joining the pending list is one atomic update.
// The postings reveal what the per-meeting records do (which meetings share a token), and the
// month of a meeting's start, which its record holds in plaintext.
import { randomBytes } from 'node:crypto';
import { Schema, type Model } from 'mongoose';
import type { Envelope } from '../../privacy/envelope.ts';
import { ExpiringLru } from '../../privacy/expiring-lru.ts';
import { deleteByIds, findByIds } from '../../store/by-id.ts';
import { defineModel, type Store } from '../../store/store.ts';
import type { TenantContext } from '../../store/tenant-context.ts';
import { Meeting } from '../models.ts';
import {
  DEFAULT_BUCKETS,
  HEAD_ID,
  TOKEN_LENGTH,
  addPostings,
  dropWholePeriods,
  findInPeriod,
  meetingsInPeriods,
  latestPending,
  pendingEntry,
  pendingMeeting,
  periodOf,
  postingsStore,
  removePostings,
  tableCache,
  type IndexedMeeting,
  type PostingsStore,
} from './search-postings.ts';
import { SearchKeys } from './search-keys.ts';

interface SearchEntry {
  /** The meeting id. */
  _id: string;
  /**
   * The meeting's tokens, sorted, concatenated (16 characters each): one string, because the
   * embedded database decodes an array element by element. Records written before the postings
   * hold an array, until the migration rewrites them.
   */
  tokens: string | string[];
  /** The month of the meeting's start (`yyyy-mm`), where its postings are. */
  period?: string;
}

export const MeetingSearchEntry = defineModel<SearchEntry>(
  'MeetingSearchEntry',
  new Schema<SearchEntry>(
    {
      _id: { type: String, required: true },
      tokens: { type: Schema.Types.Mixed, required: true },
      period: String,
    },
    { collection: 'meeting_search', versionKey: false },
  ),
);

/** Whether a record holds a token: a binary search over its sorted 16-character tokens. */
export function hasToken(tokens: string | string[], token: string): boolean {
  if (Array.isArray(tokens)) return tokens.includes(token);
  let lo = 0;
  let hi = tokens.length / TOKEN_LENGTH - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const here = tokens.slice(mid * TOKEN_LENGTH, (mid + 1) * TOKEN_LENGTH);
    if (here === token) return true;
    if (here < token) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** A record's tokens, in either layout. */
export function entryTokens(entry: Pick<SearchEntry, 'tokens'>): string[] {
  if (Array.isArray(entry.tokens)) return entry.tokens;
  const tokens: string[] = [];
  for (let i = 0; i < entry.tokens.length; i += TOKEN_LENGTH) {
    tokens.push(entry.tokens.slice(i, i + TOKEN_LENGTH));
  }
  return tokens;
}

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

export interface IndexOptions {
  /** The meeting's start, which files it under its month; read from the meeting when absent. */
  startsAt?: Date;
}

export interface FindOptions {
  /**
   * Enough: stop once this many meetings were kept, after finishing the month where that
   * happened. The result then holds every kept match of the months read, so sorting it by
   * start and taking `limit` gives the newest `limit` matches. All months when absent.
   */
  limit?: number;
  /**
   * Which of these candidates, found in these months (each month holding at least one of
   * them), to keep (e.g. the ones the person may see); all when absent.
   */
  keep?: (meetingIds: string[], periods: readonly string[]) => Promise<Iterable<string>>;
}

export interface SearchIndex {
  /** Replaces a meeting's entry with the words of `texts`. */
  index(
    ctx: TenantContext,
    meetingId: string,
    texts: readonly string[],
    options?: IndexOptions,
  ): Promise<number>;
  /**
   * Ids of the meetings whose entry has every one of `terms` (already normalized), the months
   * of the newest meetings first (in no particular order within a month).
   */
  find(ctx: TenantContext, terms: readonly string[], options?: FindOptions): Promise<string[]>;
  /** Which of these meetings have an entry. */
  existing(ctx: TenantContext, meetingIds: readonly string[]): Promise<Set<string>>;
  /**
   * Removes meetings' entries and postings. `months`: the months of their starts, where a
   * month all of whose meetings go is dropped whole (see dropWholePeriods); a meeting whose
   * month is not named, or was indexed under another, is removed token by token.
   */
  remove(
    ctx: TenantContext,
    meetingIds: readonly string[],
    options?: { months?: readonly string[] },
  ): Promise<number>;
}

/** Sizes of the index layout; the defaults are what the benchmark chose (tests/bench). */
export interface SearchLayout {
  /** Meetings waiting before a merge into the postings (50). */
  pendingLimit?: number;
  /**
   * Postings records per month (32, at most 64). Part of the stored layout: only for benchmarks
   * on fresh tenants.
   */
  buckets?: number;
  /** Months a search reads at once, at most (12; when a limit is given, 1, then 2, 4…). */
  periodsAtOnce?: number;
}

export interface SearchIndexDeps {
  store: Store;
  envelope: Envelope;
  layout?: SearchLayout;
}

export function createSearchIndex(deps: SearchIndexDeps): SearchIndex {
  return new BlindSearchIndex(deps);
}

class BlindSearchIndex implements SearchIndex {
  readonly #store: Store;
  readonly #keys: SearchKeys;
  readonly #pendingLimit: number;
  readonly #buckets: number;
  readonly #periodsAtOnce: number;
  // What searches read and can keep: the period tables (see search-postings.ts) and the pending
  // entries, each named with the version it was indexed as, so neither goes stale.
  readonly #tables = tableCache();
  readonly #pendingCache = new ExpiringLru<Pick<SearchEntry, 'tokens' | 'period'> | null>({
    max: 1000,
    ttlMs: 10 * 60_000,
  });

  constructor(deps: SearchIndexDeps) {
    this.#store = deps.store;
    this.#keys = new SearchKeys(deps.store, deps.envelope);
    this.#pendingLimit = deps.layout?.pendingLimit ?? 50;
    this.#buckets = Math.min(deps.layout?.buckets ?? DEFAULT_BUCKETS, 64);
    this.#periodsAtOnce = deps.layout?.periodsAtOnce ?? 12;
  }

  async #handles(ctx: TenantContext) {
    const Entries = await this.#store.tenantModel(ctx, MeetingSearchEntry);
    const postings = await postingsStore(this.#store, ctx, this.#buckets);
    return { Entries, postings };
  }

  async #startsAtOf(ctx: TenantContext, meetingId: string): Promise<Date | undefined> {
    const Meetings = await this.#store.tenantModel(ctx, Meeting);
    return (await Meetings.findById(meetingId, { startsAt: 1 }).lean())?.startsAt;
  }

  /** A meeting indexed again: its postings for words it no longer has (or a month it left) go. */
  async #dropStale(
    postings: PostingsStore,
    old: SearchEntry,
    now: { period: string; tokens: readonly string[] },
  ): Promise<void> {
    const moved = old.period !== now.period;
    const current = new Set(now.tokens);
    const stale = entryTokens(old).filter((token) => moved || !current.has(token));
    if (!old.period || stale.length === 0) return;
    const meeting = { id: old._id, period: old.period, tokens: stale, dropNumber: moved };
    await postings.exclusive(() => removePostings(postings, [meeting]));
  }

  /** Merges the pending meetings into the postings once there are enough of them. */
  async #merge(postings: PostingsStore, Entries: EntriesModel): Promise<void> {
    await postings.exclusive(async () => {
      const batch = (await postings.model.findById(HEAD_ID).lean())?.pending ?? [];
      // Someone merged them while this one waited for the lock.
      if (batch.length < this.#pendingLimit) return;
      const entries = await findByIds(Entries, [...new Set(batch.map(pendingMeeting))]);
      const meetings = entries.flatMap(indexedMeeting);
      await addPostings(postings, meetings);
      // In one update: a meeting leaves the pending list when its month is listed.
      await postings.updateHead({
        $addToSet: { periods: { $each: [...new Set(meetings.map((m) => m.period))] } },
        $pullAll: { pending: batch },
      });
    });
  }

  /** Pending meetings holding every token, by month. */
  async #pendingMatches(
    Entries: EntriesModel,
    pending: readonly string[],
    wanted: readonly string[],
  ): Promise<Map<string, string[]>> {
    const pendingCache = this.#pendingCache;
    const prefix = `${Entries.db.name}/`;
    const entries = latestPending(pending);
    const missing = entries.filter((entry) => pendingCache.get(prefix + entry) === undefined);
    const read = new Map(
      (await findByIds(Entries, missing.map(pendingMeeting))).map((doc) => [doc._id, doc]),
    );
    for (const entry of missing)
      pendingCache.set(prefix + entry, read.get(pendingMeeting(entry)) ?? null);
    const byPeriod = new Map<string, string[]>();
    for (const entry of entries) {
      const doc = pendingCache.get(prefix + entry);
      if (!doc?.period || !wanted.every((token) => hasToken(doc.tokens, token))) continue;
      byPeriod.set(doc.period, [...(byPeriod.get(doc.period) ?? []), pendingMeeting(entry)]);
    }
    return byPeriod;
  }

  async index(
    ctx: TenantContext,
    meetingId: string,
    texts: readonly string[],
    options: IndexOptions = {},
  ): Promise<number> {
    const terms = new Set<string>();
    for (const text of texts) for (const term of normalizedTerms(text)) terms.add(term);
    // Sorted tokens, not sorted words: the order says nothing about the words.
    const entry = [...new Set(await this.#keys.tokens(ctx, [...terms]))].sort();
    const startsAt = options.startsAt ?? (await this.#startsAtOf(ctx, meetingId)) ?? new Date();
    const period = periodOf(startsAt);
    const { Entries, postings } = await this.#handles(ctx);
    const old = await Entries.findOneAndReplace(
      { _id: meetingId },
      { _id: meetingId, tokens: entry.join(''), period },
      { upsert: true, returnDocument: 'before' },
    ).lean();
    if (old) await this.#dropStale(postings, old, { period, tokens: entry });
    const version = randomBytes(6).toString('base64url');
    const head = await postings.updateHead({
      $addToSet: { pending: pendingEntry(meetingId, version) },
    });
    if ((head?.pending?.length ?? 0) >= this.#pendingLimit) await this.#merge(postings, Entries);
    return entry.length;
  }

  async find(
    ctx: TenantContext,
    terms: readonly string[],
    options: FindOptions = {},
  ): Promise<string[]> {
    if (terms.length === 0) return [];
    const wanted = [...new Set(await this.#keys.tokens(ctx, terms))];
    const { Entries, postings } = await this.#handles(ctx);
    const head = await postings.model.findById(HEAD_ID).lean();
    const merged = new Set(head?.periods ?? []);
    const inPeriod = (p: string) =>
      merged.has(p) ? findInPeriod(postings, p, wanted, this.#tables) : Promise.resolve([]);
    // The pending meetings are read while the newest month is.
    const newest = [...merged].sort().at(-1);
    const [waiting, first] = await Promise.all([
      this.#pendingMatches(Entries, head?.pending ?? [], wanted),
      newest ? inPeriod(newest) : Promise.resolve([]),
    ]);
    const periods = [...new Set([...merged, ...waiting.keys()])].sort().reverse();
    const found: string[] = [];
    const seen = new Set<string>();
    const periodsAtOnce = this.#periodsAtOnce;
    // Enough is often found in the newest months: read one, then two, four… at a time.
    let width = options.limit === undefined ? periodsAtOnce : 1;
    for (let i = 0; i < periods.length; i += width, width = Math.min(width * 2, periodsAtOnce)) {
      const window = periods.slice(i, i + width);
      const hits = await Promise.all(
        window.map((p) => (p === newest ? Promise.resolve(first) : inPeriod(p))),
      );
      // A meeting being merged is in both; each is offered once.
      const byPeriod = window.map((p, k) =>
        [...hits[k]!, ...(waiting.get(p) ?? [])].filter(
          (id) => !seen.has(id) && Boolean(seen.add(id)),
        ),
      );
      const candidates = byPeriod.flat();
      if (candidates.length === 0) continue;
      // Only the months that hold candidates: a rare word found in one month of a window of
      // twelve has the caller read that month's records, not twelve months' worth.
      const holding = window.filter((_, k) => byPeriod[k]!.length > 0);
      const kept = options.keep ? new Set(await options.keep(candidates, holding)) : undefined;
      found.push(...(kept ? candidates.filter((id) => kept.has(id)) : candidates));
      if (options.limit !== undefined && found.length >= options.limit) break;
    }
    return found;
  }

  async existing(ctx: TenantContext, meetingIds: readonly string[]): Promise<Set<string>> {
    const Entries = await this.#store.tenantModel(ctx, MeetingSearchEntry);
    const found = await findByIds(Entries, meetingIds, { _id: 1 });
    return new Set(found.map((entry) => entry._id));
  }

  async remove(
    ctx: TenantContext,
    meetingIds: readonly string[],
    options: { months?: readonly string[] } = {},
  ): Promise<number> {
    const ids = [...new Set(meetingIds)];
    if (ids.length === 0) return 0;
    const { Entries, postings } = await this.#handles(ctx);
    return postings.exclusive(async () => {
      const { dropped, remaining } = await dropWholePeriods(
        postings,
        new Set(ids),
        options.months ?? [],
      );
      const stored = await findByIds(
        Entries,
        await entriesToRead(postings, ids, dropped, remaining),
      );
      const meetings = stored
        .flatMap(indexedMeeting)
        .filter((m) => !dropped.has(m.period))
        .map((m) => ({ ...m, dropNumber: true }));
      // Postings first, the entries last: a removal cut short is found again and finished.
      await removePostings(postings, meetings);
      const gone = new Set(ids);
      const pending = (await postings.model.findById(HEAD_ID).lean())?.pending ?? [];
      const waiting = pending.filter((entry) => gone.has(pendingMeeting(entry)));
      if (waiting.length > 0) await postings.updateHead({ $pullAll: { pending: waiting } });
      return deleteByIds(Entries, ids);
    });
  }
}

type EntriesModel = Model<SearchEntry>;

/**
 * The meetings whose entries a removal must read for their tokens: all but those numbered only
 * in months dropped whole, which have no postings left. One numbered in another month's table
 * too (indexed there again, by a run cut short before it left the first) is read, and its entry
 * says which month still holds its postings. The other months' tables are read only when that
 * is fewer reads than the entries.
 */
async function entriesToRead(
  postings: PostingsStore,
  ids: readonly string[],
  dropped: ReadonlyMap<string, string[]>,
  remaining: readonly string[],
): Promise<string[]> {
  const inDropped = new Set([...dropped.values()].flat());
  if (inDropped.size <= remaining.length) return [...ids];
  const elsewhere = await meetingsInPeriods(postings, remaining);
  return ids.filter((id) => !inDropped.has(id) || elsewhere.has(id));
}

/** An entry as the postings take it; none for a record the migration has not rewritten yet. */
export function indexedMeeting(entry: SearchEntry): IndexedMeeting[] {
  return entry.period ? [{ id: entry._id, period: entry.period, tokens: entryTokens(entry) }] : [];
}
