// The postings of the blind search index (see search-index.ts): for each token, the meetings
// holding it, grouped so that a search reads a few documents by exact `_id` and a batch of new
// meetings rewrites each touched document once.
//
// Layout (collection `meeting_search_postings`, one per tenant):
// - `head`: the meetings indexed but not yet merged (`pending`, bounded by the merge size), each
//   as `<meetingId>.<version>` (a new version each time it is indexed, so a search may keep the
//   entries it read in memory), and the periods that have postings (`periods`, one per month).
// - `ids:<yyyy-mm>`: the meetings of a period in the order they were merged, space-separated;
//   a meeting's position is its number there. A removed meeting leaves an empty slot, so a
//   number never comes to mean another meeting.
// - `b:<yyyy-mm>:<bucket>`: the postings of the tokens whose first character falls in the
//   bucket: `,`-separated entries, each a token (16 characters) followed by the numbers of its
//   meetings (4 base64url characters each).
// - `lock` (and takeover markers `lock#…`): held by whoever rewrites postings (core/store/exclusive).
//
// Why strings: the embedded database (FerretDB 1.24) decodes every array element and every
// field of a document it reads or updates, at about 7-15 µs each (measured: a document of 32,000
// short strings in arrays took 240 ms to read; the same postings as one string per token 22 ms,
// and one string of 128 KB under 6 ms). Postings as one string per document keep reads and
// rewrites at about a millisecond per 30 KB.
//
// What the postings reveal is what the per-meeting token lists reveal already: which meetings
// share a token. The period is the month of the meeting's start, which the meeting record holds
// in plaintext.
import { Schema, type Model, type UpdateQuery } from 'mongoose';
import { ExpiringLru } from '../../privacy/expiring-lru.ts';
import { deleteByIds, findByIds, upsertByIds } from '../../store/by-id.ts';
import { exclusive } from '../../store/exclusive.ts';
import { serialized } from '../../store/serial.ts';
import { monthOf } from '../lists.ts';
import { defineModel, type Store } from '../../store/store.ts';
import { tenantDatabaseName, type TenantContext } from '../../store/tenant-context.ts';

export const POSTINGS_COLLECTION = 'meeting_search_postings';

export interface PostingsDoc {
  _id: string;
  /** Bucket documents: the encoded postings. */
  d?: string;
  /** Period documents: meeting ids by number. */
  ids?: string;
  /** The head: meetings not merged yet (`<meetingId>.<version>`), and the periods with postings. */
  pending?: string[];
  periods?: string[];
}

export const MeetingSearchPostings = defineModel<PostingsDoc>(
  'MeetingSearchPostings',
  new Schema<PostingsDoc>(
    {
      _id: { type: String, required: true },
      d: String,
      ids: String,
      pending: { type: [String], default: undefined },
      periods: { type: [String], default: undefined },
    },
    { collection: POSTINGS_COLLECTION, versionKey: false },
  ),
);

/** One meeting's entry as the postings need it. */
export interface IndexedMeeting {
  id: string;
  period: string;
  tokens: readonly string[];
}

export const HEAD_ID = 'head';
export const LOCK_ID = 'lock';
export const TOKEN_LENGTH = 16;
export const DEFAULT_BUCKETS = 32;
const NUMBER_WIDTH = 4;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const DIGIT = new Map([...ALPHABET].map((c, i) => [c, i]));

/**
 * The month a meeting starting at `at` is filed under: the month of its timelines and of the
 * retention purge's batches too (lists.ts), so a purge names the months the index files under.
 */
export const periodOf = monthOf;

export const periodDocId = (period: string) => `ids:${period}`;

export function bucketOf(token: string, buckets: number): number {
  // Tokens are base64url of a keyed hash: their first character is uniform over 64 values.
  return Math.floor(((DIGIT.get(token[0]!) ?? 0) * buckets) / 64);
}

export const bucketDocId = (period: string, bucket: number) =>
  `b:${period}:${String(bucket).padStart(2, '0')}`;

function encodeNumber(n: number): string {
  let out = '';
  for (let i = 0; i < NUMBER_WIDTH; i++) {
    out = ALPHABET[n % 64]! + out;
    n = Math.floor(n / 64);
  }
  return out;
}

function decodeNumber(s: string): number {
  let n = 0;
  for (const c of s) n = n * 64 + (DIGIT.get(c) ?? 0);
  return n;
}

