// Booking records as the booking service reads and writes them: by exact `_id`, their titles
// sealed on the way in and opened on the way out (core/privacy/sealed-titles.ts), so no caller
// of the service ever sees a sealed title or writes an open one.
import type { Envelope } from '../../privacy/envelope.ts';
import {
  contentKey,
  rekeyedContentKey,
  sealedTitles,
  titleFingerprint,
} from '../../privacy/sealed-titles.ts';
import type { TitledCollection } from '../../privacy/title-migration.ts';
import type { Store } from '../../store/store.ts';
import type { TenantContext } from '../../store/tenant-context.ts';
import { BookingIndex, indexIds } from './booking-index.ts';
import { BOOKING_TITLES, Booking, type BookingDoc } from './booking-model.ts';

export class BookingRecords {
  readonly #store: Store;
  readonly #envelope: Envelope;
  readonly #titles;

  constructor(store: Store, envelope: Envelope) {
    this.#store = store;
    this.#envelope = envelope;
    this.#titles = sealedTitles(envelope, BOOKING_TITLES);
  }

  model(ctx: TenantContext) {
    return this.#store.tenantModel(ctx, Booking);
  }

  /** The booking with its title opened. */
  async read(ctx: TenantContext, id: string): Promise<BookingDoc | undefined> {
    return this.open(ctx, (await (await this.model(ctx)).findById(id).lean()) ?? undefined);
  }

  async open(ctx: TenantContext, stored: BookingDoc | undefined) {
    return stored && (await this.#titles.open(ctx, stored));
  }

  openAll(ctx: TenantContext, stored: readonly BookingDoc[]): Promise<BookingDoc[]> {
    return this.#titles.openAll(ctx, stored);
  }

  /** Inserts a new booking (a duplicate `_id` is refused, as a unique claim). */
  async insert(ctx: TenantContext, booking: BookingDoc): Promise<void> {
    await (await this.model(ctx)).create(await this.#titles.seal(ctx, booking));
  }

  /** Writes the booking whole over its record. */
  async write(ctx: TenantContext, booking: BookingDoc): Promise<void> {
    const sealed = await this.#titles.seal(ctx, booking);
    await (await this.model(ctx)).replaceOne({ _id: booking._id }, sealed);
  }

  /**
   * An idempotency key made of what was asked — the organizer, the start and the title — with
   * the title's fingerprint in the title's place: the key is stored in the booking (and the
   * booking's id derived from it), so the title itself must not be in it.
   */
  async contentKey(ctx: TenantContext, asked: { organizerId: string; start: Date; title: string }) {
    const title = await titleFingerprint(this.#envelope, ctx, asked.title);
    return contentKey(asked.organizerId, asked.start, title);
  }
}

/**
 * Bookings in the storage migration that seals titles (core/privacy/title-migration.ts). A
 * booking asked for on the web without a key was keyed by its content, title and all: its key
 * is made again with the title's fingerprint, and a `key|` index document names the booking
 * under it (its id stays the one derived from the old key), written first.
 */
export function bookingTitlesMigration(store: Store, envelope: Envelope): TitledCollection {
  return {
    model: Booking,
    titles: sealedTitles(envelope, BOOKING_TITLES),
    fields: ['title'],
    async also(ctx, doc, plain) {
      const key = doc.idempotencyKey;
      if (!plain.includes('title') || typeof key !== 'string') return {};
      const title = doc.title as string;
      const next = rekeyedContentKey(key, title, await titleFingerprint(envelope, ctx, title));
      if (!next) return {};
      const Index = await store.tenantModel(ctx, BookingIndex);
      const id = indexIds.key(next);
      await Index.replaceOne(
        { _id: id },
        { _id: id, bookingId: String(doc._id) },
        { upsert: true },
      );
      return { idempotencyKey: next };
    },
  };
}
