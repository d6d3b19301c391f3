// Keeps the week documents of the local calendar (see local-event-model.ts) in step with its
// events: every person an event blocks has it in each week it touches.
import type { Model } from 'mongoose';
import { changeManyEntries, type EntryChanges } from '../../store/entry-maps.ts';
import { weekDocsOf, type LocalEventDoc, type LocalWeekDoc } from './local-event-model.ts';

type Indexed = Pick<LocalEventDoc, '_id' | 'calendarId' | 'attendees' | 'start' | 'end'>;

/** Writes the event's times into every week document it belongs in. */
export async function indexEvent(weeks: Model<LocalWeekDoc>, event: Indexed): Promise<void> {
  const path = `events.${event._id.toHexString()}`;
  const entry = { start: event.start, end: event.end };
  const changes = new Map<string, EntryChanges>(
    weekDocsOf(event).map((id) => [id, { set: { [path]: entry } }]),
  );
  await changeManyEntries(weeks, changes);
}

/**
 * Removes the event from the week documents it was in; with `next` (the event's new version,
 * already indexed), only from those it no longer belongs in.
 */
export async function unindexEvent(
  weeks: Model<LocalWeekDoc>,
  previous: Indexed,
  next?: Indexed,
): Promise<void> {
  const path = `events.${previous._id.toHexString()}`;
  const keep = new Set(next ? weekDocsOf(next) : []);
  const changes = new Map<string, EntryChanges>(
    weekDocsOf(previous)
      .filter((id) => !keep.has(id))
      .map((id) => [id, { unset: [path] }]),
  );
  await changeManyEntries(weeks, changes);
}

/** Every week document of these events, built whole (the migration writes them at once). */
export function weekDocsFor(events: readonly Indexed[]): LocalWeekDoc[] {
  const docs = new Map<string, LocalWeekDoc>();
  for (const event of events) {
    for (const id of weekDocsOf(event)) {
      const doc = docs.get(id) ?? { _id: id, events: {} };
      doc.events[event._id.toHexString()] = { start: event.start, end: event.end };
      docs.set(id, doc);
    }
  }
  return [...docs.values()];
}
