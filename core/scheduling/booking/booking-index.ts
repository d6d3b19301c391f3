// How bookings are found without a query on the bookings collection: every look-up reads
// documents of `booking_index` by exact `_id`, then the bookings themselves by `_id`.
//
// - A new booking's own `_id` is derived from its idempotency key (`bookingIdFor`), so "this
//   key again" is one read and claiming it is one unique insert. Bookings made before that keep
//   their ids; the migration gave each a `key|<digest>` document naming it.
// - `join|<digest of the join URL>` names the booking a meeting link belongs to (Teams and Zoom
//   find their booking when the meeting starts).
// - `conv|<platform>|<conversation>` holds the latest bookings made from a conversation, and
//   `org|<userId>` the latest a person organized (`recent`, each capped), for follow-ups.
// - `org|<userId>|<yyyy-mm>` and `att|<email>|<yyyy-mm>` hold a person's bookings (organized,
//   attended) by the UTC month they end in; `org|<userId>` and `att|<email>` list those months.
//
// Only confirmed bookings are listed. Entries are added before a booking is confirmed and
// removed after it is cancelled, so a stop half-way leaves an entry too many, never one too few;
// readers check every booking they read (status, person, times) and skip the rest.
import { createHash } from 'node:crypto';
import { Schema, type Model } from 'mongoose';
import { findByIds } from '../../store/by-id.ts';
import {
  changeManyEntries,
  documentKey,
  mergeChanges,
  type EntryChanges,
} from '../../store/entry-maps.ts';
import { serialized } from '../../store/serial.ts';
import { defineModel, type Store } from '../../store/store.ts';
import type { TenantContext } from '../../store/tenant-context.ts';
import { Booking, type BookingDoc } from './booking-model.ts';

/** How many of the latest bookings a conversation or an organizer keeps listed. */
export const RECENT_KEPT = 50;

export interface BookingIndexDoc {
  _id: string;
  /** `key|` and `join|` documents. */
  bookingId?: string;
  /** Booking id -> its times (`org|…|month`, `att|…|month`). */
  bookings?: Record<string, { start: Date; end: Date }>;
  /** Month (yyyy-mm) -> true (`org|<userId>`, `att|<email>`). */
  months?: Record<string, true>;
  /** Booking id -> when it was made (`conv|…`, `org|<userId>`). */
  recent?: Record<string, Date>;
}

export const BookingIndex = defineModel<BookingIndexDoc>(
  'BookingIndex',
  new Schema<BookingIndexDoc>(
    {
      _id: { type: String, required: true },
      bookingId: String,
      bookings: Schema.Types.Mixed,
      months: Schema.Types.Mixed,
      recent: Schema.Types.Mixed,
    },
    { collection: 'booking_index', versionKey: false, minimize: false },
  ),
);

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

