// next: the person's next meeting (organized or attended, not over yet), with its join link.
//
//   const reply = await assistant.next.meeting(asker);
//   // -> NextReply: { kind: 'next', meeting: { bookingId, title, start, end, timeZone,
//   //    joinUrl, organizerEmail, attendees } | null }
import type { BookingService } from '../scheduling/booking/booking-service.ts';
import type { Asker } from './asker.ts';
import type { NextReply } from './replies.ts';

export class NextMeeting {
  readonly #bookings: BookingService;

  constructor(deps: { bookings: BookingService }) {
    this.#bookings = deps.bookings;
  }

  async meeting(asker: Asker, now = new Date()): Promise<NextReply> {
    // Bookings not over by now, by start: one still running counts as the next.
    const [next] = await this.#bookings.listFor(asker.ctx, asker.user._id, {
      from: now,
      limit: 1,
    });
    if (!next) return { kind: 'next', meeting: null };
    return {
      kind: 'next',
      meeting: {
        bookingId: next._id,
        title: next.title,
        start: next.start.getTime(),
        end: next.end.getTime(),
        timeZone: asker.settings.timeZone,
        joinUrl: next.joinUrl,
        organizerEmail: next.organizerEmail,
        attendees: next.attendees.map((a) => ({
          email: a.email,
          optional: a.optional,
          ...(a.name ? { name: a.name } : {}),
        })),
      },
    };
  }
}
