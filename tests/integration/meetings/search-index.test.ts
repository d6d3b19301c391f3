// The blind search index on the real database: pending meetings and merged monthly postings
// answer alike, removal leaves nothing of a meeting behind, and the migration moves entries of
// the layout before the postings.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSearchIndex, type SearchIndex } from '../../../core/meetings/search/search-index.ts';
import { searchPostingsStep } from '../../../core/meetings/search/search-migration.ts';
import { POSTINGS_COLLECTION } from '../../../core/meetings/search/search-postings.ts';
import { createEnvelope, type Envelope } from '../../../core/privacy/envelope.ts';
import { openLocalKeyring } from '../../../core/privacy/local-keyring.ts';
import { openStore, type Store } from '../../../core/store/store.ts';
import {
  tenantDatabaseName,
  verifiedTenantContext,
  type TenantContext,
} from '../../../core/store/tenant-context.ts';
import { mongoUri, testTenantId } from '../../support/db.ts';

let store: Store;
let client: MongoClient;
let envelope: Envelope;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'quorum-search-'));

const newTenant = () => verifiedTenantContext(testTenantId(), 'system');
const tenantDb = (ctx: TenantContext): Db => client.db(tenantDatabaseName(ctx));
/** A small merge size, so a handful of meetings exercises the postings. */
const index = (pendingLimit = 3): SearchIndex =>
  createSearchIndex({ store, envelope, layout: { pendingLimit, periodsAtOnce: 2 } });
const month = (m: number) => new Date(Date.UTC(2027, m - 1, 10, 9));
const head = async (ctx: TenantContext) => {
  const doc = await tenantDb(ctx)
    .collection<{ _id: string; pending?: string[]; periods?: string[] }>(POSTINGS_COLLECTION)
    .findOne({ _id: 'head' });
  // Pending entries are `<meetingId>.<version>`.
  return doc && { ...doc, pending: doc.pending?.map((entry) => entry.split('.')[0]) };
};
const postingsOf = (ctx: TenantContext) =>
  tenantDb(ctx).collection<{ _id: string; ids?: string }>(POSTINGS_COLLECTION);
const postingsText = async (ctx: TenantContext) =>
  JSON.stringify(await tenantDb(ctx).collection(POSTINGS_COLLECTION).find().toArray());

beforeAll(async () => {
  store = await openStore({ uri: mongoUri() });
  client = await new MongoClient(mongoUri()).connect();
  envelope = createEnvelope({ store, keys: await openLocalKeyring({ dataDir: scratch }) });
});

