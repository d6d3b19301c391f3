// agenda and summary: the meetings the person organizes or attends, through the meetings
// service.
//
//   const reply = await assistant.meetings.agenda(asker, { window? });  // next meeting's agenda
//   // -> { kind: 'agenda', meeting: MeetingListItem, items } | Problem ('no-meeting', …)
//   const reply = await assistant.meetings.summary(asker);              // last summarized one
//   // -> { kind: 'summary', view: MeetingView } | Problem ('no-meeting', …)
import { MeetingError, type MeetingsService } from '../meetings/index.ts';
import type { BookingService } from '../scheduling/booking/booking-service.ts';
import { actorOf, type Asker } from './asker.ts';
import { problem, type Problem } from './replies.ts';

type Service = MeetingsService;
export type AgendaReply = {
  kind: 'agenda';
  meeting: Awaited<ReturnType<Service['create']>>['meeting'];
  items: Awaited<ReturnType<Service['agenda']>>['agenda'];
};
export type SummaryReply = { kind: 'summary'; view: Awaited<ReturnType<Service['get']>> };

const NO_MEETINGS = 'No meetings are recorded yet.';

export class MeetingsAsked {
  readonly #bookings: BookingService;
  readonly #meetings: MeetingsService | undefined;

  constructor(deps: { bookings: BookingService; meetings: MeetingsService | undefined }) {
    this.#bookings = deps.bookings;
    this.#meetings = deps.meetings;
  }

  /** The agenda of the next meeting (in `window` when one is given, however far otherwise). */
  async agenda(
    asker: Asker,
    input: { window?: { start: Date; end: Date } },
  ): Promise<AgendaReply | Problem> {
    if (!this.#meetings) return problem('no-meeting', NO_MEETINGS);
    const when = input.window ?? { start: new Date(), end: undefined };
    const upcoming = await this.#bookings.listFor(asker.ctx, asker.user._id, {
      from: when.start,
      limit: 10,
    });
    const next = upcoming.find((b) => b.start >= when.start && (!when.end || b.start < when.end));
    if (!next) {
      return problem(
        'no-meeting',
        'You have no upcoming meeting booked through Quorum in that time.',
        'Book one first.',
      );
    }
    const actor = actorOf(asker);
    try {
      // One meeting record per booking: asking twice finds the same one.
      const { meeting } = await this.#meetings.create(asker.ctx, actor, { bookingId: next._id });
      const { agenda } = await this.#meetings.agenda(asker.ctx, actor, meeting.id);
      return { kind: 'agenda', meeting, items: agenda };
    } catch (error) {
      if (error instanceof MeetingError) return problem('not-found', error.message);
      throw error;
    }
  }

  /** The latest of the person's meetings that has a summary. */
  async summary(asker: Asker): Promise<SummaryReply | Problem> {
    if (!this.#meetings) return problem('no-meeting', NO_MEETINGS);
    const mine = await this.#meetings.listMine(
      asker.ctx,
      { userId: asker.user._id, email: asker.user.email },
      { limit: 20 },
    );
    const latest = mine.find((m) => m.status === 'ready');
    if (!latest) {
      return problem(
        'no-meeting',
        mine.length === 0
          ? NO_MEETINGS
          : 'None of your meetings has a summary yet: summaries appear once a recording or captions were processed.',
      );
    }
    try {
      return {
        kind: 'summary',
        view: await this.#meetings.get(asker.ctx, actorOf(asker), latest.id),
      };
    } catch (error) {
      if (error instanceof MeetingError) return problem('not-found', error.message);
      throw error;
    }
  }
}
