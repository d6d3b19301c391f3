// Storage migration of the outbox (control database): the events of a tenant published before
// the day lists existed go on their day's feed, and their acknowledgements (one record per
// consumer and event in `outbox_acks`) become the consumers' day lists.
//
// Per tenant, so each event is moved once: it belongs to one tenant. Idempotent (adding to a list
// twice changes nothing); the old acknowledgements go only after the lists hold them. Scans are
// fine here: migrations run before the server takes requests.
import type { MigrationStep } from '../store/migrations.ts';
import { EVENT_LIFETIME_MS, OutboxEventModel } from './outbox.ts';
import { OutboxDoneModel, OutboxFeedModel, OutboxLists } from './outbox-feed.ts';

interface OldAck {
  _id: string;
  consumer: string;
  eventId: string;
}

export const outboxDayListsStep: MigrationStep = {
  name: 'outbox-day-lists',
  description: 'outbox events listed by day, acknowledgements kept as day lists',
  async runForTenant(store, ctx) {
    const Events = store.controlModel(OutboxEventModel);
    const events = await Events.find({ tenantId: ctx.tenantId }).sort({ createdAt: 1 }).lean();
    if (events.length === 0) return 0;
    const lists = new OutboxLists(
      store.controlModel(OutboxFeedModel),
      store.controlModel(OutboxDoneModel),
      EVENT_LIFETIME_MS,
    );
    for (const event of events) await lists.published(event._id, event.createdAt);
    const createdAt = new Map(events.map((event) => [event._id, event.createdAt]));
    const Acks = store.control.collection<OldAck>('outbox_acks');
    const acks = await Acks.find({ eventId: { $in: [...createdAt.keys()] } }).toArray();
    for (const ack of acks) {
      await lists.acked(ack.consumer, ack.eventId, createdAt.get(ack.eventId)!);
    }
    if (acks.length > 0) await Acks.deleteMany({ _id: { $in: acks.map((ack) => ack._id) } });
    return events.length;
  },
};