afterAll(async () => {
  await client?.close();
  await store?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('search index', () => {
  it('finds meetings whether still pending or merged into monthly postings, newest months first', async () => {
    const ctx = newTenant();
    const search = index();
    for (let m = 1; m <= 7; m++) {
      await search.index(ctx, `m${m}`, [`Budget review ${m % 2 ? 'odd' : 'even'} month${m}`], {
        startsAt: month(m),
      });
    }
    // Two merges of three: one meeting still waits.
    expect((await head(ctx))?.pending).toEqual(['m7']);
    expect((await head(ctx))?.periods).toHaveLength(6);

    expect(await search.find(ctx, ['budget', 'odd'])).toEqual(['m7', 'm5', 'm3', 'm1']);
    expect(await search.find(ctx, ['month4'])).toEqual(['m4']);
    expect(await search.find(ctx, ['budget', 'giraffe'])).toEqual([]);
    // The postings hold tokens and numbers only.
    const text = await postingsText(ctx);
    for (const word of ['budget', 'review', 'odd', 'month']) expect(text).not.toContain(word);

    // Enough results: the months before are not read; `keep` sees the candidates first.
    const offered: string[][] = [];
    const newest = await search.find(ctx, ['budget'], {
      limit: 3,
      keep: async (ids) => {
        offered.push(ids);
        return ids.filter((id) => id !== 'm6');
      },
    });
    expect(newest).toEqual(['m7', 'm5', 'm4', 'm3']);

    // More meetings merged into a month a search already read: found too.
    for (const id of ['j1', 'j2']) {
      await search.index(ctx, id, ['budget june'], { startsAt: month(6) });
    }
    expect((await head(ctx))?.pending).toEqual([]);
    expect((await search.find(ctx, ['budget'])).slice(0, 4)).toEqual(['m7', 'm6', 'j1', 'j2']);
    // The newest month alone, then two at a time (periodsAtOnce); February and January are
    // never read.
    expect(offered).toEqual([['m7'], ['m6', 'm5'], ['m4', 'm3']]);
  });

  it('offers `keep` only the months that hold candidates', async () => {
    const ctx = newTenant();
    const search = index();
    for (let m = 1; m <= 6; m++) {
      const words = m === 2 || m === 5 ? 'rare word' : 'common word';
      await search.index(ctx, `m${m}`, [`${words} month${m}`], { startsAt: month(m) });
    }
    const offered: Array<{ ids: string[]; periods: readonly string[] }> = [];
    const found = await search.find(ctx, ['rare'], {
      limit: 3,
      keep: async (ids, periods) => {
        offered.push({ ids, periods });
        return ids;
      },
    });
    expect(found).toEqual(['m5', 'm2']);
    // Windows of one, then two months: [June], [May, April], [March, February], [January].
    expect(offered).toEqual([
      { ids: ['m5'], periods: ['2027-05'] },
      { ids: ['m2'], periods: ['2027-02'] },
    ]);
  });

  it('forgets the words and the month a meeting no longer has when it is indexed again', async () => {
    const ctx = newTenant();
    const search = index(2);
    await search.index(ctx, 'a', ['alpha shared'], { startsAt: month(3) });
    await search.index(ctx, 'b', ['beta shared'], { startsAt: month(3) });
    expect((await head(ctx))?.pending).toEqual([]);

    await search.index(ctx, 'a', ['gamma shared'], { startsAt: month(3) });
    expect(await search.find(ctx, ['alpha'])).toEqual([]);
    expect(await search.find(ctx, ['gamma'])).toEqual(['a']);
    await search.index(ctx, 'b', ['beta moved'], { startsAt: month(5) });
    expect(await search.find(ctx, ['shared']).then((ids) => ids.sort())).toEqual(['a']);
    expect(await search.find(ctx, ['beta'])).toEqual(['b']);
    // Both merged again (pending reached 2): still found, in their new month.
    expect((await head(ctx))?.pending).toEqual([]);
    expect(await search.find(ctx, ['beta', 'moved'])).toEqual(['b']);
    expect(await search.find(ctx, ['shared'])).toEqual(['a']);

    // Indexed again while still pending: the words it had are not found from memory.
    await search.index(ctx, 'p', ['alpha'], { startsAt: month(5) });
    expect(await search.find(ctx, ['alpha'])).toEqual(['p']);
    await search.index(ctx, 'p', ['omega'], { startsAt: month(5) });
    expect(await search.find(ctx, ['alpha'])).toEqual([]);
    expect(await search.find(ctx, ['omega'])).toEqual(['p']);
  });

  it('removes merged and pending meetings entirely, and counts what it removed', async () => {
    const ctx = newTenant();
    const search = index();
    const ids = ['r1', 'r2', 'r3', 'r4', 'r5'];
    for (const [i, id] of ids.entries()) {
      await search.index(ctx, id, ['quarterly planning', `only${i}`], { startsAt: month(2) });
    }
    expect([...(await search.existing(ctx, ['r1', 'r5', 'nope']))].sort()).toEqual(['r1', 'r5']);

    expect(await search.remove(ctx, ['r1', 'r4', 'r5', 'nope'])).toBe(3);
    expect((await search.find(ctx, ['quarterly'])).sort()).toEqual(['r2', 'r3']);
    expect(await search.find(ctx, ['only0'])).toEqual([]);
    expect(await search.existing(ctx, ['r1', 'r4', 'r5'])).toEqual(new Set());
    const text = await postingsText(ctx);
    for (const id of ['r1', 'r4', 'r5']) expect(text).not.toContain(`"${id}`);
    expect(await search.remove(ctx, ['r1'])).toBe(0);
  });

  it('drops a month whose every meeting goes without reading its postings; its numbers are never given again', async () => {
    const ctx = newTenant();
    const search = index(2);
    const postingsDocs = postingsOf(ctx);
    await search.index(ctx, 'w1', ['winter alpha'], { startsAt: month(3) });
    await search.index(ctx, 'w2', ['winter beta'], { startsAt: month(3) });
    await search.index(ctx, 'k1', ['winter gamma'], { startsAt: month(4) });
    await search.index(ctx, 'k2', ['spring'], { startsAt: month(4) });
    expect((await head(ctx))?.pending).toEqual([]);

    expect(await search.remove(ctx, ['w1', 'w2'], { months: ['2027-03'] })).toBe(2);
    const march = await postingsDocs.find({ _id: { $regex: /^b:2027-03:/ } }).toArray();
    expect(march).toEqual([]);
    expect((await postingsDocs.findOne({ _id: 'ids:2027-03' }))?.ids).toBe(' ');
    expect((await head(ctx))?.periods).toEqual(['2027-04']);
    expect(await search.find(ctx, ['winter'])).toEqual(['k1']);
    // April keeps its postings: k2 is not in the month dropped.
    expect(await search.find(ctx, ['spring'])).toEqual(['k2']);

    // New meetings of March take new numbers, after those of w1 and w2.
    await search.index(ctx, 'w3', ['winter delta'], { startsAt: month(3) });
    await search.index(ctx, 'w4', ['autumn'], { startsAt: month(3) });
    expect((await postingsDocs.findOne({ _id: 'ids:2027-03' }))?.ids).toBe('  w3 w4');
    expect((await search.find(ctx, ['winter'])).sort()).toEqual(['k1', 'w3']);
    expect(await search.find(ctx, ['alpha'])).toEqual([]);
  });

  it('removes the postings a meeting has in another month when its month is dropped whole', async () => {
    const ctx = newTenant();
    const search = index(2);
    const postingsDocs = postingsOf(ctx);
    await search.index(ctx, 'x', ['harbor'], { startsAt: month(5) });
    await search.index(ctx, 'y', ['harbor'], { startsAt: month(5) });
    // x moves to June; as if the run had stopped before x left May's table, its number is back.
    await search.index(ctx, 'x', ['lunar'], { startsAt: month(6) });
    await postingsDocs.updateOne({ _id: 'ids:2027-05' }, { $set: { ids: 'x y' } });
    await search.index(ctx, 'z', ['lunar tide'], { startsAt: month(6) });
    expect((await search.find(ctx, ['lunar'])).sort()).toEqual(['x', 'z']);

    // May is all x and y: dropped whole. x's June postings are found through its entry.
    expect(await search.remove(ctx, ['x', 'y'], { months: ['2027-05'] })).toBe(2);
    expect((await head(ctx))?.periods).toEqual(['2027-06']);
    expect(await search.find(ctx, ['lunar'])).toEqual(['z']);
    expect(await search.find(ctx, ['harbor'])).toEqual([]);
    expect(await postingsText(ctx)).not.toContain('"x ');
  });

  it('keeps every meeting right when indexing and removal run at once', async () => {
    const ctx = newTenant();
    const search = index(4);
    const ids = Array.from({ length: 24 }, (_, i) => `c${i}`);
    const removed = ids.filter((_, i) => i % 3 === 0);
    await Promise.all(
      ids.map((id, i) =>
        search.index(ctx, id, [`common word${i}`], { startsAt: month((i % 4) + 1) }),
      ),
    );
    await Promise.all([
      search.remove(ctx, removed.slice(0, 4)),
      ...ids.map((id, i) =>
        search.index(ctx, id, [`common again${i}`], { startsAt: month((i % 4) + 1) }),
      ),
    ]);
    await search.remove(ctx, removed.slice(4));
    const kept = ids.filter((id) => !removed.includes(id));
    expect((await search.find(ctx, ['common'])).sort()).toEqual([...kept].sort());
    for (const [i, id] of ids.entries()) {
      expect(await search.find(ctx, [`again${i}`])).toEqual(removed.includes(id) ? [] : [id]);
      expect(await search.find(ctx, [`word${i}`])).toEqual([]);
    }
  });
});

describe('migration to monthly postings', () => {
  it('moves entries of the old layout, resumably and once', async () => {
    const ctx = newTenant();
    const search = index(100);
    const db = tenantDb(ctx);
    for (let i = 0; i < 6; i++) {
      await search.index(ctx, `old${i}`, [`retro topic${i}`], { startsAt: month(i + 1) });
      await db
        .collection<{ _id: string; startsAt: Date }>('meetings')
        .insertOne({ _id: `old${i}`, startsAt: month(i + 1) });
    }
    // The layout before the postings: the token list as an array, no month, no postings.
    const entries = db.collection<{ _id: string; tokens: unknown; period?: string }>(
      'meeting_search',
    );
    for (const entry of await entries.find().toArray()) {
      const tokens = (entry.tokens as string).match(/.{16}/g)!;
      await entries.replaceOne({ _id: entry._id }, { tokens });
    }
    await entries.createIndex({ tokens: 1 });
    await db.collection(POSTINGS_COLLECTION).drop();
    expect(await search.find(ctx, ['retro'])).toEqual([]);

    expect(await searchPostingsStep.runForTenant(store, ctx)).toBe(6);
    expect(await search.find(ctx, ['retro'])).toEqual([
      'old5',
      'old4',
      'old3',
      'old2',
      'old1',
      'old0',
    ]);
    expect(await search.find(ctx, ['topic3'])).toEqual(['old3']);
    const rewritten = await entries.findOne({ _id: 'old3' });
    expect(rewritten).toMatchObject({
      period: '2027-04',
      tokens: expect.stringMatching(/^[\w-]{32}$/),
    });

    // A run cut short after writing postings, before rewriting the records: the next run
    // finishes, and a meeting is still filed once.
    await entries.updateOne(
      { _id: 'old3' },
      { $set: { tokens: (rewritten!.tokens as string).match(/.{16}/g) }, $unset: { period: '' } },
    );
    expect(await searchPostingsStep.runForTenant(store, ctx)).toBe(1);
    expect(await searchPostingsStep.runForTenant(store, ctx)).toBe(0);
    const april = await db
      .collection<{ _id: string; ids: string }>(POSTINGS_COLLECTION)
      .findOne({ _id: 'ids:2027-04' });
    expect(april?.ids).toBe('old3');
    expect(await search.find(ctx, ['retro', 'topic3'])).toEqual(['old3']);
    expect(await db.collection('meeting_search').indexes()).not.toContainEqual(
      expect.objectContaining({ name: 'tokens_1' }),
    );
  });
});
