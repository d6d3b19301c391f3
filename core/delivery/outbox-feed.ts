// The lists the outbox reads by exact `_id` instead of searching its events (see outbox.ts):
//
// - `outbox_feed`: per minute (`hour:<yyyy-mm-ddThh>:<mm>`), the ids of the events listed in
//   that minute (published then), in order; per hour (`hour:<yyyy-mm-ddThh>`), which minutes of
//   the hour have such a document (`minutes`, at most 60), written before the minute's first
//   event, so a reader finds every minute from the hour.
// - `outbox_done`: per consumer and minute (`<consumer>|<yyyy-mm-ddThh>:<mm>`), the events of
//   that minute's feed the consumer acknowledged; `consumers`, the consumers that ever
//   acknowledged, so forgetting an event reaches every list that names it; and each consumer's
//   cursor (`cursor|<consumer>`): the first hour that may still hold an event it has not
//   acknowledged.
//
// Why minutes, hours and a cursor: the lists live in the control database, shared by every
// tenant, and an operator update of a list makes the embedded database (FerretDB) decode and
// rewrite the whole document, ~7-15 µs per entry. An hour's list of a tenant summarizing ~6
// meetings a second grew to ~20,000 entries; one append cost 140 ms or more at 9,000, taking
// turns on that one document, which capped the whole pipeline at a few meetings a second, and
// every poll read those lists again. A minute's list holds a minute's events; the hour's index
// changes once a minute (5,000 events listed within an hour: the last appends took ~45 ms each
// on hour lists, ~3.4 ms on minute lists; tests/bench/outbox-feed.ts). A consumer reads only the
// hours from its cursor on, and in them only the minutes that have events. The cursor stays an
// hour behind the clock, for the publishers whose clocks are behind this one.
//
// Before the minute lists, an hour's document held its events itself (`events`) and a consumer's
// acknowledgements of the hour were `<consumer>|<hour>`. Such lists are still read (an hour's
// own events come before its minutes) and forgotten from; an acknowledgement made now goes to
// the minute list of the event's listing time, so for such an hour a reader also reads all 60
// of the consumer's minute lists. They expire within ~8 days like every list, so no migration
// moves them.
//
// Each list is bounded by the events of one minute (an hour's index by 60 minutes), and expires a
// day after those events do (`expiresAt`, on every list document, minute and hour alike: the
// expiry job, core/store/expiry.ts, sweeps the collections by it). Appending is an operator
// update: atomic on MongoDB, and taking turns within the one process that serves the embedded
// database (serialized), whose operator updates are not atomic.
import { Schema, type Model } from 'mongoose';
import { findByIds } from '../store/by-id.ts';
import { serialized } from '../store/serial.ts';
import { defineModel } from '../store/store.ts';

export interface ListDoc {
  _id: string;
  events: string[];
  /** An hour's index: the minutes (`mm`) of the hour that have a feed document. */
  minutes?: string[];
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
      minutes: { type: [String], default: undefined },
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
/** How many indexed minutes the lists remember before they start again (each hour has 60). */
const KNOWN_INDEX_MAX = 10_000;
const ALL_MINUTES = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

export const hourOf = (at: Date) => at.toISOString().slice(0, 13);
export const minuteOf = (at: Date) => at.toISOString().slice(14, 16);
/** An hour's index of minutes (and, written before the minute lists, its events). */
export const feedId = (hour: string) => `hour:${hour}`;
export const minuteFeedId = (hour: string, minute: string) => `hour:${hour}:${minute}`;
/** A consumer's acknowledgements of an hour's own events (written before the minute lists). */
export const doneId = (consumer: string, hour: string) => `${consumer}|${hour}`;
export const minuteDoneId = (consumer: string, hour: string, minute: string) =>
  `${consumer}|${hour}:${minute}`;
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

/** What one hour's index names: its own events (the old layout) and its minutes, in order. */
interface HourPlan {
  hour: string;
  legacy: string[];
  minutes: string[];
}

export class OutboxLists {
  readonly #feed: Model<ListDoc>;
  readonly #done: Model<ListDoc>;
  readonly #lifetimeMs: number;
  readonly #registered = new Set<string>();
  /**
   * `<hour>:<mm>` these lists put in its hour's index: a minute's later events skip it. Per
   * instance (a process has one, its meetings kit's outbox), so lists opened on a database made
   * afresh never trust what was written to another.
   */
  readonly #indexed = new Set<string>();

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

  /**
   * Names the minute in its hour's index, before the minute's first event, so a reader that
   * finds the event finds it through the index. Once per minute and process: one that did not
   * know (restarted, or forgot) only writes it again, which changes nothing.
   */
  async #index(hour: string, minute: string): Promise<void> {
    const known = `${hour}:${minute}`;
    if (this.#indexed.has(known)) return;
    await this.#change(this.#feed, feedId(hour), { $addToSet: { minutes: minute } }, hour);
    if (this.#indexed.size >= KNOWN_INDEX_MAX) this.#indexed.clear();
    this.#indexed.add(known);
  }

  /** Adds an event to the feed of the minute it is listed in. Adding it twice changes nothing. */
  async published(eventId: string, listedAt: Date): Promise<void> {
    const hour = hourOf(listedAt);
    const minute = minuteOf(listedAt);
    await this.#index(hour, minute);
    await this.#change(
      this.#feed,
      minuteFeedId(hour, minute),
      { $addToSet: { events: eventId } },
      hour,
    );
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

  /** Beside the minute's feed: that of the minute the event was listed in. */
  async acked(consumer: string, eventId: string, listedAt: Date): Promise<void> {
    await this.register(consumer);
    const hour = hourOf(listedAt);
    await this.#change(
      this.#done,
      minuteDoneId(consumer, hour, minuteOf(listedAt)),
      { $addToSet: { events: eventId } },
      hour,
    );
  }

