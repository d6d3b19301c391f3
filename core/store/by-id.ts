// Reading and writing many documents by exact `_id`, one statement per id.
//
// Why not `{_id: {$in: ids}}`: the embedded database (FerretDB 1.24 on SQLite) turns into SQL,
// and so into an index lookup, only a filter that is exactly `{_id: <string or ObjectId>}`;
// anything else, `$in` included, reads and decodes the whole collection. These helpers send
// one exact-`_id` statement per id (reads concurrently, writes as one bulk command), which
// costs a lookup per id on both FerretDB and MongoDB.
import type { Model } from 'mongoose';

/** At most this many reads in flight at once from one call. */
const READ_CONCURRENCY = 16;
/**
 * Statements per bulk command. FerretDB runs each statement as its own transaction (about 1 ms
 * each on SQLite, measured) and stalled on a single bulk command of 100 updates; 20 keep every
 * command short on both databases.
 */
const BULK_SIZE = 20;

async function inBulks<O>(ops: O[], send: (bulk: O[]) => Promise<void>): Promise<void> {
  for (let i = 0; i < ops.length; i += BULK_SIZE) await send(ops.slice(i, i + BULK_SIZE));
}

/** The documents with these ids, in the order of `ids`; missing ones are left out. */
export async function findByIds<T>(
  model: Model<T>,
  ids: readonly string[],
  projection?: Record<string, 0 | 1>,
): Promise<T[]> {
  const unique = [...new Set(ids)];
  const found = new Map<string, T>();
  let next = 0;
  async function worker(): Promise<void> {
    while (next < unique.length) {
      const id = unique[next++]!;
      const doc = (await model.findById(id, projection).lean()) as T | null;
      if (doc) found.set(id, doc);
    }
  }
  await Promise.all(
    Array.from({ length: Math.min(READ_CONCURRENCY, unique.length) }, () => worker()),
  );
  return unique.flatMap((id) => (found.has(id) ? [found.get(id)!] : []));
}

/** Deletes the documents with these ids; returns how many were deleted. */
export async function deleteByIds<T>(model: Model<T>, ids: readonly string[]): Promise<number> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return 0;
  let deleted = 0;
  await inBulks(unique, async (bulk) => {
    const result = await model.bulkWrite(
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      bulk.map((id) => ({ deleteOne: { filter: { _id: id } as any } })),
      { ordered: false },
    );
    deleted += result.deletedCount;
  });
  return deleted;
}

/** Replaces (or inserts) each document by its `_id`, in one bulk command. */
export async function upsertByIds<T extends { _id: string }>(
  model: Model<T>,
  docs: readonly T[],
): Promise<void> {
  if (docs.length === 0) return;
  await inBulks([...docs], async (bulk) => {
    await model.bulkWrite(
      bulk.map((doc) => ({
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        replaceOne: { filter: { _id: doc._id } as any, replacement: doc as any, upsert: true },
      })),
      { ordered: false },
    );
  });
}

/** Applies the same update to each of these documents, one exact-_id statement each. */
export async function updateByIds<T>(
  model: Model<T>,
  ids: readonly string[],
  update: Record<string, unknown>,
): Promise<void> {
  const unique = [...new Set(ids)];
  await inBulks(unique, async (bulk) => {
    await model.bulkWrite(
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      bulk.map((id) => ({ updateOne: { filter: { _id: id } as any, update: update as any } })),
      { ordered: false },
    );
  });
}

/**
 * Inserts the documents in one command; those whose `_id` exists already are left as they are.
 * Resolves to the ids that existed (refused as duplicates), in the order of `docs`.
 */
export async function insertNew<T extends { _id: string }>(
  model: Model<T>,
  docs: readonly T[],
): Promise<string[]> {
  if (docs.length === 0) return [];
  try {
    await model.insertMany([...docs], { ordered: false });
    return [];
  } catch (error) {
    const writeErrors = (error as { writeErrors?: Array<{ index: number; code?: number }> })
      .writeErrors;
    if (Array.isArray(writeErrors) && writeErrors.every((e) => e.code === 11000)) {
      return writeErrors.map((e) => docs[e.index]!._id);
    }
    // One document refused may come as a plain duplicate-key error.
    if ((error as { code?: number }).code === 11000 && docs.length === 1) return [docs[0]!._id];
    throw error;
  }
}
