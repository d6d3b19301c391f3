// The lists the outbox reads by exact `_id` instead of searching its events (see outbox.ts):
//
// - `outbox_feed`, one document per day (`day:<yyyy-mm-dd>`): the ids of the events published
//   that day, in order. Events live a week, so a consumer reads at most 8 of them.
// - `outbox_done`, one document per consumer and day (`<consumer>|<yyyy-mm-dd>`): the events of
//   that day the consumer acknowledged; and `consumers`, the consumers that ever acknowledged,
//   so forgetting an event reaches every list that names it.
//
// Each list is bounded by the events of one day, and expires a day after those events do.
// Appending is an operator update: atomic on MongoDB, and taking turns within the one process
// that serves the embedded database (serialized), whose operator updates are not atomic.
import { Schema, type Model } from 'mongoose';
import { findByIds } from '../store/by-id.ts';
import { serialized } from '../store/serial.ts';
import { defineModel } from '../store/store.ts';

export interface ListDoc {
  _id: string;
  events: string[];
  /** Absent on the consumers list, which is never swept. */
  expiresAt?: Date;
}

const listSchema = (collection: string) =>
  new Schema<ListDoc>(
    {
      _id: { type: String, required: true },
      events: { type: [String], default: [] },
      expiresAt: Date,
    },
    { collection, versionKey: false },
  );

export const OutboxFeedModel = defineModel<ListDoc>('OutboxFeed', listSchema('outbox_feed'));
export const OutboxDoneModel = defineModel<ListDoc>('OutboxDone', listSchema('outbox_done'));

const DAY_MS = 86_400_000;
/** Days of events a consumer looks at: the lifetime of an event (a week), and today. */
export const FEED_DAYS = 8;
const CONSUMERS_ID = 'consumers';

export const dayOf = (at: Date) => at.toISOString().slice(0, 10);
export const feedId = (day: string) => `day:${day}`;
export const doneId = (consumer: string, day: string) => `${consumer}|${day}`;

/** The days whose events may still be alive at `at`, oldest first. */
export function liveDays(at: Date): string[] {
  return Array.from({ length: FEED_DAYS }, (_, i) =>
    dayOf(new Date(at.getTime() - (FEED_DAYS - 1 - i) * DAY_MS)),
  );
}

/** A day's lists expire a day after the last event of that day does. */
function listExpiry(day: string, eventLifetimeMs: number): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS + eventLifetimeMs + DAY_MS);
}

export class OutboxLists {
  readonly #feed: Model<ListDoc>;
  readonly #done: Model<ListDoc>;
  readonly #lifetimeMs: number;
  readonly #registered = new Set<string>();

  constructor(feed: Model<ListDoc>, done: Model<ListDoc>, eventLifetimeMs: number) {
    this.#feed = feed;
    this.#done = done;
    this.#lifetimeMs = eventLifetimeMs;
  }

  /** One operator update of a list; `day` (new lists only) sets when a list expires. */
  #change(model: Model<ListDoc>, id: string, update: Record<string, unknown>, day?: string) {
    const insert = day ? { $setOnInsert: { expiresAt: listExpiry(day, this.#lifetimeMs) } } : {};
    return serialized(`${model.db.name}/${model.collection.collectionName}/${id}`, async () => {
      await model.updateOne({ _id: id }, { ...update, ...insert }, { upsert: day !== undefined });
    });
  }

  /** Adds an event to the feed of the day it was published. Adding it twice changes nothing. */
  published(eventId: string, createdAt: Date): Promise<void> {
    const day = dayOf(createdAt);
    return this.#change(this.#feed, feedId(day), { $addToSet: { events: eventId } }, day);
  }

  /** Lists a consumer once per process, so forgetting an event reaches its lists and claims. */
  async register(consumer: string): Promise<void> {
    if (this.#registered.has(consumer)) return;
    // The consumers list is never swept: made here, without an expiry.
    await serialized(`${this.#done.db.name}/outbox_done/${CONSUMERS_ID}`, () =>
      this.#done.updateOne(
        { _id: CONSUMERS_ID },
        { $addToSet: { events: consumer } },
        { upsert: true },
      ),
    );
    this.#registered.add(consumer);
  }

  async acked(consumer: string, eventId: string, createdAt: Date): Promise<void> {
    await this.register(consumer);
    const day = dayOf(createdAt);
    await this.#change(this.#done, doneId(consumer, day), { $addToSet: { events: eventId } }, day);
  }

  /** Event ids of the live days this consumer has not acknowledged, oldest first. */
  async waiting(consumer: string, at: Date): Promise<string[]> {
    const days = liveDays(at);
    const [feeds, done] = await Promise.all([
      findByIds(this.#feed, days.map(feedId)),
      findByIds(
        this.#done,
        days.map((day) => doneId(consumer, day)),
      ),
    ]);
    const acked = new Set(done.flatMap((list) => list.events));
    return feeds.flatMap((list) => list.events.filter((id) => !acked.has(id)));
  }

  /** Takes forgotten events out of their day's feed and every consumer's list. */
  async forget(events: ReadonlyArray<{ id: string; createdAt: Date }>): Promise<string[]> {
    const consumers = (await this.#done.findById(CONSUMERS_ID).lean())?.events ?? [];
    const byDay = new Map<string, string[]>();
    for (const event of events) {
      const day = dayOf(event.createdAt);
      byDay.set(day, [...(byDay.get(day) ?? []), event.id]);
    }
    for (const [day, ids] of byDay) {
      const pull = { $pullAll: { events: ids } };
      await this.#change(this.#feed, feedId(day), pull);
      for (const consumer of consumers) {
        await this.#change(this.#done, doneId(consumer, day), pull);
      }
    }
    return consumers;
  }
}