  /**
   * The events this consumer has not acknowledged, oldest first (hour, minute, order listed),
   * with the hour listing each: those of the live hours from its cursor on. `cursor` is where
   * the reading began.
   */
  async waiting(
    consumer: string,
    at: Date,
  ): Promise<{ cursor: string | undefined; events: Array<{ id: string; hour: string }> }> {
    const cursor = (await this.#done.findById(cursorId(consumer), { hour: 1 }).lean())?.hour;
    const hours = liveHours(at).filter((hour) => cursor === undefined || hour >= cursor);
    const plans = await this.#plans(hours);
    const [feeds, done] = await Promise.all([
      findByIds(
        this.#feed,
        plans.flatMap(({ hour, minutes }) => minutes.map((m) => minuteFeedId(hour, m))),
        { events: 1 },
      ),
      findByIds(
        this.#done,
        plans.flatMap((plan) => doneIds(consumer, plan)),
        { events: 1 },
      ),
    ]);
    const acked = new Set(done.flatMap((list) => list.events ?? []));
    const feedOf = new Map(feeds.map((list) => [list._id, list.events ?? []]));
    const offered = new Set<string>();
    const events: Array<{ id: string; hour: string }> = [];
    for (const { hour, legacy, minutes } of plans) {
      const listed = minutes.flatMap((minute) => feedOf.get(minuteFeedId(hour, minute)) ?? []);
      for (const id of [...legacy, ...listed]) {
        // Published again in the same hour, by the old code and then this: offered once.
        if (acked.has(id) || offered.has(id)) continue;
        offered.add(id);
        events.push({ id, hour });
      }
    }
    return { cursor, events };
  }

  /** The indexes of these hours (those that have one), in order, their minutes sorted. */
  async #plans(hours: readonly string[]): Promise<HourPlan[]> {
    const indexes = new Map(
      (await findByIds(this.#feed, hours.map(feedId), { events: 1, minutes: 1 })).map((doc) => [
        doc._id,
        doc,
      ]),
    );
    return hours.flatMap((hour) => {
      const index = indexes.get(feedId(hour));
      if (!index) return [];
      return [{ hour, legacy: index.events ?? [], minutes: [...(index.minutes ?? [])].sort() }];
    });
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

  /** Takes forgotten events out of their minute's feed and every consumer's list. */
  async forget(events: ReadonlyArray<{ id: string; listedAt: Date }>): Promise<string[]> {
    const consumers = await this.consumers();
    const byHour = new Map<string, Map<string, string[]>>();
    for (const event of events) {
      const hour = hourOf(event.listedAt);
      const minutes = byHour.get(hour) ?? new Map<string, string[]>();
      const minute = minuteOf(event.listedAt);
      minutes.set(minute, [...(minutes.get(minute) ?? []), event.id]);
      byHour.set(hour, minutes);
    }
    for (const [hour, minutes] of byHour) {
      for (const [minute, ids] of minutes) {
        const pull = { $pullAll: { events: ids } };
        await this.#change(this.#feed, minuteFeedId(hour, minute), pull);
        for (const consumer of consumers) {
          await this.#change(this.#done, minuteDoneId(consumer, hour, minute), pull);
        }
      }
      await this.#forgetLegacy(hour, [...minutes.values()].flat(), consumers);
    }
    return consumers;
  }

  /** Out of an hour's own events and the consumers' lists of them, if the hour has any. */
  async #forgetLegacy(hour: string, ids: string[], consumers: readonly string[]): Promise<void> {
    const index = await this.#feed.findById(feedId(hour), { events: 1 }).lean();
    if (!index?.events?.length) return;
    const pull = { $pullAll: { events: ids } };
    await this.#change(this.#feed, feedId(hour), pull);
    for (const consumer of consumers) {
      await this.#change(this.#done, doneId(consumer, hour), pull);
    }
  }

  /** The consumers that ever acknowledged an event. */
  async consumers(): Promise<string[]> {
    return (await this.#done.findById(CONSUMERS_ID).lean())?.events ?? [];
  }
}

/**
 * Where a consumer's acknowledgements of an hour's events are: beside each minute of its index;
 * for an hour that has its own events (the old layout), also the hour's old list and every
 * minute's, since this code acknowledges an event of the old list by the minute it was listed
 * in, which the index need not name. Only until those hours are behind the cursor or expired.
 */
function doneIds(consumer: string, { hour, legacy, minutes }: HourPlan): string[] {
  if (legacy.length === 0) return minutes.map((minute) => minuteDoneId(consumer, hour, minute));
  return [doneId(consumer, hour), ...ALL_MINUTES.map((m) => minuteDoneId(consumer, hour, m))];
}
