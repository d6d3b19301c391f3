// "List" documents kept as maps: `{_id, <field>: {<entry id>: <value>}}`, one document per owner
// (and period), changed by setting and removing single entries.
//
// Why maps and not arrays: `$set`/`$unset` of one entry is a single atomic statement on MongoDB,
// and needs no read first. On the embedded FerretDB the same statement reads and rewrites the
// document without a lock, so every change of one document goes through `serialized` (the
// embedded database is served by one process). Entry ids must not contain dots or start with `$`.
import type { Model } from 'mongoose';
import { serialized } from './serial.ts';

export interface EntryChanges {
  /** `path -> value`, e.g. `{'events.<id>': {start, end}}`. */
  set?: Record<string, unknown>;
  /** Paths to remove, e.g. `['events.<id>']`. */
  unset?: readonly string[];
}

/** The `serialized` key of one document: database, collection and id. */
export function documentKey<T>(model: Model<T>, id: string): string {
  return `${model.db.name}/${model.collection.collectionName}/${id}`;
}

/** Applies `changes` to the document `id`, creating it when something is set. */
export function changeEntries<T>(
  model: Model<T>,
  id: string,
  changes: EntryChanges,
): Promise<void> {
  const set = changes.set ?? {};
  // A path both set and removed in one statement is refused by MongoDB: the set wins.
  const unset = [...new Set(changes.unset ?? [])].filter((path) => !(path in set));
  if (Object.keys(set).length === 0 && unset.length === 0) return Promise.resolve();
  const update = {
    ...(Object.keys(set).length > 0 ? { $set: set } : {}),
    ...(unset.length > 0 ? { $unset: Object.fromEntries(unset.map((path) => [path, 1])) } : {}),
  };
  return serialized(documentKey(model, id), async () => {
    // The driver's own statement: entries are plain values, outside the model's schema.
    await model.collection.updateOne({ _id: id as never }, update, {
      upsert: Object.keys(set).length > 0,
    });
  });
}

/** Applies changes to many documents at once (each document's own changes stay in order). */
export async function changeManyEntries<T>(
  model: Model<T>,
  changes: ReadonlyMap<string, EntryChanges>,
): Promise<void> {
  await Promise.all([...changes].map(([id, change]) => changeEntries(model, id, change)));
}

/** Adds `set`/`unset` of `other` into `into` (for building the changes of many documents). */
export function mergeChanges(
  into: Map<string, EntryChanges>,
  id: string,
  other: EntryChanges,
): void {
  const current = into.get(id) ?? {};
  into.set(id, {
    set: { ...current.set, ...other.set },
    unset: [...(current.unset ?? []), ...(other.unset ?? [])],
  });
}
