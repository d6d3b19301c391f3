// Keeps the week documents of the local calendar (see local-event-model.ts) in step with its
// events: every person an event blocks has it in each week it touches (a series: each
// occurrence, in the week it falls in).
import type { Model } from 'mongoose';
import { changeManyEntries, type EntryChanges } from '../../store/entry-maps.ts';
import { placementsOf, type LocalWeekDoc } from './local-event-model.ts';

type Indexed = Parameters<typeof placementsOf>[0];

/** Writes the event's times into every week document it belongs in. */
export async function indexEvent(weeks: Model<LocalWeekDoc>, event: Indexed): Promise<void> {
  const changes = new Map<string, EntryChanges>(
    [...placementsOf(event)].map(([id, set]) => [id, { set }]),
  );
  await changeManyEntries(weeks, changes);
}

/**
 * Removes the event from the week documents it was in; with `next` (the event's new version,
 * already indexed), only the entries it no longer has there.
 */
export async function unindexEvent(
  weeks: Model<LocalWeekDoc>,
  previous: Indexed,
  next?: Indexed,
): Promise<void> {
  const keep = next ? placementsOf(next) : new Map<string, Record<string, unknown>>();
  const changes = new Map<string, EntryChanges>();
  for (const [id, entries] of placementsOf(previous)) {
    const unset = Object.keys(entries).filter((path) => !(path in (keep.get(id) ?? {})));
    if (unset.length > 0) changes.set(id, { unset });
  }
  await changeManyEntries(weeks, changes);
}

/** Every week document of these events, built whole (the migration writes them at once). */
export function weekDocsFor(events: readonly Indexed[]): LocalWeekDoc[] {
  const docs = new Map<string, LocalWeekDoc>();
  for (const event of events) {
    for (const [id, entries] of placementsOf(event)) {
      const doc = docs.get(id) ?? { _id: id, events: {} };
      for (const [path, entry] of Object.entries(entries)) {
        doc.events[path.slice('events.'.length)] = entry;
      }
      docs.set(id, doc);
    }
  }
  return [...docs.values()];
}
