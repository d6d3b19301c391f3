// What Quorum remembers of a meeting it booked: ids, times, attendees and its title (sealed under
// the tenant's titles key: core/privacy/sealed-titles.ts) — never the rest of anyone's calendar.
//
// Read only by exact `_id`: a booking's id comes from its idempotency key, and every other
// look-up (by person, conversation, meeting link) goes through booking-index.ts.
import { Schema } from 'mongoose';
import { defineModel } from '../../store/store.ts';
import type { LinkType } from '../../identity/user-settings.ts';
import type { RecurrenceRule } from '../recurrence/rule.ts';
import type { MovedOccurrence } from '../recurrence/series.ts';

export type BookingStatus = 'pending' | 'confirmed' | 'cancelled';

export interface BookingAttendee {
  email: string;
  name?: string;
  optional: boolean;
}

/**
 * A booked series: the rule, the organizer's zone its wall-clock time is kept in, and what was
 * done to single occurrences since (by original start). `start`/`end` of the booking are the
 * first occurrence; the calendars hold the same series in their own terms.
 */
export interface BookingSeries {
  rule: RecurrenceRule;
  timeZone: string;
  cancelled: Date[];
  moved: MovedOccurrence[];
  /** End of the last occurrence: the booking stays listed as upcoming until then. */
  lastEnd: Date;
}

export interface BookingDoc {
  _id: string;
  /** The same request twice books once: this key is unique per tenant (and makes the `_id`). */
  idempotencyKey: string;
  status: BookingStatus;
  organizerId: string;
  organizerEmail: string;
  /** Stored sealed (BOOKING_TITLES); the booking service opens it for its callers. */
  title: string;
  start: Date;
  end: Date;
  timeZone: string;
  attendees: BookingAttendee[];
  linkType: LinkType;
  joinUrl: string | null;
  provider: string;
  providerEventId: string | null;
  /** Where it was booked from, so summaries can be posted back there. */
  origin: { platform: string; conversationId?: string; threadId?: string } | null;
  followUpOf: string | null;
  /** Set for a recurring meeting (absent on records made before series existed). */
  series?: BookingSeries | null;
  createdAt: Date;
  updatedAt: Date;
}

/** How a booking's title is sealed (core/privacy/sealed-titles.ts). */
export const BOOKING_TITLES = { collection: 'bookings', what: 'booking' } as const;

export const Booking = defineModel<BookingDoc>(
  'Booking',
  (() => {
    const schema = new Schema<BookingDoc>(
      {
        _id: { type: String, required: true },
        idempotencyKey: { type: String, required: true, unique: true },
        status: { type: String, required: true },
        organizerId: { type: String, required: true },
        organizerEmail: { type: String, required: true },
        title: { type: String, required: true },
        start: { type: Date, required: true },
        end: { type: Date, required: true },
        timeZone: { type: String, required: true },
        attendees: [{ _id: false, email: String, name: String, optional: Boolean }],
        linkType: { type: String, required: true },
        joinUrl: { type: String, default: null },
        provider: { type: String, required: true },
        providerEventId: { type: String, default: null },
        origin: { type: Schema.Types.Mixed, default: null },
        followUpOf: { type: String, default: null },
        series: { type: Schema.Types.Mixed, default: null },
        createdAt: { type: Date, default: () => new Date() },
        updatedAt: { type: Date, default: () => new Date() },
      },
      { collection: 'bookings', versionKey: false },
    );
    return schema;
  })(),
);