/** The `_id` of the booking made for this idempotency key (UUID-shaped, like older ids). */
export function bookingIdFor(idempotencyKey: string): string {
  const h = digest(`booking\n${idempotencyKey}`);
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const indexIds = {
  key: (idempotencyKey: string) => `key|${digest(idempotencyKey)}`,
  join: (joinUrl: string) => `join|${digest(joinUrl)}`,
  conversation: (platform: string, conversationId: string) => `conv|${platform}|${conversationId}`,
  organizer: (userId: string) => `org|${userId}`,
  attendee: (email: string) => `att|${email}`,
  month: (head: string, month: string) => `${head}|${month}`,
};

/** The UTC month a booking ends in: the period its person lists keep it under. */
export const monthOf = (date: Date) => date.toISOString().slice(0, 7);

const index = (store: Store, ctx: TenantContext) => store.tenantModel(ctx, BookingIndex);

/** The person lists (`org|…`, `att|…`) a booking belongs in. */
function heads(booking: Pick<BookingDoc, 'organizerId' | 'attendees'>): string[] {
  return [
    indexIds.organizer(booking.organizerId),
    ...new Set(booking.attendees.map((a) => indexIds.attendee(a.email))),
  ];
}

/** When a booking is over: its end, or a series' last occurrence's end. */
function listedEnd(booking: Pick<BookingDoc, 'end' | 'series'>): Date {
  return booking.series ? new Date(booking.series.lastEnd) : booking.end;
}

/** The month documents a booking is listed in, one per person list. */
function monthDocIds(booking: BookingDoc): string[] {
  const month = monthOf(listedEnd(booking));
  return heads(booking).map((head) => indexIds.month(head, month));
}

/** The month entries of a booking, as changes of the documents they go in. */
function monthChanges(booking: BookingDoc): Map<string, EntryChanges> {
  const month = monthOf(listedEnd(booking));
  const entry = { start: booking.start, end: listedEnd(booking) };
  const changes = new Map<string, EntryChanges>();
  for (const head of heads(booking)) {
    mergeChanges(changes, indexIds.month(head, month), {
      set: { [`bookings.${booking._id}`]: entry },
    });
    mergeChanges(changes, head, { set: { [`months.${month}`]: true } });
  }
  return changes;
}

/**
 * Adds `bookingId` to the `recent` map of a document and drops the oldest beyond
 * `RECENT_KEPT`. Read and write of one document run one at a time (see core/store/serial.ts).
 */
async function addRecent(model: Model<BookingIndexDoc>, id: string, booking: BookingDoc) {
  await serialized(documentKey(model, id), async () => {
    const doc = await model.findById(id, { recent: 1 }).lean();
    const recent = { ...doc?.recent, [booking._id]: booking.createdAt };
    const dropped = Object.entries(recent)
      .sort(([, a], [, b]) => new Date(b).getTime() - new Date(a).getTime())
      .slice(RECENT_KEPT)
      .map(([bookingId]) => bookingId);
    // A booking older than every kept one is not added (and goes, if it was there).
    const kept = !dropped.includes(booking._id);
    const unset = dropped.filter((bookingId) => bookingId in (doc?.recent ?? {}));
    if (!kept && unset.length === 0) return;
    await model.collection.updateOne(
      { _id: id as never },
      {
        ...(kept ? { $set: { [`recent.${booking._id}`]: booking.createdAt } } : {}),
        ...(unset.length > 0
          ? { $unset: Object.fromEntries(unset.map((b) => [`recent.${b}`, 1])) }
          : {}),
      },
      { upsert: true },
    );
  });
}

/** Names `booking` in `join|…` (the latest booking with a link answers for it). */
async function pointJoinUrl(model: Model<BookingIndexDoc>, booking: BookingDoc) {
  if (!booking.joinUrl) return;
  const id = indexIds.join(booking.joinUrl);
  await serialized(documentKey(model, id), () =>
    model.replaceOne({ _id: id }, { _id: id, bookingId: booking._id }, { upsert: true }),
  );
}

/** Lists a (confirmed, or about to be) booking everywhere it is looked up. */
export async function indexBooking(
  store: Store,
  ctx: TenantContext,
  booking: BookingDoc,
): Promise<void> {
  const model = await index(store, ctx);
  const conversation = booking.origin?.conversationId
    ? indexIds.conversation(booking.origin.platform, booking.origin.conversationId)
    : undefined;
  await Promise.all([
    changeManyEntries(model, monthChanges(booking)),
    addRecent(model, indexIds.organizer(booking.organizerId), booking),
    ...(conversation ? [addRecent(model, conversation, booking)] : []),
    pointJoinUrl(model, booking),
  ]);
}

/** Removes month entries of `previous` that `next` (already indexed) no longer has. */
export async function unindexMoved(
  store: Store,
  ctx: TenantContext,
  previous: BookingDoc,
  next: BookingDoc,
): Promise<void> {
  const keep = new Set(monthDocIds(next));
  const changes = new Map<string, EntryChanges>();
  // The month lists (`org|<userId>`) stay as they are: readers skip an empty month.
  for (const id of monthDocIds(previous)) {
    if (!keep.has(id)) changes.set(id, { unset: [`bookings.${previous._id}`] });
  }
  await changeManyEntries(await index(store, ctx), changes);
}

/** Takes a cancelled booking off every list (its `join|` document checks the status anyway). */
export async function unindexBooking(
  store: Store,
  ctx: TenantContext,
  booking: BookingDoc,
): Promise<void> {
  const changes = new Map<string, EntryChanges>();
  for (const id of monthDocIds(booking)) changes.set(id, { unset: [`bookings.${booking._id}`] });
  mergeChanges(changes, indexIds.organizer(booking.organizerId), {
    unset: [`recent.${booking._id}`],
  });
  if (booking.origin?.conversationId) {
    mergeChanges(
      changes,
      indexIds.conversation(booking.origin.platform, booking.origin.conversationId),
      { unset: [`recent.${booking._id}`] },
    );
  }
  await changeManyEntries(await index(store, ctx), changes);
}

/**
 * Writes a booking as the booking service does: listed first, then stored (as given: the
 * service seals its title first, booking-records.ts).
 */
export async function recordBooking(
  store: Store,
  ctx: TenantContext,
  booking: BookingDoc,
): Promise<void> {
  if (booking.status === 'confirmed') await indexBooking(store, ctx, booking);
  await (
    await store.tenantModel(ctx, Booking)
  ).replaceOne({ _id: booking._id }, booking, {
    upsert: true,
  });
}

/** The booking made for this idempotency key, in any status. */
export async function findByIdempotencyKey(
  store: Store,
  ctx: TenantContext,
  idempotencyKey: string,
): Promise<BookingDoc | undefined> {
  const Bookings = await store.tenantModel(ctx, Booking);
  const own = await Bookings.findById(bookingIdFor(idempotencyKey)).lean();
  if (own?.idempotencyKey === idempotencyKey) return own;
  // A booking made before ids came from keys: its key document names it.
  const key = await (await index(store, ctx)).findById(indexIds.key(idempotencyKey)).lean();
  if (!key?.bookingId) return undefined;
  const legacy = await Bookings.findById(key.bookingId).lean();
  return legacy?.idempotencyKey === idempotencyKey ? legacy : undefined;
}

/** The confirmed booking whose meeting link this is. */
export async function findByJoinUrl(
  store: Store,
  ctx: TenantContext,
  joinUrl: string,
): Promise<BookingDoc | undefined> {
  const key = await (await index(store, ctx)).findById(indexIds.join(joinUrl)).lean();
  if (!key?.bookingId) return undefined;
  const booking = await (await store.tenantModel(ctx, Booking)).findById(key.bookingId).lean();
  return booking?.status === 'confirmed' && booking.joinUrl === joinUrl ? booking : undefined;
}

/**
 * The bookings of a `recent` map, newest first, that pass `keep`, at most `limit` of them (read
 * in small batches, so a long list costs only what is needed).
 */
async function newest(
  store: Store,
  ctx: TenantContext,
  recent: Record<string, Date> | undefined,
  keep: (b: BookingDoc) => boolean,
  limit: number,
): Promise<BookingDoc[]> {
  const ids = Object.entries(recent ?? {})
    .sort(([, a], [, b]) => new Date(b).getTime() - new Date(a).getTime())
    .map(([id]) => id);
  const Bookings = await store.tenantModel(ctx, Booking);
  const found: BookingDoc[] = [];
  const batchSize = Math.max(limit, 10);
  for (let i = 0; i < ids.length && found.length < limit; i += batchSize) {
    const batch = await findByIds(Bookings, ids.slice(i, i + batchSize));
    found.push(...batch.filter(keep));
  }
  return found.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime()).slice(0, limit);
}