/**
 * A bucket's postings: token -> its meetings' numbers, still encoded (ascending), so that a
 * merge decodes only what it changes. A merge's new meetings have the highest numbers of their
 * month, so their numbers are mostly appended to the end.
 */
type Bucket = Map<string, string>;

export function parseBucket(d: string | undefined): Bucket {
  const map: Bucket = new Map();
  if (!d) return map;
  for (const entry of d.split(','))
    map.set(entry.slice(0, TOKEN_LENGTH), entry.slice(TOKEN_LENGTH));
  return map;
}

function encodeBucket(map: Bucket): string {
  const entries: string[] = [];
  for (const [token, numbers] of map) if (numbers) entries.push(token + numbers);
  return entries.join(',');
}

function decodeNumbers(encoded: string): number[] {
  const numbers: number[] = [];
  for (let i = 0; i < encoded.length; i += NUMBER_WIDTH) {
    numbers.push(decodeNumber(encoded.slice(i, i + NUMBER_WIDTH)));
  }
  return numbers;
}

/** Adds numbers (ascending) to a token's postings; a number already there is not added again. */
function addNumbers(bucket: Bucket, token: string, numbers: readonly number[]): void {
  const encoded = bucket.get(token) ?? '';
  const last = encoded ? decodeNumber(encoded.slice(-NUMBER_WIDTH)) : -1;
  if (numbers[0]! > last) {
    bucket.set(token, encoded + numbers.map(encodeNumber).join(''));
    return;
  }
  const all = [...new Set([...decodeNumbers(encoded), ...numbers])].sort((a, b) => a - b);
  bucket.set(token, all.map(encodeNumber).join(''));
}

function removeNumbers(bucket: Bucket, token: string, drop: ReadonlySet<number>): void {
  const encoded = bucket.get(token);
  if (!encoded) return;
  let kept = '';
  for (let i = 0; i < encoded.length; i += NUMBER_WIDTH) {
    const chunk = encoded.slice(i, i + NUMBER_WIDTH);
    if (!drop.has(decodeNumber(chunk))) kept += chunk;
  }
  if (kept) bucket.set(token, kept);
  else bucket.delete(token);
}

/** The numbers of the meetings holding `token` in an encoded bucket, without parsing the rest. */
export function postingsOf(d: string | undefined, token: string): number[] {
  if (!d) return [];
  for (const entry of d.split(',')) {
    if (!entry.startsWith(token)) continue;
    const numbers: number[] = [];
    for (let i = TOKEN_LENGTH; i < entry.length; i += NUMBER_WIDTH) {
      numbers.push(decodeNumber(entry.slice(i, i + NUMBER_WIDTH)));
    }
    return numbers;
  }
  return [];
}

export const parseTable = (ids: string | undefined): string[] => (ids ? ids.split(' ') : []);

export interface PostingsStore {
  model: Model<PostingsDoc>;
  buckets: number;
  /** Runs `fn` as the tenant's only writer of postings (merge, removal, re-indexing). */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  /** An operator update of the head (atomic on MongoDB; taking turns on the embedded one). */
  updateHead(update: UpdateQuery<PostingsDoc>): Promise<PostingsDoc | null>;
}

/**
 * The postings of a tenant. `buckets` is part of the layout: a tenant's postings are always read
 * with the count they were written with (the default, outside benchmarks on fresh tenants).
 */
export async function postingsStore(
  store: Store,
  ctx: TenantContext,
  buckets = DEFAULT_BUCKETS,
): Promise<PostingsStore> {
  const model = await store.tenantModel(ctx, MeetingSearchPostings);
  const dbName = tenantDatabaseName(ctx);
  const db = store.connection.useDb(dbName, { useCache: true }).db;
  if (!db) throw new Error('database connection is not open');
  const locks = db.collection<{ _id: string; holder: string; expiresAt: Date }>(
    POSTINGS_COLLECTION,
  );
  return {
    model,
    buckets,
    exclusive: (fn) => exclusive(locks, LOCK_ID, fn),
    updateHead: (update) =>
      serialized(`${dbName}/${POSTINGS_COLLECTION}/${HEAD_ID}`, () =>
        model
          .findOneAndUpdate({ _id: HEAD_ID }, update, { upsert: true, returnDocument: 'after' })
          .lean(),
      ),
  };
}

function groupByPeriod<T extends { period: string }>(items: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const list = groups.get(item.period) ?? [];
    list.push(item);
    groups.set(item.period, list);
  }
  return groups;
}

