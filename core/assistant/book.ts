// book: a booking on the organizer's calendar, the meeting record that goes with it, and where
// to announce it. Every surface books through here, so a booking made anywhere has its record.
//
//   // A time chosen from a proposal (a Slack button + modal, a Teams card action):
//   const reply = await assistant.book.fromProposal(asker, {
//     proposalId, start: epochMs,
//     title?, durationMinutes?, attendees?, linkType, agenda?,   // the form, when there is one
//     idempotencyKey: `slack:${teamId}:${proposalId}:${start}`,
//     onlyOffered?: true,        // refuse a start that is not one of the slots offered
//   }, { limit: 8 });            // how many new times to offer when it was taken meanwhile
//   // -> BookedReply (announce: the proposal's origin) | SlotsReply (taken meanwhile: new
//   //    times) | Problem (expired, not-yours, link-unavailable, calendar-busy, in-progress, …)
//   // A proposal with `rescheduleOf` moves that booking instead.
//
//   // A booking asked for directly (the web app, an API client):
//   const reply = await assistant.book.direct(asker, { title, start, end, attendees, linkType,
//     description?, idempotencyKey, origin, followUpOf? });
//   // -> BookedReply | UnavailableReply; throws BookingError for what the request got wrong.
//
//   // A guest books a slot of someone's public booking page (no asker: the page names its owner):
//   const result = await assistant.book.fromPage(slug, { name, email, start, notes? });
//   // -> GuestBookingResult & { meetingId }; throws BookingPageError (not found, slot taken, …).
import type { PageMail } from '../email/page-mail.ts';
import type { LinkType } from '../identity/user-settings.ts';
import type { Logger } from '../logger.ts';
import { MeetingError, type MeetingsService } from '../meetings/index.ts';
import { ProviderError } from '../calendars/provider.ts';
import type { Slot } from '../scheduling/availability/index.ts';
import type {
  BookingPagesService,
  GuestBookingInput,
  GuestBookingResult,
} from '../scheduling/booking-pages/index.ts';
import type { BookingAttendee } from '../scheduling/booking/booking-model.ts';
import {
  BookingError,
  type BookingService,
  type BookRequest,
  type BookResult,
} from '../scheduling/booking/booking-service.ts';
import { actorOf, bookingOrigin, type Asker, type Origin } from './asker.ts';
import type { FindTimes } from './find.ts';
import type { ProposalRecord } from './proposals/model.ts';
import type { ProposalStore } from './proposals/store.ts';
import {
  problem,
  type BookedReply,
  type Problem,
  type SlotsReply,
  type UnavailableReply,
} from './replies.ts';

export interface BookChoice {
  proposalId: string;
  start: number;
  /** From the surface's form, when it has one; else the proposal's. */
  title?: string;
  durationMinutes?: number;
  attendees?: BookingAttendee[];
  linkType: LinkType;
  /** The agenda typed in, kept as the invite text and the meeting record's description. */
  agenda?: string;
  idempotencyKey: string;
  /** Refuse a start that is not one of the slots offered. */
  onlyOffered?: boolean;
}

export interface DirectBooking extends Omit<BookRequest, 'organizerEmail' | 'origin'> {
  origin: Origin;
}

/** "Meeting with Ana, Raj, Mei +2" when the proposal has no title. */
export function defaultTitle(proposal: Pick<ProposalRecord, 'title' | 'attendees'>): string {
  if (proposal.title) return proposal.title;
  const names = proposal.attendees.slice(0, 3).map((a) => a.name ?? a.email.split('@')[0]);
  const more = proposal.attendees.length > 3 ? ` +${proposal.attendees.length - 3}` : '';
  return names.length > 0 ? `Meeting with ${names.join(', ')}${more}` : 'Meeting';
}

export interface BookDeps {
  bookings: BookingService;
  /** Absent when this Quorum records no meetings. */
  meetings: MeetingsService | undefined;
  proposals: ProposalStore;
  find: FindTimes;
  /** Public booking pages, whose guests book without an account. */
  pages: BookingPagesService;
  logger: Logger;
  /** Emails the guest's confirmation and tells the host (absent or off: nothing is sent). */
  pageMail?: PageMail;
}

