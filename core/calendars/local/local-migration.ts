// Moves the local calendar to its exact-`_id` layout (see local-event-model.ts): each event
// gets the `_id` derived from its owner and request (a booking that points at the old id is
// pointed at the new one), and the week documents are built from all events.
import type { Collection } from 'mongodb';
import type { Types } from 'mongoose';
import { upsertByIds } from '../../store/by-id.ts';
import type { MigrationStep } from '../../store/migrations.ts';
import { LocalEvent, LocalWeek, localEventId, type LocalEventDoc } from './local-event-model.ts';
import { weekDocsFor } from './local-weeks.ts';

/** Indexes of the old layout: the unique one would refuse an event's copy under its new id. */
const OLD_INDEXES = [
  'calendarId_1_requestId_1',
  'calendarId_1_start_1',
  'attendees.email_1_start_1',
];

async function dropOldIndexes(events: Collection): Promise<void> {
  for (const name of OLD_INDEXES) {
    try {
      await events.dropIndex(name);
    } catch {
      // Not there (a new tenant, or dropped by an earlier run): nothing to do.
    }
  }
}

/** Booking ids by the local event id they point at (the only records holding such ids). */
async function bookingsByEvent(bookings: Collection): Promise<Map<string, string[]>> {
  const found = await bookings
    .find(
      { provider: 'local', providerEventId: { $ne: null } },
      { projection: { providerEventId: 1 } },
    )
    .toArray();
  const byEvent = new Map<string, string[]>();
  for (const b of found) {
    const id = String(b.providerEventId);
    byEvent.set(id, [...(byEvent.get(id) ?? []), String(b._id)]);
  }
  return byEvent;
}

/** Re-keys one event: copy under the new id, bookings repointed, then the old one removed. */
async function rekey(
  events: Collection,
  bookings: Collection,
  event: LocalEventDoc,
  to: Types.ObjectId,
  pointing: string[],
): Promise<void> {
  await events.replaceOne({ _id: to }, { ...event, _id: to }, { upsert: true });
  for (const id of pointing) {
    await bookings.updateOne({ _id: id as never }, { $set: { providerEventId: to.toHexString() } });
  }
  await events.deleteOne({ _id: event._id });
}

export const localCalendarWeeksStep: MigrationStep = {
  name: 'local-calendar-by-id-and-weeks',
  description: 'local calendar events keyed by owner and request, and listed per person and week',
  async runForTenant(store, ctx) {
    const Events = await store.tenantModel(ctx, LocalEvent);
    const Weeks = await store.tenantModel(ctx, LocalWeek);
    const bookings = Events.db.collection('bookings');
    await dropOldIndexes(Events.collection);
    const all = (await Events.find({}).lean()) as LocalEventDoc[];
    if (all.length === 0) return 0;
    const pointing = await bookingsByEvent(bookings);
    const current = new Map<string, LocalEventDoc>();
    for (const event of all) {
      const to = localEventId(event.calendarId, event.requestId);
      if (!to.equals(event._id)) {
        await rekey(
          Events.collection,
          bookings,
          event,
          to,
          pointing.get(event._id.toHexString()) ?? [],
        );
      }
      current.set(to.toHexString(), { ...event, _id: to });
    }
    await upsertByIds(Weeks, weekDocsFor([...current.values()]));
    return current.size;
  },
};