/** Reads the bucket documents of `tokens` in one period, parsed. */
async function readBuckets(
  postings: PostingsStore,
  period: string,
  tokens: Iterable<string>,
): Promise<Map<string, Bucket>> {
  const ids = new Set<string>();
  for (const token of tokens) ids.add(bucketDocId(period, bucketOf(token, postings.buckets)));
  const found = await findByIds(postings.model, [...ids], { d: 1 });
  const byId = new Map(found.map((doc) => [doc._id, parseBucket(doc.d)]));
  return new Map([...ids].map((id) => [id, byId.get(id) ?? new Map()]));
}

/**
 * Adds meetings' postings, each touched document rewritten once. Idempotent: a meeting keeps
 * its number in its period, and a number is added to a token once. Callers hold the lock.
 */
export async function addPostings(
  postings: PostingsStore,
  meetings: readonly IndexedMeeting[],
): Promise<void> {
  for (const [period, group] of groupByPeriod(meetings)) {
    const tableId = periodDocId(period);
    const table = parseTable((await postings.model.findById(tableId, { ids: 1 }).lean())?.ids);
    const numberOf = new Map(table.map((id, n) => [id, n]));
    const before = table.length;
    for (const meeting of group) {
      if (!numberOf.has(meeting.id)) numberOf.set(meeting.id, table.push(meeting.id) - 1);
    }
    // The numbers first: a posting must never name a number its period does not know yet.
    if (table.length !== before) {
      await postings.model.replaceOne({ _id: tableId }, { ids: table.join(' ') }, { upsert: true });
    }
    const adds = new Map<string, number[]>();
    for (const meeting of group) {
      const n = numberOf.get(meeting.id)!;
      for (const token of meeting.tokens) {
        const numbers = adds.get(token);
        if (numbers) numbers.push(n);
        else adds.set(token, [n]);
      }
    }
    const buckets = await readBuckets(postings, period, adds.keys());
    for (const [token, numbers] of adds) {
      const bucket = buckets.get(bucketDocId(period, bucketOf(token, postings.buckets)))!;
      addNumbers(
        bucket,
        token,
        [...new Set(numbers)].sort((a, b) => a - b),
      );
    }
    await upsertByIds(
      postings.model,
      [...buckets].map(([_id, bucket]) => ({ _id, d: encodeBucket(bucket) })),
    );
  }
}

/**
 * Removes meetings' postings for the tokens given; with `dropNumber`, also their numbers (the
 * meeting leaves the period). Idempotent. Callers hold the lock.
 */
export async function removePostings(
  postings: PostingsStore,
  meetings: ReadonlyArray<IndexedMeeting & { dropNumber: boolean }>,
): Promise<void> {
  for (const [period, group] of groupByPeriod(meetings)) {
    const tableId = periodDocId(period);
    const table = parseTable((await postings.model.findById(tableId, { ids: 1 }).lean())?.ids);
    const numberOf = new Map(table.map((id, n) => [id, n]));
    const known = group.filter((m) => numberOf.has(m.id));
    if (known.length === 0) continue;
    const drops = new Map<string, Set<number>>();
    for (const meeting of known) {
      const n = numberOf.get(meeting.id)!;
      for (const token of meeting.tokens) drops.set(token, (drops.get(token) ?? new Set()).add(n));
    }
    const buckets = await readBuckets(postings, period, drops.keys());
    for (const [token, numbers] of drops) {
      removeNumbers(
        buckets.get(bucketDocId(period, bucketOf(token, postings.buckets)))!,
        token,
        numbers,
      );
    }
    await upsertByIds(
      postings.model,
      [...buckets].map(([_id, bucket]) => ({ _id, d: encodeBucket(bucket) })),
    );
    // The postings are gone; only now may the numbers go (a rerun finds them again until then).
    const dropped = known.filter((m) => m.dropNumber);
    if (dropped.length === 0) continue;
    for (const meeting of dropped) table[numberOf.get(meeting.id)!] = '';
    await postings.model.replaceOne({ _id: tableId }, { ids: table.join(' ') }, { upsert: true });
  }
}

/**
 * Removes whole months without reading them: of `months`, each whose every meeting is in `gone`
 * loses its postings documents (deleted unread) and its numbers (emptied, never reused, so a
 * number kept in a search's memory never comes to name another meeting), and leaves the head's
 * months. Resolves to the months so dropped, each with the meetings it held, and the months
 * left. The other meetings' postings are removed token by
 * token (removePostings), which rewrites every bucket they touch: for a retention purge of a
 * month, its whole postings decoded and written again per batch. Callers hold the lock.
 */