/** The latest confirmed bookings made from a conversation, newest first. */
export async function latestFromConversation(
  store: Store,
  ctx: TenantContext,
  origin: { platform: string; conversationId: string },
  limit: number,
): Promise<BookingDoc[]> {
  const id = indexIds.conversation(origin.platform, origin.conversationId);
  const doc = await (await index(store, ctx)).findById(id).lean();
  return newest(
    store,
    ctx,
    doc?.recent,
    (b) =>
      b.status === 'confirmed' &&
      b.origin?.platform === origin.platform &&
      b.origin.conversationId === origin.conversationId,
    limit,
  );
}

/** The latest confirmed booking this person organized. */
export async function latestOrganizedBy(
  store: Store,
  ctx: TenantContext,
  userId: string,
): Promise<BookingDoc | undefined> {
  const doc = await (await index(store, ctx)).findById(indexIds.organizer(userId)).lean();
  const [latest] = await newest(
    store,
    ctx,
    doc?.recent,
    (b) => b.status === 'confirmed' && b.organizerId === userId,
    1,
  );
  return latest;
}

/**
 * A person's confirmed bookings (organized, or attended under `email`) that end at or after
 * `from`, by start, at most `limit`. Months are read in order; once `limit` bookings are found,
 * one more month is read, for a booking that ends next month but starts before them.
 */
