// The lists the outbox reads by exact `_id` instead of searching its events (see outbox.ts):
//
// - `outbox_feed`, one document per hour (`hour:<yyyy-mm-ddThh>`): the ids of the events listed
//   that hour (published then), in order.
// - `outbox_done`, one document per consumer and hour (`<consumer>|<yyyy-mm-ddThh>`): the events
//   of that hour the consumer acknowledged; `consumers`, the consumers that ever acknowledged, so
//   forgetting an event reaches every list that names it; and each consumer's cursor
//   (`cursor|<consumer>`): the first hour that may still hold an event it has not acknowledged.
//
// Why hours and a cursor: the lists live in the control database, shared by every tenant, and an
// operator update of a list costs the embedded database (FerretDB) time per entry. Day lists
// grew with a whole day's events of every tenant (10,000 meetings summarized in a day made each
// publish rewrite a list of thousands); an hour's list holds an hour's events, and a consumer
// reads only the hours from its cursor on, so a poll reads a few small documents. The cursor
// stays an hour behind the clock, for the publishers whose clocks are behind this one.
//
// Each list is bounded by the events of one hour, and expires a day after those events do.
// Appending is an operator update: atomic on MongoDB, and taking turns within the one process
// that serves the embedded database (serialized), whose operator updates are not atomic.
import { Schema, type Model } from 'mongoose';
import { findByIds } from '../store/by-id.ts';
import { serialized } from '../store/serial.ts';
import { defineModel } from '../store/store.ts';

export interface ListDoc {
  _id: string;
  events: string[];
  /** Absent on the consumers list and the cursors, which are never swept. */
  expiresAt?: Date;
  /** A cursor's hour. */
  hour?: string;
}

const listSchema = (collection: string) =>
  new Schema<ListDoc>(
    {
      _id: { type: String, required: true },
      events: { type: [String], default: [] },
      expiresAt: Date,
      hour: String,
    },
    { collection, versionKey: false },
  );

export const OutboxFeedModel = defineModel<ListDoc>('OutboxFeed', listSchema('outbox_feed'));
export const OutboxDoneModel = defineModel<ListDoc>('OutboxDone', listSchema('outbox_done'));

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Hours of events a consumer may have to look at: the lifetime of an event (a week), and today. */
export const FEED_HOURS = 8 * 24;
/** How far behind the clock a cursor stays: publishers' clocks may be behind this one. */
export const CURSOR_LAG_MS = HOUR_MS;
const CONSUMERS_ID = 'consumers';

export const hourOf = (at: Date) => at.toISOString().slice(0, 13);
export const feedId = (hour: string) => `hour:${hour}`;
export const doneId = (consumer: string, hour: string) => `${consumer}|${hour}`;
const cursorId = (consumer: string) => `cursor|${consumer}`;

/** The hours whose events may still be alive at `at`, oldest first. */
export function liveHours(at: Date): string[] {
  return Array.from({ length: FEED_HOURS + 1 }, (_, i) =>
    hourOf(new Date(at.getTime() - (FEED_HOURS - i) * HOUR_MS)),
  );
}

/** An hour's lists expire a day after the last event of that hour does. */
function listExpiry(hour: string, eventLifetimeMs: number): Date {
  return new Date(Date.parse(`${hour}:00:00Z`) + HOUR_MS + eventLifetimeMs + DAY_MS);
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

  /** One operator update of a list; `hour` (new lists only) sets when a list expires. */
  #change(model: Model<ListDoc>, id: string, update: Record<string, unknown>, hour?: string) {
    const insert = hour ? { $setOnInsert: { expiresAt: listExpiry(hour, this.#lifetimeMs) } } : {};
    return serialized(`${model.db.name}/${model.collection.collectionName}/${id}`, async () => {
      await model.updateOne({ _id: id }, { ...update, ...insert }, { upsert: hour !== undefined });
    });
  }

  /** Adds an event to the feed of the hour it is listed in. Adding it twice changes nothing. */
  published(eventId: string, listedAt: Date): Promise<void> {
    const hour = hourOf(listedAt);
    return this.#change(this.#feed, feedId(hour), { $addToSet: { events: eventId } }, hour);
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

  async acked(consumer: string, eventId: string, listedAt: Date): Promise<void> {
    await this.register(consumer);
    const hour = hourOf(listedAt);
    await this.#change(
      this.#done,
      doneId(consumer, hour),
      { $addToSet: { events: eventId } },
      hour,
    );
  }

  /**
   * The events this consumer has not acknowledged, oldest first, with the hour listing each:
   * those of the live hours from its cursor on. `cursor` is where the reading began.
   */
  async waiting(
    consumer: string,
    at: Date,
  ): Promise<{ cursor: string | undefined; events: Array<{ id: string; hour: string }> }> {
    const cursor = (await this.#done.findById(cursorId(consumer), { hour: 1 }).lean())?.hour;
    const hours = liveHours(at).filter((hour) => cursor === undefined || hour >= cursor);
    const [feeds, done] = await Promise.all([
      findByIds(this.#feed, hours.map(feedId)),
      findByIds(
        this.#done,
        hours.map((hour) => doneId(consumer, hour)),
      ),
    ]);
    const acked = new Set(done.flatMap((list) => list.events));
    const feedOf = new Map(feeds.map((list) => [list._id, list.events]));
    const events = hours.flatMap((hour) =>
      (feedOf.get(feedId(hour)) ?? []).filter((id) => !acked.has(id)).map((id) => ({ id, hour })),
    );
    return { cursor, events };
  }

  /**
   * Moves the consumer's cursor to `held`, the first hour with an event it may still be offered
   * (claimed by someone else, waiting for a retry, or not looked at yet), or up to
   * CURSOR_LAG_MS behind `at` when there is none; never further, and never back.
   */
  async moveCursor(
    consumer: string,
    at: Date,
    from: string | undefined,
    held: string | undefined,
  ): Promise<void> {
    const lagging = hourOf(new Date(at.getTime() - CURSOR_LAG_MS));
    const next = held !== undefined && held < lagging ? held : lagging;
    if (from !== undefined && next <= from) return;
    await this.#done.updateOne(
      { _id: cursorId(consumer) },
      { $set: { hour: next } },
      { upsert: true },
    );
  }

  /** Takes forgotten events out of their hour's feed and every consumer's list. */
  async forget(events: ReadonlyArray<{ id: string; listedAt: Date }>): Promise<string[]> {
    const consumers = (await this.#done.findById(CONSUMERS_ID).lean())?.events ?? [];
    const byHour = new Map<string, string[]>();
    for (const event of events) {
      const hour = hourOf(event.listedAt);
      byHour.set(hour, [...(byHour.get(hour) ?? []), event.id]);
    }
    for (const [hour, ids] of byHour) {
      const pull = { $pullAll: { events: ids } };
      await this.#change(this.#feed, feedId(hour), pull);
      for (const consumer of consumers) {
        await this.#change(this.#done, doneId(consumer, hour), pull);
      }
    }
    return consumers;
  }

  /** The consumers that ever acknowledged an event. */
  async consumers(): Promise<string[]> {
    return (await this.#done.findById(CONSUMERS_ID).lean())?.events ?? [];
  }
}
