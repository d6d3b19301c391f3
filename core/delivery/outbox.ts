// A persisted outbox for what adapters do after the pipeline ("post the summary to Slack"): the
// pipeline writes an event in the same step that finishes the meeting, so a restart never drops
// it, and each consumer (slack, teams…) takes events at its own pace:
//
//   const events = await outbox.claim('slack', { limit: 20 });
//   for (const event of events) {
//     await postSummary(event);            // reads the meeting through the meetings service
//     await outbox.ack('slack', event.id);  // or leave it: the lease runs out, it comes back
//   }
//
// Delivery is at least once: a consumer that dies between posting and acking sees the event
// again, so consumers make their own effect idempotent (the event id is a good key). The one
// consumer Quorum runs, consumer.ts, does so with its send ledger (sends.ts); the consumer names
// are the platforms whose channels it serves. Events carry
// ids only, never meeting content. They live in the control database, so a consumer serves every
// tenant, and expire after a week (core/store/expiry.ts removes them, their claims and lists).
//
// Every access is by exact `_id` (the embedded database serves nothing else from an index): an
// event's id is made of its tenant, meeting and type; a claim's of its consumer and event; and
// what is waiting for a consumer is the minute lists of published events (each hour's index names
// its minutes) less the minute lists of what it acknowledged, from the consumer's cursor on
// (outbox-feed.ts).
//
// Exactly-once steps are unique-key inserts (publishing, claiming, taking over an expired claim),
// because the embedded database does not make read-modify-write operations atomic.
import { Schema, type Model } from 'mongoose';
import { isDuplicateKeyError } from '../privacy/duplicate-key.ts';
import { deleteByIds, findByIds } from '../store/by-id.ts';
import { serialized } from '../store/serial.ts';
import { defineModel, type Store } from '../store/store.ts';
import { CURSOR_LAG_MS, OutboxDoneModel, OutboxFeedModel, OutboxLists } from './outbox-feed.ts';

export const OUTBOX_EVENT_TYPES = ['meeting.summarized'] as const;
export type OutboxEventType = (typeof OUTBOX_EVENT_TYPES)[number];

export interface OutboxEvent {
  /** `<tenantId>:<meetingId>:<type>`: one event per meeting and type, however often published. */
  id: string;
  type: OutboxEventType;
  tenantId: string;
  meetingId: string;
  createdAt: Date;
}

interface EventDoc {
  _id: string;
  type: OutboxEventType;
  tenantId: string;
  meetingId: string;
  createdAt: Date;
  expiresAt: Date;
  /**
   * When it was listed again (published again over an hour after it was recorded: its first
   * listing may lie behind the consumers' cursors). Its lists are those of this minute then.
   */
  listedAt?: Date;
}

/** The minute (and hour) whose lists hold an event. */
const listedAt = (doc: Pick<EventDoc, 'createdAt' | 'listedAt'>) => doc.listedAt ?? doc.createdAt;

interface ClaimDoc {
  /** `<consumer>|<eventId>`; a takeover marker adds `#<expiry of the lease taken over>`. */
  _id: string;
  consumer: string;
  eventId: string;
  expiresAt: Date;
}

export const OutboxEventModel = defineModel<EventDoc>(
  'OutboxEvent',
  new Schema<EventDoc>(
    {
      _id: { type: String, required: true },
      type: { type: String, required: true },
      tenantId: { type: String, required: true },
      meetingId: { type: String, required: true },
      createdAt: { type: Date, required: true },
      expiresAt: { type: Date, required: true },
      listedAt: Date,
    },
    { collection: 'outbox_events', versionKey: false },
  ),
);

const ClaimModel = defineModel<ClaimDoc>(
  'OutboxClaim',
  new Schema<ClaimDoc>(
    {
      _id: { type: String, required: true },
      consumer: { type: String, required: true },
      eventId: { type: String, required: true },
      expiresAt: { type: Date, required: true },
    },
    { collection: 'outbox_claims', versionKey: false },
  ),
);