export async function dropWholePeriods(
  postings: PostingsStore,
  gone: ReadonlySet<string>,
  months: Iterable<string>,
): Promise<{ dropped: Map<string, string[]>; remaining: string[] }> {
  const dropped = new Map<string, string[]>();
  const head = await postings.model.findById(HEAD_ID, { periods: 1 }).lean();
  const merged = new Set(head?.periods ?? []);
  for (const period of new Set(months)) {
    if (!merged.has(period)) continue;
    const tableId = periodDocId(period);
    const table = parseTable((await postings.model.findById(tableId, { ids: 1 }).lean())?.ids);
    const live = table.filter((id) => id !== '');
    if (live.length === 0 || !live.every((id) => gone.has(id))) continue;
    // Postings first, then the numbers, then the month off the head: a removal cut short
    // finds the month's meetings in its table again and finishes.
    await deleteByIds(
      postings.model,
      Array.from({ length: postings.buckets }, (_, b) => bucketDocId(period, b)),
    );
    await postings.model.replaceOne(
      { _id: tableId },
      { ids: table.map(() => '').join(' ') },
      { upsert: true },
    );
    await postings.updateHead({ $pullAll: { periods: [period] } });
    dropped.set(period, live);
  }
  return { dropped, remaining: [...merged].filter((period) => !dropped.has(period)) };
}

/** The meetings numbered in these months' tables. */
export async function meetingsInPeriods(
  postings: PostingsStore,
  periods: readonly string[],
): Promise<Set<string>> {
  const tables = await findByIds(postings.model, periods.map(periodDocId), { ids: 1 });
  return new Set(tables.flatMap((table) => parseTable(table.ids).filter((id) => id !== '')));
}

/**
 * The meetings of each period by number, kept in memory. Safe to keep: a number, once given,
 * always names the same meeting (a removed meeting's slot stays empty, and its postings go
 * before its slot does), so a number found in fresh postings is either in a cached table or
 * newer than it, and then the table is read again.
 */
export type TableCache = ExpiringLru<string[]>;

export function tableCache(): TableCache {
  return new ExpiringLru<string[]>({ max: 512, ttlMs: 10 * 60_000 });
}

async function tableOf(
  postings: PostingsStore,
  cache: TableCache,
  period: string,
  numbers: readonly number[],
): Promise<string[]> {
  const key = `${postings.model.db.name}/${period}`;
  const cached = cache.get(key);
  if (cached && numbers.every((n) => n < cached.length)) return cached;
  const table = parseTable(
    (await postings.model.findById(periodDocId(period), { ids: 1 }).lean())?.ids,
  );
  cache.set(key, table);
  return table;
}

/** Meetings of one period holding every token, by the merged postings. */
export async function findInPeriod(
  postings: PostingsStore,
  period: string,
  tokens: readonly string[],
  cache: TableCache = tableCache(),
): Promise<string[]> {
  const bucketOfToken = (t: string) => bucketDocId(period, bucketOf(t, postings.buckets));
  const docs = new Map(
    (await findByIds(postings.model, [...new Set(tokens.map(bucketOfToken))], { d: 1 })).map(
      (doc) => [doc._id, doc.d],
    ),
  );
  let found: Set<number> | undefined;
  for (const token of tokens) {
    const numbers = postingsOf(docs.get(bucketOfToken(token)), token);
    found = new Set(found ? numbers.filter((n) => found!.has(n)) : numbers);
    if (found.size === 0) return [];
  }
  const numbers = [...found!];
  const table = await tableOf(postings, cache, period, numbers);
  // A number the table does not know yet belongs to a merge under way: that meeting is still
  // pending, and found there.
  return numbers.flatMap((n) => (table[n] ? [table[n]] : []));
}

/** A pending entry: `<meetingId>.<version>`. */
export const pendingEntry = (meetingId: string, version: string) => `${meetingId}.${version}`;
export const pendingMeeting = (entry: string) =>
  entry.includes('.') ? entry.slice(0, entry.lastIndexOf('.')) : entry;

/** The newest entry of each pending meeting (an entry is appended each time it is indexed). */
export function latestPending(pending: readonly string[]): string[] {
  const latest = new Map<string, string>();
  for (const entry of pending) latest.set(pendingMeeting(entry), entry);
  return [...latest.values()];
}
