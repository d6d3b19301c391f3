// Storage migration: the search entries written before the postings existed (`tokens` as an
// array, no period) are merged into the monthly postings, then rewritten in the current layout.
//
// Resumable: a chunk's postings are written before its entries are rewritten, and adding
// postings twice changes nothing (a meeting keeps its number in its month), so a run cut short
// leaves old-layout entries that the next start merges again. Scans are fine here: migrations
// run before the server takes requests.
import { upsertByIds } from '../../store/by-id.ts';
import type { MigrationStep } from '../../store/migrations.ts';
import type { Store } from '../../store/store.ts';
import type { TenantContext } from '../../store/tenant-context.ts';
import { Meeting } from '../models.ts';
import { MeetingSearchEntry, entryTokens } from './search-index.ts';
import { addPostings, periodOf, postingsStore, type IndexedMeeting } from './search-postings.ts';

const CHUNK = 1000;

async function startsOf(store: Store, ctx: TenantContext): Promise<Map<string, Date>> {
  const Meetings = await store.tenantModel(ctx, Meeting);
  const meetings = await Meetings.find({}, { startsAt: 1 }).lean();
  return new Map(meetings.map((m) => [m._id, m.startsAt]));
}

async function dropTokensIndex(store: Store, ctx: TenantContext): Promise<void> {
  const Entries = await store.tenantModel(ctx, MeetingSearchEntry);
  let indexes: Array<{ name?: string }>;
  try {
    indexes = await Entries.collection.indexes();
  } catch (error) {
    // No collection yet (code 26, NamespaceNotFound): no index either.
    if ((error as { code?: unknown }).code === 26) return;
    throw error;
  }
  // The old index on the token array: nothing queries tokens any more.
  if (indexes.some((index) => index.name === 'tokens_1')) {
    await Entries.collection.dropIndex('tokens_1');
  }
}

async function moveChunk(
  store: Store,
  ctx: TenantContext,
  chunk: readonly IndexedMeeting[],
): Promise<void> {
  const postings = await postingsStore(store, ctx);
  await postings.exclusive(async () => {
    await addPostings(postings, chunk);
    const periods = [...new Set(chunk.map((m) => m.period))];
    await postings.updateHead({ $addToSet: { periods: { $each: periods } } });
  });
  // Only now the records take the new layout: a run cut short finds the rest again.
  const Entries = await store.tenantModel(ctx, MeetingSearchEntry);
  await upsertByIds(
    Entries,
    chunk.map((m) => ({ _id: m.id, tokens: m.tokens.join(''), period: m.period })),
  );
}

export const searchPostingsStep: MigrationStep = {
  name: 'meeting-search-postings',
  description: 'meeting search entries merged into monthly postings',
  async runForTenant(store, ctx) {
    const Entries = await store.tenantModel(ctx, MeetingSearchEntry);
    let starts: Map<string, Date> | undefined;
    // A record whose meeting is gone has no start: it is filed under the month of the move.
    const now = new Date();
    let chunk: IndexedMeeting[] = [];
    let moved = 0;
    // Streamed: the old records hold their tokens as arrays, large in memory.
    for await (const entry of Entries.find({ period: { $exists: false } })
      .lean()
      .cursor()) {
      // Rewritten by this run (a cursor may meet a record again): done.
      if (entry.period) continue;
      starts ??= await startsOf(store, ctx);
      chunk.push({
        id: entry._id,
        period: periodOf(starts.get(entry._id) ?? now),
        tokens: [...new Set(entryTokens(entry))].sort(),
      });
      if (chunk.length < CHUNK) continue;
      await moveChunk(store, ctx, chunk);
      moved += chunk.length;
      chunk = [];
    }
    if (chunk.length > 0) await moveChunk(store, ctx, chunk);
    await dropTokensIndex(store, ctx);
    return moved + chunk.length;
  },
};
