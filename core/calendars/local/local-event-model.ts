// Events of the local calendar: the only calendar contents Quorum keeps, because it is the
// calendar (the embedded default and demos, where no Google/Microsoft/CalDAV account exists).
import { Schema } from 'mongoose';
import { defineModel } from '../../store/store.ts';

export interface LocalEventDoc {
  /** The owner's calendar id: their email, lower-cased. */
  calendarId: string;
  /** The booking request that made the event; unique per owner so a retry finds it. */
  requestId: string;
  title: string;
  start: Date;
  end: Date;
  timeZone: string;
  attendees: { email: string; name?: string; optional?: boolean }[];
  description?: string;
  location?: string;
  joinUrl?: string;
  createdAt: Date;
  updatedAt: Date;
}

export const LocalEvent = defineModel<LocalEventDoc>(
  'LocalCalendarEvent',
  (() => {
    const schema = new Schema<LocalEventDoc>(
      {
        calendarId: { type: String, required: true, lowercase: true, trim: true },
        requestId: { type: String, required: true },
        title: { type: String, required: true },
        start: { type: Date, required: true },
        end: { type: Date, required: true },
        timeZone: { type: String, required: true },
        attendees: {
          type: [
            {
              _id: false,
              email: { type: String, required: true, lowercase: true, trim: true },
              name: String,
              optional: Boolean,
            },
          ],
          default: [],
        },
        description: String,
        location: String,
        joinUrl: String,
      },
      { collection: 'local_calendar_events', versionKey: false, timestamps: true },
    );
    schema.index({ calendarId: 1, requestId: 1 }, { unique: true });
    schema.index({ calendarId: 1, start: 1 });
    schema.index({ 'attendees.email': 1, start: 1 });
    return schema;
  })(),
);