export class Book {
  readonly #deps: BookDeps;

  constructor(deps: BookDeps) {
    this.#deps = deps;
  }

  /** The proposal a choice names, when it is still there and was offered to this person. */
  async proposal(asker: Asker, proposalId: string): Promise<ProposalRecord | Problem> {
    const proposal = await this.#deps.proposals.get(asker.ctx, proposalId);
    if (!proposal) return problem('expired', 'These times have expired.', 'Ask again.');
    if (proposal.organizerId !== asker.user._id)
      return problem('not-yours', 'These times were offered to someone else.', 'Ask again.');
    return proposal;
  }

  async fromProposal(
    asker: Asker,
    choice: BookChoice,
    options: { limit: number },
  ): Promise<BookedReply | SlotsReply | Problem> {
    const proposal = await this.proposal(asker, choice.proposalId);
    if ('kind' in proposal) return proposal;
    if (choice.onlyOffered && !proposal.slots.some((s) => s.start.getTime() === choice.start)) {
      return problem('expired', 'That time is not one of those offered.', 'Ask again.');
    }
    const durationMinutes = choice.durationMinutes ?? proposal.durationMinutes;
    const start = new Date(choice.start);
    const end = new Date(choice.start + durationMinutes * 60_000);
    const title = choice.title ?? defaultTitle(proposal);
    let result: BookResult;
    try {
      result = proposal.rescheduleOf
        ? await this.#deps.bookings.reschedule(asker.ctx, proposal.rescheduleOf, asker.user._id, {
            start,
            end,
          })
        : await this.#deps.bookings.book(asker.ctx, {
            organizerEmail: asker.user.email,
            title,
            start,
            end,
            attendees: this.#attendees(asker, proposal, choice.attendees),
            linkType: choice.linkType,
            ...(choice.agenda ? { description: choice.agenda } : {}),
            idempotencyKey: choice.idempotencyKey,
            origin: bookingOrigin(proposal.origin),
            ...(proposal.followUpOf ? { followUpOf: proposal.followUpOf } : {}),
            ...(proposal.recurrence ? { recurrence: proposal.recurrence } : {}),
          });
    } catch (error) {
      return bookingProblem(error);
    }
    if (!result.ok) {
      if (result.reason === 'in-progress') return problem('in-progress', result.message);
      return this.#takenMeanwhile(
        asker,
        proposal,
        { title, durationMinutes },
        result.alternatives,
        options,
      );
    }
    const isNew = !result.alreadyBooked && !proposal.rescheduleOf;
    const meetingId = isNew ? await this.#record(asker, result.booking._id, choice.agenda) : null;
    return {
      kind: 'booked',
      booking: result.booking,
      alreadyBooked: result.alreadyBooked,
      meetingId,
      announce: result.alreadyBooked ? null : proposal.origin,
      notes: [],
    };
  }

  async direct(asker: Asker, request: DirectBooking): Promise<BookedReply | UnavailableReply> {
    const result = await this.#deps.bookings.book(asker.ctx, {
      ...request,
      organizerEmail: asker.user.email,
      origin: bookingOrigin(request.origin),
    });
    if (!result.ok) {
      return {
        kind: 'unavailable',
        reason: result.reason,
        message: result.message,
        alternatives: 'alternatives' in result ? result.alternatives : [],
      };
    }
    const meetingId = result.alreadyBooked
      ? null
      : await this.#record(asker, result.booking._id, request.description);
    return {
      kind: 'booked',
      booking: result.booking,
      alreadyBooked: result.alreadyBooked,
      ...(result.conflicts ? { conflicts: result.conflicts } : {}),
      meetingId,
      announce: null,
      notes: [],
    };
  }

  /** A guest's booking on a public page; its meeting record belongs to the page's owner. */
  async fromPage(
    slug: string,
    guest: GuestBookingInput,
  ): Promise<GuestBookingResult & { meetingId: string | null }> {
    const result = await this.#deps.pages.book(slug, guest);
    if (!result.alreadyBooked) await this.#confirmByEmail(slug, guest, result);
    const meetingId = result.alreadyBooked
      ? null
      : await this.#record(
          { ctx: result.ctx, user: result.owner },
          result.booking._id,
          guest.notes ? `Notes from ${guest.name}: ${guest.notes}` : undefined,
        );
    return { ...result, meetingId };
  }

  /**
   * A guest cancels their booking-page booking through the signed link of their confirmation;
   * the attendees get the cancellation, the page's owner is told.
   */
  async cancelFromPage(slug: string, bookingId: string, token: string) {
    const result = await this.#deps.pages.cancelAsGuest(slug, bookingId, token);
    if (result.wasConfirmed && this.#deps.pageMail?.enabled) {
      const owner = await this.#deps.pages.ownerOf(result.ctx, result.booking.organizerId);
      if (owner) await this.#deps.pageMail.guestCancelled(result.ctx, result.booking, owner);
    }
    return result;
  }

  /** Never fails the booking: it is made; a failure to queue the emails is logged. */
  async #confirmByEmail(slug: string, guest: GuestBookingInput, result: GuestBookingResult) {
    const mail = this.#deps.pageMail;
    if (!mail?.enabled) return;
    try {
      await mail.booked(result.ctx, {
        booking: result.booking,
        owner: result.owner,
        guest: { email: guest.email, name: guest.name },
        manageUrl: await this.#deps.pages.manageUrl(result.ctx, slug, result.booking._id),
      });
    } catch (error) {
      this.#deps.logger.error({ err: error }, 'booking-page emails not queued');
    }
  }

  /** The form's attendees (names kept from the proposal), else the proposal's; never the organizer. */
  #attendees(asker: Asker, proposal: ProposalRecord, fromForm: BookingAttendee[] | undefined) {
    const names = new Map(proposal.attendees.map((a) => [a.email, a.name]));
    return (fromForm ?? proposal.attendees)
      .filter((a) => a.email !== asker.user.email)
      .map((a) => {
        const name = a.name ?? names.get(a.email);
        return { email: a.email, optional: a.optional, ...(name ? { name } : {}) };
      });
  }

  #takenMeanwhile(
    asker: Asker,
    proposal: ProposalRecord,
    asked: { title: string; durationMinutes: number },
    alternatives: Slot[],
    options: { limit: number },
  ): Promise<SlotsReply> {
    return this.#deps.find.offer(
      asker,
      {
        origin: proposal.origin,
        attendees: proposal.attendees,
        durationMinutes: asked.durationMinutes,
        window: { start: new Date(), end: new Date(Date.now() + 14 * 86_400_000) },
        title: asked.title,
        ...(proposal.followUpOf ? { followUpOf: proposal.followUpOf } : {}),
        ...(proposal.rescheduleOf ? { rescheduleOf: proposal.rescheduleOf } : {}),
        understood: 'That time was taken in the meantime; these are the next best.',
        found: {
          timeZone: asker.settings.timeZone,
          slots: alternatives,
          unknown: [],
          required: [],
          optional: [],
        },
      },
      options,
    );
  }

  /**
   * The meeting record goes with the booking, the agenda typed in as its invite text: agendas
   * read their topics from there, and summaries find their way back to where it was booked.
   */
  async #record(asker: Pick<Asker, 'ctx' | 'user'>, bookingId: string, agenda: string | undefined) {
    if (!this.#deps.meetings) return null;
    try {
      const { meeting } = await this.#deps.meetings.create(asker.ctx, actorOf(asker), {
        bookingId,
        ...(agenda ? { description: agenda } : {}),
      });
      return meeting.id;
    } catch (error) {
      // The booking stands without it; asking for the agenda creates it later.
      if (!(error instanceof MeetingError)) throw error;
      this.#deps.logger.warn({ err: error }, 'meeting record not created with its booking');
      return null;
    }
  }
}

/** Booking and calendar failures the person can act on; anything else is rethrown. */
export function bookingProblem(error: unknown): Problem {
  if (error instanceof BookingError) {
    return problem(error.code, error.message, undefined, {
      ...(error.code === 'link-unavailable' ? { connectCalendar: true } : {}),
    });
  }
  if (error instanceof ProviderError) {
    return problem(
      'calendar-busy',
      'Your calendar provider did not accept the change just now, so nothing was changed.',
      'Try again in a moment.',
    );
  }
  throw error;
}