/**
 * Collections the expiry job keeps small. `outbox_acks` held one acknowledgement per event
 * before the day lists: what the migration left there (events of removed tenants) expires.
 */
export const OUTBOX_COLLECTIONS = [
  'outbox_events',
  'outbox_claims',
  'outbox_feed',
  'outbox_done',
  'outbox_acks',
];
export const outboxModels = [OutboxEventModel, ClaimModel, OutboxFeedModel, OutboxDoneModel];

export const EVENT_LIFETIME_MS = 7 * 86_400_000;
const CONSUMER = /^[a-z][a-z0-9-]{0,39}$/;

export interface ClaimOptions {
  limit?: number;
  /** How long the claim holds before the event is offered again (default 5 minutes). */
  leaseMs?: number;
}

export interface Outbox {
  /** Records an event once; publishing it again changes nothing. */
  publish(event: Omit<OutboxEvent, 'id' | 'createdAt'>): Promise<OutboxEvent>;
  /** Takes up to `limit` events this consumer has not acked and nobody of it holds, oldest first. */
  claim(consumer: string, options?: ClaimOptions): Promise<OutboxEvent[]>;
  /** The consumer is done with the event; it is never offered to it again. */
  ack(consumer: string, eventId: string): Promise<void>;
  /** Gives a claimed event back at once (e.g. the consumer could not handle it now). */
  release(consumer: string, eventId: string): Promise<void>;
  /**
   * Keeps a claimed event from everyone until `until` (a retry after a backoff): the holder's
   * claim is renewed to run out then, and the event is offered again after it.
   */
  defer(consumer: string, eventId: string, until: Date): Promise<void>;
  /** Drops meetings' events (their content was deleted). */
  forget(tenantId: string, meetingIds: readonly string[]): Promise<number>;
}

function checkConsumer(consumer: string): void {
  if (!CONSUMER.test(consumer)) {
    throw new Error(
      `outbox consumer "${consumer}" is not a valid name: use 1-40 lower-case letters, digits or "-"`,
    );
  }
}

/**
 * Takes the claim `id` unless someone holds it. An expired claim is taken over by whoever first
 * inserts the marker named after that very lease, so two consumers never both take it over.
 */
function takeClaim(
  Claims: Model<ClaimDoc>,
  id: string,
  claim: Omit<ClaimDoc, '_id'>,
  at: Date,
): Promise<boolean> {
  const insert = async (_id: string) => {
    try {
      await Claims.create({ _id, ...claim });
      return true;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      return false;
    }
  };
  return serialized(`${Claims.db.name}/outbox_claims/${id}`, async () => {
    if (await insert(id)) return true;
    const held = await Claims.findById(id).lean();
    // Given back meanwhile: an insert decides again.
    if (!held) return insert(id);
    if (held.expiresAt > at) return false;
    if (!(await insert(`${id}#${held.expiresAt.getTime()}`))) return false;
    await Claims.replaceOne({ _id: id }, { _id: id, ...claim }, { upsert: true });
    return true;
  });
}

