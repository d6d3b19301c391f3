// Storage migration of the outbox (control database): the events of a tenant published before
// the day lists existed go on their day's feed, and their acknowledgements (one record per
// consumer and event in `outbox_acks`) become the consumers' day lists.
//
// Per tenant, so each event is moved once: it belongs to one tenant. Idempotent (adding to a list
// twice changes nothing); the old acknowledgements go only after the lists hold them. Scans are
// fine here: migrations run before the server takes requests.
//
// And the chat adapters' own markers of posted summaries become the send ledger's records
// (postedMarkersStep, below).
import type { MigrationStep } from '../store/migrations.ts';
import type { Store } from '../store/store.ts';
import type { TenantContext } from '../store/tenant-context.ts';
import { EVENT_LIFETIME_MS, OutboxEventModel } from './outbox.ts';
import { OutboxDoneModel, OutboxFeedModel, OutboxLists } from './outbox-feed.ts';
import { SendLedger, sendExpiry } from './sends.ts';

interface OldAck {
  _id: string;
  consumer: string;
  eventId: string;
}

/** A tenant's outbox events, oldest first (a scan, as migrations may), and the outbox's lists. */
async function tenantEvents(store: Store, ctx: TenantContext) {
  const Events = store.controlModel(OutboxEventModel);
  const events = await Events.find({ tenantId: ctx.tenantId }).sort({ createdAt: 1 }).lean();
  const lists = new OutboxLists(
    store.controlModel(OutboxFeedModel),
    store.controlModel(OutboxDoneModel),
    EVENT_LIFETIME_MS,
  );
  return { events, lists };
}

export const outboxDayListsStep: MigrationStep = {
  name: 'outbox-day-lists',
  description: 'outbox events listed by day, acknowledgements kept as day lists',
  async runForTenant(store, ctx) {
    const { events, lists } = await tenantEvents(store, ctx);
    if (events.length === 0) return 0;
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

interface DayList {
  _id: string;
  events: string[];
}

/**
 * The day lists (`day:<yyyy-mm-dd>` in the feed, `<consumer>|<yyyy-mm-dd>` of acknowledgements)
 * become hour lists (outbox-feed.ts). Per tenant, its events: each is listed in its hour, and
 * acknowledged there by every consumer whose day list held it; then it leaves the day lists.
 * Idempotent; the day lists' remains expire with them.
 */
export const outboxHourListsStep: MigrationStep = {
  name: 'outbox-hour-lists',
  description: 'outbox events listed by hour instead of by day',
  async runForTenant(store, ctx) {
    const { events, lists } = await tenantEvents(store, ctx);
    if (events.length === 0) return 0;
    const feed = store.control.collection<DayList>('outbox_feed');
    const done = store.control.collection<DayList>('outbox_done');
    const consumers = await lists.consumers();
    const hours = new Map(events.map((event) => [event._id, event.listedAt ?? event.createdAt]));
    // Every live event is listed again, also one its publisher left off the day's feed.
    for (const event of events) await lists.published(event._id, hours.get(event._id)!);
    const byDay = new Map<string, string[]>();
    for (const event of events) {
      const day = event.createdAt.toISOString().slice(0, 10);
      byDay.set(day, [...(byDay.get(day) ?? []), event._id]);
    }
    for (const [day, ids] of byDay) {
      for (const consumer of consumers) {
        const doneId = `${consumer}|${day}`;
        const acked = (await done.findOne({ _id: doneId }))?.events ?? [];
        const theirs = acked.filter((id) => hours.has(id));
        for (const id of theirs) await lists.acked(consumer, id, hours.get(id)!);
        if (theirs.length > 0)
          await done.updateOne({ _id: doneId }, { $pullAll: { events: theirs } });
      }
      await feed.updateOne({ _id: `day:${day}` }, { $pullAll: { events: ids } });
    }
    return events.length;
  },
};

interface PostedMarker {
  _id: string;
  at: Date;
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Before the one consumer, each chat adapter kept its own markers of posted summaries
 * (`<collection>`, `_id` the event id). They become the send ledger's "sent" records for that
 * platform, so an event posted before the upgrade and not yet acknowledged is not posted again;
 * the markers go once the records hold them. Per tenant: an event id begins with its tenant.
 */
export function postedMarkersStep(options: {
  name: string;
  platform: string;
  collection: string;
}): MigrationStep {
  return {
    name: options.name,
    description: `${options.platform}'s markers of posted summaries kept as sent deliveries`,
    async runForTenant(store, ctx) {
      const Markers = store.control.collection<PostedMarker>(options.collection);
      const markers = await Markers.find({
        _id: { $regex: `^${escapeRegex(ctx.tenantId)}:` },
      }).toArray();
      if (markers.length === 0) return 0;
      const ledger = new SendLedger(store);
      for (const marker of markers) {
        await ledger.sent({
          _id: SendLedger.id(options.platform, marker._id),
          attempts: 1,
          expiresAt: sendExpiry(marker.at),
        });
      }
      await Markers.deleteMany({ _id: { $in: markers.map((marker) => marker._id) } });
      return markers.length;
    },
  };
}

/** The markers a chat adapter's summaries kept: `<platform>_summary_posts`. */
export function summaryMarkersStep(platform: string): MigrationStep {
  return postedMarkersStep({
    name: `${platform}-summary-markers`,
    platform,
    collection: `${platform}_summary_posts`,
  });
}
