// Lists addressed by their owner: "the sessions of this user", "the API keys of this tenant".
//
// Why: the embedded database (FerretDB 1.24) serves only an exact `{_id}` filter from an index;
// `find({userId})` reads the whole collection. So each owner keeps one document,
// `${scope}:${ownerId}:${kind}` in `identity_lists`, listing the ids of its records; readers
// take the ids and fetch the records by `_id` (core/store/by-id.ts).
//
// A list may name a record that is gone or that moved to another owner (a Slack account linked
// to someone else): readers check each record's owner, so a stale entry is harmless. A list
// must never miss a record, so writers add the entry before writing the record and remove it
// after deleting the record.
//
// Entries change with $addToSet/$pullAll: atomic on MongoDB; on FerretDB they read, modify and
// write back without a lock, so changes of one list are serialized in this process (the embedded
// database is served by one process).
import type { Collection } from 'mongodb';
import { serialized } from '../store/serial.ts';
import type { Store } from '../store/store.ts';

export const LISTS_COLLECTION = 'identity_lists';

export interface ListItem {
  id: string;
  /** When the record expires by itself (a session); null for records that stay. */
  expiresAt: Date | null;
}

interface ListDoc {
  _id: string;
  items: ListItem[];
}

/** Entries of records that expired this long ago are dropped when the list is next added to. */
const EXPIRED_GRACE_MS = 24 * 60 * 60 * 1000;

export type ListScope = 'user' | 'tenant' | 'accounts';

export interface OwnerList {
  /** The ids listed for an owner, oldest first. */
  ids(ownerId: string): Promise<string[]>;
  add(ownerId: string, id: string, expiresAt?: Date | null): Promise<void>;
  /** Adds many entries at once (migrations). */
  addAll(ownerId: string, items: readonly ListItem[]): Promise<void>;
  remove(ownerId: string, ids: readonly string[]): Promise<void>;
  drop(ownerId: string): Promise<void>;
}

export function listsCollection(store: Store): Collection<ListDoc> {
  return store.control.collection<ListDoc>(LISTS_COLLECTION);
}

export function ownerList(
  store: Store,
  scope: ListScope,
  kind: string,
  options: { now?: () => Date } = {},
): OwnerList {
  const lists = listsCollection(store);
  const now = options.now ?? (() => new Date());
  const docId = (ownerId: string) => `${scope}:${ownerId}:${kind}`;
  const inOrder = <T>(id: string, fn: () => Promise<T>) =>
    serialized(`${store.control.name}/${LISTS_COLLECTION}/${id}`, fn);

  async function pruneExpired(id: string, items: readonly ListItem[]): Promise<void> {
    const cutoff = now().getTime() - EXPIRED_GRACE_MS;
    const stale = items.filter((i) => i.expiresAt && i.expiresAt.getTime() < cutoff);
    if (stale.length > 0) await lists.updateOne({ _id: id }, { $pullAll: { items: stale } });
  }

  return {
    async ids(ownerId) {
      const doc = await lists.findOne({ _id: docId(ownerId) });
      return [...new Set((doc?.items ?? []).map((i) => i.id))];
    },

    add(ownerId, id, expiresAt = null) {
      const _id = docId(ownerId);
      return inOrder(_id, async () => {
        const doc = await lists.findOneAndUpdate(
          { _id },
          { $addToSet: { items: { id, expiresAt } } },
          { upsert: true, returnDocument: 'after' },
        );
        if (expiresAt) await pruneExpired(_id, doc?.items ?? []);
      });
    },

    addAll(ownerId, items) {
      const _id = docId(ownerId);
      if (items.length === 0) return Promise.resolve();
      return inOrder(_id, async () => {
        await lists.updateOne(
          { _id },
          { $addToSet: { items: { $each: [...items] } } },
          { upsert: true },
        );
      });
    },

    remove(ownerId, ids) {
      const _id = docId(ownerId);
      if (ids.length === 0) return Promise.resolve();
      return inOrder(_id, async () => {
        const doc = await lists.findOne({ _id });
        // $pullAll needs the exact entries: FerretDB ignores $pull with a condition.
        const gone = (doc?.items ?? []).filter((i) => ids.includes(i.id));
        if (gone.length > 0) await lists.updateOne({ _id }, { $pullAll: { items: gone } });
      });
    },

    drop(ownerId) {
      const _id = docId(ownerId);
      return inOrder(_id, async () => {
        await lists.deleteOne({ _id });
      });
    },
  };
}
