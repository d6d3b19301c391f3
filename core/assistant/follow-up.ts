// follow-up: the same people again at the next good time — after the latest meeting booked
// from this conversation, or else the latest one the person organized.
//
//   const reply = await assistant.followUp.offer(asker, {
//     origin,                       // the conversation asked from (its bookings come first)
//     durationMinutes?: number,     // when the person gave one; else the earlier meeting's
//   }, { limit: 8 });
//   // -> SlotsReply (title "Follow-up: …", followUpOf set) | Problem ('no-meeting')
//   // A follow-up of one given booking (a summary card's button, a meeting panel):
//   const reply = await assistant.followUp.of(asker, booking, { origin }, { limit: 8 });
import type { BookingDoc } from '../scheduling/booking/booking-model.ts';
import type { BookingService } from '../scheduling/booking/booking-service.ts';
import { bookingOrigin, type Asker, type Origin } from './asker.ts';
import { attendeesWithout, type FindTimes } from './find.ts';
import { problem, type Problem, type SlotsReply } from './replies.ts';

export class FollowUp {
  readonly #bookings: BookingService;
  readonly #find: FindTimes;

  constructor(deps: { bookings: BookingService; find: FindTimes }) {
    this.#bookings = deps.bookings;
    this.#find = deps.find;
  }

  /** The booking a follow-up would be of, if any. */
  latest(asker: Asker, origin: Origin): Promise<BookingDoc | undefined> {
    const { platform, conversationId } = bookingOrigin(origin);
    return this.#bookings.latestToFollowUp(
      asker.ctx,
      { userId: asker.user._id, email: asker.user.email },
      { platform, conversationId: conversationId ?? '' },
    );
  }

  async offer(
    asker: Asker,
    input: { origin: Origin; durationMinutes?: number },
    options: { limit: number },
  ): Promise<SlotsReply | Problem> {
    const booking = await this.latest(asker, input.origin);
    if (!booking) {
      return problem(
        'no-meeting',
        'There is no meeting to follow up on: none was booked from here or by you.',
        'Book one first.',
      );
    }
    return this.of(asker, booking, input, options);
  }

  /** Times for a follow-up of `booking` with the same people. */
  async of(
    asker: Asker,
    booking: BookingDoc,
    input: { origin: Origin; durationMinutes?: number },
    options: { limit: number },
  ): Promise<SlotsReply> {
    const durationMinutes =
      input.durationMinutes ??
      Math.round((booking.end.getTime() - booking.start.getTime()) / 60_000);
    const common = {
      origin: input.origin,
      attendees: attendeesWithout(asker.user.email, [
        { email: booking.organizerEmail, optional: false },
        ...booking.attendees.map((a) => ({
          email: a.email,
          ...(a.name ? { name: a.name } : {}),
          optional: a.optional,
        })),
      ]),
      durationMinutes,
      title: `Follow-up: ${booking.title}`.slice(0, 200),
      followUpOf: booking._id,
      understood: `A follow-up of “${booking.title}”`,
    };
    if (booking.organizerId === asker.user._id) {
      const { result } = await this.#bookings.followUpTimes(asker.ctx, booking._id, {
        durationMinutes,
      });
      return this.#find.offer(
        asker,
        {
          ...common,
          window: { start: booking.end, end: new Date(booking.end.getTime() + 14 * 86_400_000) },
          found: result,
        },
        options,
      );
    }
    const from = new Date(Math.max(Date.now(), booking.end.getTime()));
    return this.#find.offer(
      asker,
      { ...common, window: { start: from, end: new Date(from.getTime() + 14 * 86_400_000) } },
      options,
    );
  }
}
