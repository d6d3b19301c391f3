// Storage migration: the search entries written before the postings existed (`tokens` as an
// array, no period) are merged into the monthly postings, then rewritten in the current layout.
//
// Resumable: a chunk's postings are written before its entries are rewritten, and adding
// postings twice changes nothing (a meeting keeps its number in its month), so a run cut short
// leaves old-layout entries that the next start merges again. Scans are fine here: migrations
// run before the server takes requests.
import { upsertByIds } from '../store/by-id.ts';
import type { MigrationStep } from '../store/migrations.ts';
import type { Store } from '../store/store.ts';
import type { TenantContext } from '../store/tenant-context.ts';
import { Meeting } from './models.ts';
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

export const searchPostingsStep: MigrationStep = {
  name: 'meeting-search-postings',
  description: 'meeting search entries merged into monthly postings',
  async runForTenant(store, ctx) {
    const Entries = await store.tenantModel(ctx, MeetingSearchEntry);
    const legacy = await Entries.find({ period: { $exists: false } }).lean();
    if (legacy.length > 0) {
      const starts = await startsOf(store, ctx);
      const postings = await postingsStore(store, ctx);
      // A record whose meeting is gone has no start: it is filed under the month of the move.
      const now = new Date();
      for (let i = 0; i < legacy.length; i += CHUNK) {
        const meetings: IndexedMeeting[] = legacy.slice(i, i + CHUNK).map((entry) => ({
          id: entry._id,
          period: periodOf(starts.get(entry._id) ?? now),
          tokens: [...new Set(entryTokens(entry))].sort(),
        }));
        await postings.exclusive(async () => {
          await addPostings(postings, meetings);
          const periods = [...new Set(meetings.map((m) => m.period))];
          await postings.updateHead({ $addToSet: { periods: { $each: periods } } });
        });
        await upsertByIds(
          Entries,
          meetings.map((m) => ({ _id: m.id, tokens: m.tokens.join(''), period: m.period })),
        );
      }
    }
    await dropTokensIndex(store, ctx);
    return legacy.length;
  },
};
