// cancel and reschedule: the person's upcoming meetings to change, and the changes. Only the
// organizer may change a meeting (the booking service checks it too).
//
//   assistant.changes.upcoming(asker)                       -> UpcomingReply | Problem ('no-meeting')
//   assistant.changes.cancel(asker, bookingId)              -> ChangedReply ('cancelled') | Problem
//   assistant.changes.newTimes(asker, bookingId, { limit }) -> NewTimesReply | Problem
//        (the next two weeks' free times for the same people, the current time left out;
//         a surface may instead offer them as a proposal: find.offer({ …, rescheduleOf }))
//   assistant.changes.move(asker, bookingId, start)         -> ChangedReply ('moved') | UnavailableReply | Problem
import type { BookingDoc } from '../scheduling/booking/booking-model.ts';
import type { BookingService } from '../scheduling/booking/booking-service.ts';
import { findTimes, type FindTimesResult, type SchedulingDeps } from '../scheduling/find-times.ts';
import type { Asker } from './asker.ts';
import { bookingProblem } from './book.ts';
import { problem, type Problem, type UnavailableReply } from './replies.ts';

const MAX_LISTED = 15;

export interface UpcomingReply {
  kind: 'upcoming';
  /** The meetings the person organizes that have not started, soonest first. */
  bookings: BookingDoc[];
}

export interface NewTimesReply {
  kind: 'new-times';
  booking: BookingDoc;
  slots: FindTimesResult['slots'];
  unknown: FindTimesResult['unknown'];
}

export interface ChangedReply {
  kind: 'cancelled' | 'moved';
  booking: BookingDoc;
}

export class Changes {
  readonly #bookings: BookingService;
  readonly #scheduling: SchedulingDeps;

  constructor(deps: { bookings: BookingService; scheduling: SchedulingDeps }) {
    this.#bookings = deps.bookings;
    this.#scheduling = deps.scheduling;
  }

  async upcoming(asker: Asker, now = new Date()): Promise<UpcomingReply | Problem> {
    const bookings = (
      await this.#bookings.listFor(asker.ctx, asker.user._id, { from: now, limit: 30 })
    )
      .filter((b) => b.organizerId === asker.user._id && b.start > now)
      .slice(0, MAX_LISTED);
    if (bookings.length === 0) {
      return problem('no-meeting', 'You organize no upcoming meetings booked through Quorum.');
    }
    return { kind: 'upcoming', bookings };
  }

  async cancel(asker: Asker, bookingId: string): Promise<ChangedReply | Problem> {
    try {
      const booking = await this.#bookings.cancel(asker.ctx, bookingId, asker.user._id);
      return { kind: 'cancelled', booking };
    } catch (error) {
      return bookingProblem(error);
    }
  }

  async newTimes(
    asker: Asker,
    bookingId: string,
    options: { limit: number },
  ): Promise<NewTimesReply | Problem> {
    const booking = await this.#bookings.get(asker.ctx, bookingId);
    if (!booking || booking.status !== 'confirmed') {
      return problem('cancelled', 'That meeting was cancelled or no longer exists.');
    }
    if (booking.organizerId !== asker.user._id) {
      return problem('not-organizer', 'Only the organizer can reschedule this meeting.');
    }
    const durationMinutes = Math.round((booking.end.getTime() - booking.start.getTime()) / 60_000);
    const from = new Date();
    const result = await findTimes(this.#scheduling, asker.ctx, {
      organizerEmail: booking.organizerEmail,
      attendees: booking.attendees.map((a) => ({ email: a.email, optional: a.optional })),
      durationMinutes,
      window: { start: from, end: new Date(from.getTime() + 14 * 86_400_000) },
      exclude: [{ start: booking.start.getTime(), end: booking.end.getTime() }],
      limit: options.limit,
    });
    return { kind: 'new-times', booking, slots: result.slots, unknown: result.unknown };
  }

  async move(
    asker: Asker,
    bookingId: string,
    start: number,
  ): Promise<ChangedReply | UnavailableReply | Problem> {
    const booking = await this.#bookings.get(asker.ctx, bookingId);
    if (!booking) return problem('not-found', 'That meeting no longer exists.');
    const from = new Date(start);
    const end = new Date(start + (booking.end.getTime() - booking.start.getTime()));
    let result;
    try {
      result = await this.#bookings.reschedule(asker.ctx, bookingId, asker.user._id, {
        start: from,
        end,
      });
    } catch (error) {
      return bookingProblem(error);
    }
    if (!result.ok) {
      return {
        kind: 'unavailable',
        reason: result.reason,
        message: result.message,
        alternatives: 'alternatives' in result ? result.alternatives : [],
      };
    }
    return { kind: 'moved', booking: result.booking };
  }
}