export function createOutbox(options: { store: Store; now?: () => Date }): Outbox {
  const now = options.now ?? (() => new Date());
  const Events = options.store.controlModel(OutboxEventModel);
  const Claims = options.store.controlModel(ClaimModel);
  const lists = new OutboxLists(
    options.store.controlModel(OutboxFeedModel),
    options.store.controlModel(OutboxDoneModel),
    EVENT_LIFETIME_MS,
  );
  const claimId = (consumer: string, eventId: string) => `${consumer}|${eventId}`;
  const toEvent = (doc: EventDoc): OutboxEvent => ({
    id: doc._id,
    type: doc.type,
    tenantId: doc.tenantId,
    meetingId: doc.meetingId,
    createdAt: doc.createdAt,
  });

  return {
    async publish(event) {
      const at = now();
      const doc: EventDoc = {
        _id: `${event.tenantId}:${event.meetingId}:${event.type}`,
        ...event,
        createdAt: at,
        expiresAt: new Date(at.getTime() + EVENT_LIFETIME_MS),
      };
      let stored = doc;
      try {
        await Events.create(doc);
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        stored = (await Events.findById(doc._id).lean()) ?? doc;
        // Listed again where the consumers still look, if its hour may be behind their cursors.
        if (at.getTime() - listedAt(stored).getTime() > CURSOR_LAG_MS) {
          await Events.updateOne({ _id: stored._id }, { $set: { listedAt: at } });
          stored = { ...stored, listedAt: at };
        }
      }
      // Also when it existed: a publisher that died between the two steps left it off the feed.
      await lists.published(stored._id, listedAt(stored));
      return toEvent(stored);
    },

    async claim(consumer, claimOptions = {}) {
      checkConsumer(consumer);
      const limit = claimOptions.limit ?? 20;
      const leaseMs = claimOptions.leaseMs ?? 5 * 60_000;
      const at = now();
      await lists.register(consumer);
      const { cursor, events: waiting } = await lists.waiting(consumer, at);
      const taken: OutboxEvent[] = [];
      // Where the cursor may go: the hour of the first event that may still be offered. Events
      // forgotten (no record) or expired are offered to nobody, so they hold nothing back.
      let held: string | undefined;
      for (let i = 0; i < waiting.length && taken.length < limit; i += limit) {
        const slice = waiting.slice(i, i + limit);
        const found = new Map(
          (
            await findByIds(
              Events,
              slice.map((e) => e.id),
            )
          ).map((event) => [event._id, event]),
        );
        for (const { id, hour } of slice) {
          const event = found.get(id);
          // Not looked at: it holds the cursor too.
          if (taken.length >= limit) {
            held ??= hour;
            break;
          }
          // Expired ones wait for the sweep.
          if (!event || event.expiresAt <= at) continue;
          held ??= hour;
          const claim = {
            consumer,
            eventId: event._id,
            expiresAt: new Date(at.getTime() + leaseMs),
          };
          if (await takeClaim(Claims, claimId(consumer, event._id), claim, at)) {
            taken.push(toEvent(event));
          }
        }
      }
      await lists.moveCursor(consumer, at, cursor, held);
      return taken;
    },

    async ack(consumer, eventId) {
      checkConsumer(consumer);
      const event = await Events.findById(eventId, { createdAt: 1, listedAt: 1 }).lean();
      // A forgotten or expired event is offered to nobody any more: nothing to record.
      if (event) await lists.acked(consumer, eventId, listedAt(event));
      await Claims.deleteOne({ _id: claimId(consumer, eventId) });
    },

    async release(consumer, eventId) {
      checkConsumer(consumer);
      await Claims.deleteOne({ _id: claimId(consumer, eventId) });
    },

    async defer(consumer, eventId, until) {
      checkConsumer(consumer);
      const _id = claimId(consumer, eventId);
      // Only the holder defers; the claim's new expiry also names a fresh takeover marker.
      await Claims.replaceOne(
        { _id },
        { _id, consumer, eventId, expiresAt: until },
        { upsert: true },
      );
    },

    async forget(tenantId, meetingIds) {
      const ids = meetingIds.flatMap((meetingId) =>
        OUTBOX_EVENT_TYPES.map((type) => `${tenantId}:${meetingId}:${type}`),
      );
      const events = await findByIds(Events, ids, { createdAt: 1, listedAt: 1 });
      if (events.length === 0) return 0;
      // The lists and claims first, the events last: a run cut short finds them again.
      const consumers = await lists.forget(
        events.map((e) => ({ id: e._id, listedAt: listedAt(e) })),
      );
      await deleteByIds(
        Claims,
        consumers.flatMap((consumer) => events.map((e) => claimId(consumer, e._id))),
      );
      return deleteByIds(
        Events,
        events.map((e) => e._id),
      );
    },
  };
}