export async function upcomingOf(
  store: Store,
  ctx: TenantContext,
  person: { userId: string; email: string | null },
  range: { from: Date; limit: number },
): Promise<BookingDoc[]> {
  const model = await index(store, ctx);
  const personHeads = [
    indexIds.organizer(person.userId),
    ...(person.email ? [indexIds.attendee(person.email)] : []),
  ];
  const listed = await findByIds(model, personHeads, { months: 1 });
  const first = monthOf(range.from);
  const months = [...new Set(listed.flatMap((d) => Object.keys(d.months ?? {})))]
    .filter((m) => m >= first)
    .sort();
  const Bookings = await store.tenantModel(ctx, Booking);
  const mine = (b: BookingDoc) =>
    b.status === 'confirmed' &&
    listedEnd(b).getTime() >= range.from.getTime() &&
    (b.organizerId === person.userId || b.attendees.some((a) => a.email === person.email));
  const found = new Map<string, BookingDoc>();
  let extra = -1;
  for (const month of months) {
    const docs = await findByIds(
      model,
      personHeads.map((head) => indexIds.month(head, month)),
    );
    const ids = docs.flatMap((d) =>
      Object.entries(d.bookings ?? {})
        .filter(([, t]) => new Date(t.end).getTime() >= range.from.getTime())
        .map(([id]) => id),
    );
    for (const b of await findByIds(
      Bookings,
      ids.filter((id) => !found.has(id)),
    )) {
      if (mine(b)) found.set(b._id, b);
    }
    if (extra >= 0 || found.size >= range.limit) extra += 1;
    if (extra >= 1) break;
  }
  return [...found.values()]
    .sort((a, b) => a.start.getTime() - b.start.getTime())
    .slice(0, range.limit);
}

/**
 * Every index document the given bookings make, built whole (the migration writes them at
 * once), with a `key|` document for each booking whose id is not derived from its key.
 */
export function indexDocsFor(bookings: readonly BookingDoc[]): BookingIndexDoc[] {
  const docs = new Map<string, BookingIndexDoc>();
  const doc = (id: string) => {
    let found = docs.get(id);
    if (!found) docs.set(id, (found = { _id: id }));
    return found;
  };
  const byAge = [...bookings].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  for (const booking of byAge) {
    if (booking._id !== bookingIdFor(booking.idempotencyKey)) {
      doc(indexIds.key(booking.idempotencyKey)).bookingId = booking._id;
    }
    if (booking.status !== 'confirmed') continue;
    const month = monthOf(booking.end);
    for (const head of heads(booking)) {
      (doc(head).months ??= {})[month] = true;
      (doc(indexIds.month(head, month)).bookings ??= {})[booking._id] = {
        start: booking.start,
        end: booking.end,
      };
    }
    const recentOf = [indexIds.organizer(booking.organizerId)];
    if (booking.origin?.conversationId) {
      recentOf.push(indexIds.conversation(booking.origin.platform, booking.origin.conversationId));
    }
    for (const id of recentOf) (doc(id).recent ??= {})[booking._id] = booking.createdAt;
    if (booking.joinUrl) doc(indexIds.join(booking.joinUrl)).bookingId = booking._id;
  }
  for (const d of docs.values()) {
    if (!d.recent) continue;
    const kept = Object.entries(d.recent)
      .sort(([, a], [, b]) => b.getTime() - a.getTime())
      .slice(0, RECENT_KEPT);
    d.recent = Object.fromEntries(kept);
  }
  return [...docs.values()];
}
