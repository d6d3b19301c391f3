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
// again, so consumers make their own effect idempotent (the event id is a good key). Events carry
// ids only, never meeting content. They live in the control database, so a consumer serves every
// tenant, and expire after a week (core/store/expiry.ts removes them, their claims and acks).
//
// Exactly-once steps are unique-key inserts (publishing, claiming, acking), because the embedded
// database does not make read-modify-write operations atomic.
import { Schema } from 'mongoose';
import { isDuplicateKeyError } from '../privacy/duplicate-key.ts';
import { defineModel, type Store } from '../store/store.ts';

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
}

interface MarkDoc {
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
    },
    { collection: 'outbox_events', versionKey: false },
  ).index({ createdAt: 1 }),
);

const markSchema = () =>
  new Schema<MarkDoc>(
    {
      _id: { type: String, required: true },
      consumer: { type: String, required: true },
      eventId: { type: String, required: true },
      expiresAt: { type: Date, required: true },
    },
    { versionKey: false },
  ).index({ consumer: 1, eventId: 1 });

const ClaimModel = defineModel<MarkDoc>(
  'OutboxClaim',
  markSchema().set('collection', 'outbox_claims'),
);
const AckModel = defineModel<MarkDoc>('OutboxAck', markSchema().set('collection', 'outbox_acks'));

/** Collections the expiry job keeps small. */
export const OUTBOX_COLLECTIONS = ['outbox_events', 'outbox_claims', 'outbox_acks'];
export const outboxModels = [OutboxEventModel, ClaimModel, AckModel];

const EVENT_LIFETIME_MS = 7 * 86_400_000;
const CONSUMER = /^[a-z][a-z0-9-]{0,39}$/;
const SCAN_LIMIT = 1000;

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

export function createOutbox(options: { store: Store; now?: () => Date }): Outbox {
  const now = options.now ?? (() => new Date());
  const Events = options.store.controlModel(OutboxEventModel);
  const Claims = options.store.controlModel(ClaimModel);
  const Acks = options.store.controlModel(AckModel);
  const markId = (consumer: string, eventId: string) => `${consumer}|${eventId}`;
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
      try {
        await Events.create(doc);
        return toEvent(doc);
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        const existing = await Events.findById(doc._id).lean();
        return toEvent(existing ?? doc);
      }
    },

    async claim(consumer, claimOptions = {}) {
      checkConsumer(consumer);
      const limit = claimOptions.limit ?? 20;
      const leaseMs = claimOptions.leaseMs ?? 5 * 60_000;
      const at = now();
      const events = await Events.find({ expiresAt: { $gt: at } })
        .sort({ createdAt: 1, _id: 1 })
        .limit(SCAN_LIMIT)
        .lean();
      if (events.length === 0) return [];
      const ids = events.map((e) => e._id);
      const acked = new Set(
        (await Acks.find({ consumer, eventId: { $in: ids } }, { eventId: 1 }).lean()).map(
          (a) => a.eventId,
        ),
      );
      const taken: OutboxEvent[] = [];
      for (const event of events) {
        if (taken.length >= limit) break;
        if (acked.has(event._id)) continue;
        const id = markId(consumer, event._id);
        // An expired lease is given up; then the insert decides who holds the event now.
        await Claims.deleteOne({ _id: id, expiresAt: { $lte: at } });
        try {
          await Claims.create({
            _id: id,
            consumer,
            eventId: event._id,
            expiresAt: new Date(at.getTime() + leaseMs),
          });
          taken.push(toEvent(event));
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
        }
      }
      return taken;
    },

    async ack(consumer, eventId) {
      checkConsumer(consumer);
      const event = await Events.findById(eventId, { expiresAt: 1 }).lean();
      try {
        await Acks.create({
          _id: markId(consumer, eventId),
          consumer,
          eventId,
          // The ack must outlive its event, or an expired ack would bring the event back.
          expiresAt: new Date((event?.expiresAt ?? now()).getTime() + 86_400_000),
        });
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
      await Claims.deleteOne({ _id: markId(consumer, eventId) });
    },

    async release(consumer, eventId) {
      checkConsumer(consumer);
      await Claims.deleteOne({ _id: markId(consumer, eventId) });
    },

    async forget(tenantId, meetingIds) {
      const events = await Events.find(
        { tenantId, meetingId: { $in: [...meetingIds] } },
        { _id: 1 },
      ).lean();
      if (events.length === 0) return 0;
      const ids = events.map((e) => e._id);
      await Claims.deleteMany({ eventId: { $in: ids } });
      await Acks.deleteMany({ eventId: { $in: ids } });
      return (await Events.deleteMany({ _id: { $in: ids } })).deletedCount;
    },
  };
}
