// A chat platform's account links (a Slack user, a Teams user, … to a Quorum person) are
// personal data: exported with the account and erased with it. Each adapter keeps its links in
// its own control-database collection, listed per person (lists.ts); this is their section of
// the export and the erasure, read and written by exact `_id`.
import type { Model } from 'mongoose';
import { deleteByIds, findByIds } from '../store/by-id.ts';
import type { OwnerList } from './lists.ts';
import type { UserDoc } from './models.ts';
import type { PersonalDataSection } from './personal-data.ts';

export interface LinkRecord {
  _id: string;
  userId: string;
}

export function linkPersonalData<L extends LinkRecord>(options: {
  /** The section's key in the export ("slack", "teams"). */
  name: string;
  /** The counts' key ("slackLinks"). */
  countKey: string;
  model: Model<L>;
  list: OwnerList;
  /** What of one link goes into the export. */
  exported(link: L): Record<string, unknown>;
}): PersonalDataSection {
  const { model, list, countKey } = options;
  const links = async (user: UserDoc) =>
    (await findByIds(model, await list.ids(user._id))).filter((l) => l.userId === user._id);
  return {
    name: options.name,
    async export(_ctx, user) {
      return { links: (await links(user)).map(options.exported) };
    },
    async count(_ctx, user) {
      return { [countKey]: (await links(user)).length };
    },
    async erase(_ctx, user) {
      const ids = (await links(user)).map((l) => l._id);
      const removed = await deleteByIds(model, ids);
      await list.drop(user._id);
      return { [countKey]: removed };
    },
  };
}
