// Builds the booking index (see booking-index.ts) from the bookings already stored: key
// documents for bookings whose ids are not derived from their keys, and every list.
import { upsertByIds } from '../../store/by-id.ts';
import type { MigrationStep } from '../../store/migrations.ts';
import { BookingIndex, indexDocsFor } from './booking-index.ts';
import { Booking } from './booking-model.ts';

export const bookingIndexStep: MigrationStep = {
  name: 'booking-index',
  description: 'bookings found by key, meeting link, conversation and person through booking_index',
  async runForTenant(store, ctx) {
    const bookings = await (await store.tenantModel(ctx, Booking)).find({}).lean();
    if (bookings.length === 0) return 0;
    // The index is derived from the bookings alone, so writing it whole twice changes nothing.
    await upsertByIds(await store.tenantModel(ctx, BookingIndex), indexDocsFor(bookings));
    return bookings.length;
  },
};
