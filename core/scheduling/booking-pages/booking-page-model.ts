// A published event type: what a guest can book on someone's (or a team's) public page.
//
// Kept in the control database, keyed by its public slug: a guest arrives with nothing but the
// link, so the page must be found (and its tenant known) before any tenant database is chosen.
// It holds only the page's own settings — no calendar content, no guest data. An owner's pages
// are listed in page-owners.ts; nothing queries this collection by another field.
import { Schema } from 'mongoose';
import { defineModel } from '../../store/store.ts';

export interface BookingPageDoc {
  /** The public slug, unique across the deployment: /book/<slug>. */
  _id: string;
  tenantId: string;
  /** The organizer: bookings are made on this person's calendar. */
  ownerId: string;
  /** Colleagues who must attend too (a team page): slots are where all of them are free. */
  hostEmails: string[];
  title: string;
  description: string;
  durationMinutes: number;
  /** How far ahead a guest may book, in days. */
  windowDays: number;
  /** How soon a guest may book, in minutes from now. */
  minNoticeMinutes: number;
  active: boolean;
  createdAt: Date;
}

export const BookingPage = defineModel<BookingPageDoc>(
  'BookingPage',
  (() => {
    const schema = new Schema<BookingPageDoc>(
      {
        _id: { type: String, required: true },
        tenantId: { type: String, required: true },
        ownerId: { type: String, required: true },
        hostEmails: { type: [String], default: undefined },
        title: { type: String, required: true },
        description: { type: String, default: '' },
        durationMinutes: { type: Number, required: true },
        windowDays: { type: Number, required: true },
        minNoticeMinutes: { type: Number, required: true },
        active: { type: Boolean, required: true },
        createdAt: { type: Date, required: true },
      },
      { collection: 'booking_pages', versionKey: false },
    );
    return schema;
  })(),
);
