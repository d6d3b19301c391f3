// The storage migration of timelines from one document per owner and month
// (`timeline:<owner>:<yyyy-mm>`) to the month's parts (`timeline:<owner>:<yyyy-mm>:<part>`, see
// lists.ts). Idempotent: entries are added to their part as a set, and a month document goes
// only after its parts hold its entries, so a start killed half-way is finished by the next.
import type { MigrationStep } from '../store/migrations.ts';
import { MeetingList, Lists, timelineDocId } from './lists.ts';

/** A whole-month document of the earlier layout: the id ends with the month, not a part. */
const MONTH_DOCUMENT = /^timeline:.+:\d{4}-\d{2}$/;

export const timelinePartsStep: MigrationStep = {
  name: 'meeting-timeline-parts',
  description: 'meeting timelines split by part of the month',
  async runForTenant(store, ctx) {
    const Model = await store.tenantModel(ctx, MeetingList);
    const lists = new Lists(Model);
    // A scan, as migrations may: the earlier layout is found by the shape of its ids.
    const months = await Model.find({ _id: { $regex: MONTH_DOCUMENT.source } }).lean();
    for (const month of months) {
      const owner = month._id.slice('timeline:'.length, month._id.lastIndexOf(':'));
      const byPart = new Map<string, string[]>();
      for (const entry of month.entries) {
        const id = timelineDocId(owner, entry);
        byPart.set(id, [...(byPart.get(id) ?? []), entry]);
      }
      for (const [id, entries] of byPart) await lists.add(id, entries);
      await Model.deleteOne({ _id: month._id });
    }
    return months.length;
  },
};
