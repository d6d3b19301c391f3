// The assistant: the use cases every surface calls — Slack, Teams, the web app, Outlook, Zoom.
// A surface establishes who is asking (an `Asker`, asker.ts) and where from (an `Origin`),
// calls one use case, and renders the plain reply (replies.ts) in its own markup. Nothing here
// knows a chat SDK or HTTP.
//
//   const assistant = createAssistant({ store, scheduling, bookings, meetings, logger });
//   assistant.find.offer(asker, FindRequest, { limit })          -> SlotsReply           find.ts
//   assistant.book.proposal(asker, proposalId)                   -> ProposalRecord | Problem
//   assistant.book.fromProposal(asker, BookChoice, { limit })    -> BookedReply | SlotsReply | Problem
//   assistant.book.direct(asker, DirectBooking)                  -> BookedReply | UnavailableReply
//   assistant.book.fromPage(slug, guest)                         -> GuestBookingResult & { meetingId }
//   assistant.followUp.offer(asker, { origin, durationMinutes? }, { limit })
//                                                                -> SlotsReply | Problem  follow-up.ts
//   assistant.meetings.agenda(asker, { window? })                -> AgendaReply | Problem  meetings.ts
//   assistant.meetings.summary(asker)                            -> SummaryReply | Problem
//   assistant.next.meeting(asker)                                -> NextReply            next.ts
//   assistant.share.summary(tenantId, meetingId, reader)         -> SummaryToShare | null share.ts
//   assistant.share.owners(ctx, meeting)                         -> Owners (owner -> person)
//   assistant.proposals.get(ctx, id) / .save(ctx, record)        the one proposal store
//   assistant.rotation.plan(asker, RotationRequest)              -> RotationReply | Problem rotation.ts
//   assistant.rotation.book(asker, RotationBookRequest)          -> RotationBookedReply | Problem
//
//   assistant.changes.upcoming(asker)                            -> UpcomingReply | Problem changes.ts
//   assistant.changes.cancel(asker, bookingId)                   -> ChangedReply | Problem
//   assistant.changes.newTimes(asker, bookingId, { limit })      -> NewTimesReply | Problem
//   assistant.changes.move(asker, bookingId, start)              -> ChangedReply | UnavailableReply | Problem
//
// Rescheduling through a proposal (Teams' way): offer the times with
// `find.offer(asker, { …, rescheduleOf: booking._id })`; `book.fromProposal` then moves that
// booking instead of making a new one.
//
//   assistant.poll.create(asker, { attendees, durationMinutes, window, preferences?, title, maxOptions, votesHere? })
//                                                                -> PollCreatedReply | Problem poll.ts
//   assistant.poll.withTimes(asker, { title, options, participants, email? }) -> PollCreatedReply
//     (both email each person their link when email is on; the reply's `sent` says who)
//   assistant.poll.ballot(voter, pollId)                         -> BallotReply | Problem
//   assistant.poll.vote(voter, pollId, yes, { via, once })       -> VotedReply | Problem
//
// Adding a verb: one use case here (a small class with named methods, its API at the top of its
// file), one reply type in replies.ts, and one renderer per surface.
import type { Logger } from '../logger.ts';
import type { MeetingsService } from '../meetings/index.ts';
import type { BookingService } from '../scheduling/booking/booking-service.ts';
import type { SchedulingDeps } from '../scheduling/find-times.ts';
import type { BookingPagesService } from '../scheduling/booking-pages/index.ts';
import type { PollService } from '../scheduling/polls/poll-service.ts';
import type { Store } from '../store/store.ts';
import { Book } from './book.ts';
import { Changes } from './changes.ts';
import { FindTimes } from './find.ts';
import { FollowUp } from './follow-up.ts';
import { MeetingsAsked } from './meetings.ts';
import { NextMeeting } from './next.ts';
import { Polls } from './poll.ts';
import { ShareSummary } from './share.ts';
import { Rotation } from './rotation.ts';
import { ProposalStore } from './proposals/store.ts';
import type { Envelope } from '../privacy/envelope.ts';
import type { PageMail } from '../email/page-mail.ts';
import type { PollMail } from '../email/poll-mail.ts';

export interface AssistantDeps {
  store: Store;
  /** Seals proposals' titles (core/privacy/sealed-titles.ts). */
  envelope: Envelope;
  scheduling: SchedulingDeps;
  bookings: BookingService;
  polls: PollService;
  /** Public booking pages: a guest's booking there goes through `book` too. */
  pages: BookingPagesService;
  /** Absent when this Quorum records no meetings. */
  meetings: MeetingsService | undefined;
  logger: Logger;
  /** Booking pages' emails (core/email), when the composition root gives them. */
  pageMail?: PageMail;
  /** Polls' emails (core/email): a new poll's links go out by email when it is on. */
  pollMail?: PollMail;
}

export interface Assistant {
  proposals: ProposalStore;
  find: FindTimes;
  book: Book;
  followUp: FollowUp;
  meetings: MeetingsAsked;
  next: NextMeeting;
  changes: Changes;
  poll: Polls;
  share: ShareSummary;
  rotation: Rotation;
}

export function createAssistant(deps: AssistantDeps): Assistant {
  const proposals = new ProposalStore(deps.store, deps.envelope);
  const find = new FindTimes({ scheduling: deps.scheduling, proposals });
  const book = new Book({
    bookings: deps.bookings,
    meetings: deps.meetings,
    proposals,
    find,
    pages: deps.pages,
    logger: deps.logger,
    ...(deps.pageMail ? { pageMail: deps.pageMail } : {}),
  });
  return {
    proposals,
    find,
    book,
    followUp: new FollowUp({ bookings: deps.bookings, find }),
    meetings: new MeetingsAsked({ bookings: deps.bookings, meetings: deps.meetings }),
    next: new NextMeeting({ bookings: deps.bookings }),
    changes: new Changes({ bookings: deps.bookings, scheduling: deps.scheduling }),
    poll: new Polls({
      scheduling: deps.scheduling,
      polls: deps.polls,
      bookings: deps.bookings,
      ...(deps.pollMail ? { mail: deps.pollMail } : {}),
    }),
    share: new ShareSummary({
      store: deps.store,
      bookings: deps.bookings,
      meetings: deps.meetings,
    }),
    rotation: new Rotation({
      store: deps.store,
      scheduling: deps.scheduling,
      bookings: deps.bookings,
      book,
      logger: deps.logger,
    }),
  };
}

export { attendeesWithout, type FindRequest } from './find.ts';
export { defaultTitle, bookingProblem, type BookChoice, type DirectBooking } from './book.ts';
export type { AgendaReply, SummaryReply } from './meetings.ts';
export type { ChangedReply, NewTimesReply, UpcomingReply } from './changes.ts';
export type { BallotReply, PollCreatedReply, VotedReply, Voter } from './poll.ts';
export { bookingOrigin, type Asker, type Origin, type Platform } from './asker.ts';
export type { ProposalRecord } from './proposals/model.ts';
export type { Owners, SummaryToShare } from './share.ts';
export * from './replies.ts';
export {
  ROTATION_INTRO,
  type RotationBookRequest,
  type RotationBookedReply,
  type RotationBooking,
  type RotationReply,
  type RotationRequest,
} from './rotation.ts';
