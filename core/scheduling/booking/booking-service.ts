// Books, reschedules and cancels meetings on the organizer's calendar, with an online-meeting
// link. Free/busy is checked again just before writing; the same request twice books once.
import {
  ProviderError,
  type OnlineMeetingKind,
  type SeriesChange,
} from '../../calendars/provider.ts';
import type { RecurrenceRule } from '../recurrence/rule.ts';
import { expandSeries } from '../recurrence/expand.ts';
import { seriesConflicts, type OccurrenceConflict } from '../series-times.ts';
import {
  changedSeries,
  checkOccurrence,
  newSeries,
  onCalendar,
  seriesOf,
  specFor,
} from './booking-series.ts';
import type { LinkType } from '../../identity/user-settings.ts';
import type { AuditLog } from '../../privacy/audit-log.ts';
import type { Envelope } from '../../privacy/envelope.ts';
import type { TenantContext } from '../../store/tenant-context.ts';
import type { Slot } from '../availability/index.ts';
import { findTimes, type SchedulingDeps } from '../find-times.ts';
import type { Colleague } from '../people.ts';
import { User } from '../../identity/models.ts';
import { isDuplicateKeyError } from '../../privacy/duplicate-key.ts';
import {
  bookingIdFor,
  findByIdempotencyKey,
  indexBooking,
  latestFromConversation,
  latestOrganizedBy,
  unindexBooking,
  unindexMoved,
  upcomingOf,
} from './booking-index.ts';
import type { BookingAttendee, BookingDoc } from './booking-model.ts';
import { BookingRecords } from './booking-records.ts';
import { BookingError } from './booking-error.ts';
import { linkFor, organizerOf, type ZoomMeetings } from './meeting-link.ts';
import { alternativesAfter, recheck, stillFree } from './slot-check.ts';

export { BookingError } from './booking-error.ts';
export type { ZoomMeetings } from './meeting-link.ts';

export interface BookingDeps extends SchedulingDeps {
  audit: AuditLog;
  /** Seals bookings' titles (core/privacy/sealed-titles.ts). */
  envelope: Envelope;
  zoom?: ZoomMeetings;
  /**
   * Told of every booking made, moved or cancelled (email invitations: core/email). Every
   * surface books through this service, so this one hook reaches them all. It does not fail.
   */
  onChange?: (
    ctx: TenantContext,
    booking: BookingDoc,
    change: 'booked' | 'rescheduled' | 'series-changed' | 'cancelled',
  ) => Promise<void>;
}

export interface BookRequest {
  organizerEmail: string;
  title: string;
  start: Date;
  end: Date;
  attendees: BookingAttendee[];
  linkType: LinkType;
  description?: string;
  idempotencyKey: string;
  origin?: BookingDoc['origin'];
  followUpOf?: string;
  /** Book a series: `start`/`end` are its first occurrence, kept at that wall-clock time. */
  recurrence?: RecurrenceRule;
  /** Book the series even where some occurrences conflict (they are named in the result). */
  allowConflicts?: boolean;
}

export type BookResult =
  | {
      ok: true;
      booking: BookingDoc;
      alreadyBooked: boolean;
      /** A series booked with allowConflicts: the occurrences someone required is busy for. */
      conflicts?: OccurrenceConflict[];
    }
  | { ok: false; reason: 'slot-taken'; message: string; alternatives: Slot[] }
  | { ok: false; reason: 'in-progress'; message: string };

function inProgress(): BookResult {
  return {
    ok: false,
    reason: 'in-progress',
    message: 'This booking is already being made; try again in a moment.',
  };
}

export function createBookingService(deps: BookingDeps): BookingService {
  return new BookingService(deps);
}

export class BookingService {
  readonly #deps: BookingDeps;
  readonly #records: BookingRecords;

  constructor(deps: BookingDeps) {
    this.#deps = deps;
    this.#records = new BookingRecords(deps.store, deps.envelope);
  }

  async book(ctx: TenantContext, request: BookRequest): Promise<BookResult> {
    const deps = this.#deps;
    const organizer = await organizerOf(deps, ctx, request.organizerEmail);
    // A rule that breaks a bound is refused before anything is read or written.
    const series = request.recurrence
      ? newSeries(request.recurrence, organizer.settings.timeZone, request)
      : null;
    const existing = await this.findByIdempotencyKey(ctx, request.idempotencyKey);
    if (existing?.status === 'confirmed' || existing?.status === 'cancelled') {
      return { ok: true, booking: existing, alreadyBooked: true };
    }
    let conflicts: OccurrenceConflict[] = [];
    if (!existing && series) {
      conflicts = await this.#seriesConflicts(ctx, organizer.email, request, series);
      if (conflicts.length > 0 && !request.allowConflicts)
        return seriesTaken(conflicts, series.timeZone);
    } else if (!existing) {
      const taken = await this.#unlessStillFree(ctx, organizer, request);
      if (taken) return taken;
    }
    const link = await linkFor(deps, ctx, organizer, request);
    // Claim the key first (a unique insert is atomic on every database we run on), so two
    // concurrent requests with the same key cannot both create an event: the booking's id
    // comes from the key.
    let booking: BookingDoc = existing ?? { ...pendingBooking(organizer, request, link), series };
    if (!existing) {
      const lost = await this.#claim(ctx, booking);
      if (lost) return lost;
    }
    const created = await this.#createEvent(ctx, organizer, booking, link, request.description);
    booking = {
      ...booking,
      status: 'confirmed',
      providerEventId: created.providerEventId,
      joinUrl: created.joinUrl ?? booking.joinUrl,
      updatedAt: new Date(),
    };
    // Listed before it is confirmed: readers skip what is not confirmed yet.
    await indexBooking(deps.store, ctx, booking);
    await this.#records.write(ctx, booking);
    await deps.audit.append(ctx, {
      action: 'booking.created',
      actor: `user:${organizer.user._id}`,
      target: `booking:${booking._id}`,
      details: {
        attendees: booking.attendees.length,
        provider: booking.provider,
        ...(booking.series
          ? {
              occurrences: expandSeries(
                specFor(booking.series.rule, booking.series.timeZone, booking),
              ).length,
            }
          : {}),
      },
    });
    await deps.onChange?.(ctx, booking, 'booked');
    return {
      ok: true,
      booking,
      alreadyBooked: false,
      ...(conflicts.length > 0 ? { conflicts } : {}),
    };
  }

  /** Every occurrence checked with one free/busy read per calendar over the series' span. */
  async #seriesConflicts(
    ctx: TenantContext,
    organizerEmail: string,
    request: BookRequest,
    series: NonNullable<BookingDoc['series']>,
  ): Promise<OccurrenceConflict[]> {
    const occurrences = expandSeries(specFor(series.rule, series.timeZone, request));
    return seriesConflicts(
      this.#deps,
      ctx,
      { organizerEmail, attendees: request.attendees },
      occurrences,
    );
  }

  /**
   * Cancels or moves one occurrence of a series, or cancels it from one occurrence on (ending it
   * at the first cancels the whole meeting). Occurrences are named by their original start.
   */
  async changeOccurrence(
    ctx: TenantContext,
    id: string,
    actorId: string,
    change: SeriesChange,
  ): Promise<BookResult> {
    const deps = this.#deps;
    const booking = await this.#records.read(ctx, id);
    if (!booking) throw new BookingError('not-found', 'That booking was not found.');
    if (booking.organizerId !== actorId)
      throw new BookingError('not-organizer', 'Only the organizer can change this meeting.');
    if (booking.status !== 'confirmed')
      throw new BookingError('cancelled', 'This meeting was cancelled.');
    const series = seriesOf(booking);
    checkOccurrence(booking, change.original);
    if (change.kind === 'end-series' && change.original.getTime() === booking.start.getTime()) {
      return { ok: true, booking: await this.cancel(ctx, id, actorId), alreadyBooked: false };
    }
    if (change.kind === 'move-occurrence') {
      if (!(change.start.getTime() < change.end.getTime())) {
        throw new BookingError('invalid-series', 'start: the new time must start before it ends.');
      }
      // Its own original time is busy on the calendars: it does not count against the move.
      const ownTime =
        change.original.getTime() < change.end.getTime() &&
        change.start.getTime() <
          change.original.getTime() + (booking.end.getTime() - booking.start.getTime());
      const conflicts = ownTime
        ? []
        : await seriesConflicts(
            deps,
            ctx,
            { organizerEmail: booking.organizerEmail, attendees: booking.attendees },
            [{ index: 0, start: change.start, end: change.end }],
          );
      if (conflicts.length > 0) return seriesTaken(conflicts, series.timeZone);
    }
    const organizer = await organizerOf(deps, ctx, booking.organizerEmail);
    await organizer.calendar.provider.changeSeries(
      booking.providerEventId!,
      onCalendar(booking),
      change,
    );
    const next: BookingDoc = {
      ...booking,
      series: changedSeries(booking, change),
      updatedAt: new Date(),
    };
    await indexBooking(deps.store, ctx, next);
    await this.#records.write(ctx, next);
    await unindexMoved(deps.store, ctx, booking, next);
    await deps.audit.append(ctx, {
      // One occurrence moved is a reschedule, cancelled (or the rest) a cancellation of it.
      action: change.kind === 'move-occurrence' ? 'booking.rescheduled' : 'booking.cancelled',
      actor: `user:${actorId}`,
      target: `booking:${id}`,
      details: { series: change.kind, occurrence: change.original.toISOString() },
    });
    // Attendees Quorum invites by email get the series again with the new EXDATE, RECURRENCE-ID
    // or UNTIL.
    await deps.onChange?.(ctx, next, 'series-changed');
    return { ok: true, booking: next, alreadyBooked: false };
  }

  /** Undefined when the requested slot is still free for everyone; else why not. */
  async #unlessStillFree(
    ctx: TenantContext,
    organizer: Colleague,
    request: BookRequest,
  ): Promise<BookResult | undefined> {
    const slot = await recheck(
      this.#deps,
      ctx,
      organizer.email,
      request.attendees,
      request.start,
      request.end,
    );
    if (stillFree(slot, request.start)) return undefined;
    // The time may be taken by this very booking, made by a racing request with the same
    // key since the look-up above: that is its own success, not a lost slot.
    const racer = await this.findByIdempotencyKey(ctx, request.idempotencyKey);
    if (racer?.status === 'confirmed' || racer?.status === 'cancelled') {
      return { ok: true, booking: racer, alreadyBooked: true };
    }
    if (racer) return inProgress();
    return {
      ok: false,
      reason: 'slot-taken',
      message: 'That time was taken in the meantime. Here are the next best times.',
      alternatives: await alternativesAfter(this.#deps, ctx, request),
    };
  }

  /** Inserts the pending booking under its key; the answer to give when another request won. */
  async #claim(ctx: TenantContext, booking: BookingDoc): Promise<BookResult | undefined> {
    try {
      await this.#records.insert(ctx, booking);
      return undefined;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const winner = await this.findByIdempotencyKey(ctx, booking.idempotencyKey);
      if (winner?.status === 'confirmed') return { ok: true, booking: winner, alreadyBooked: true };
      return inProgress();
    }
  }

  async #createEvent(
    ctx: TenantContext,
    organizer: Colleague,
    booking: BookingDoc,
    link: { onlineMeeting: OnlineMeetingKind },
    description: string | undefined,
  ) {
    try {
      // The provider is idempotent on requestId, so resuming a pending booking never makes two events.
      return await organizer.calendar.provider.createEvent({
        title: booking.title,
        start: booking.start,
        end: booking.end,
        timeZone: booking.timeZone,
        attendees: booking.attendees,
        onlineMeeting: link.onlineMeeting,
        ...(booking.joinUrl ? { joinUrl: booking.joinUrl } : {}),
        ...(description ? { description } : {}),
        requestId: booking.idempotencyKey,
        ...(booking.series ? { recurrence: booking.series.rule } : {}),
      });
    } catch (error) {
      // Nothing was written to the calendar: remove the claim so nothing half-made remains.
      const Bookings = await this.#records.model(ctx);
      const claim = await Bookings.findById(booking._id).lean();
      if (claim?.status === 'pending') await Bookings.deleteOne({ _id: booking._id });
      throw error;
    }
  }

  async get(ctx: TenantContext, id: string): Promise<BookingDoc | undefined> {
    return this.#records.read(ctx, id);
  }

  /** The person's confirmed bookings (organized or attended) not over by `from`, by start. */
  async listFor(ctx: TenantContext, userId: string, range: { from: Date; limit?: number }) {
    const me = await this.#deps.store.controlModel(User).findById(userId).lean();
    const found = await upcomingOf(
      this.#deps.store,
      ctx,
      { userId, email: me?.email ?? null },
      { from: range.from, limit: range.limit ?? 50 },
    );
    return this.#records.openAll(ctx, found);
  }

  /** The booking made for this idempotency key, in any status. */
  async findByIdempotencyKey(ctx: TenantContext, key: string) {
    return this.#records.open(ctx, await findByIdempotencyKey(this.#deps.store, ctx, key));
  }

  /**
   * The idempotency key of a request that came without one: the organizer, the start and the
   * title's fingerprint (never the title itself: the key is stored).
   */
  contentKey(ctx: TenantContext, asked: { organizerId: string; start: Date; title: string }) {
    return this.#records.contentKey(ctx, asked);
  }

  /**
   * What a follow-up is of: the latest booking made from this conversation that the person
   * organized or attends (among the latest 20 made there), else the latest they organized.
   */
  async latestToFollowUp(
    ctx: TenantContext,
    person: { userId: string; email: string },
    origin: { platform: string; conversationId: string },
  ): Promise<BookingDoc | undefined> {
    const fromHere = await latestFromConversation(this.#deps.store, ctx, origin, 20);
    const here = fromHere.find(
      (b) => b.organizerId === person.userId || b.attendees.some((a) => a.email === person.email),
    );
    return this.#records.open(
      ctx,
      here ?? (await latestOrganizedBy(this.#deps.store, ctx, person.userId)),
    );
  }

  async reschedule(
    ctx: TenantContext,
    id: string,
    actorId: string,
    slot: { start: Date; end: Date },
  ): Promise<BookResult> {
    const deps = this.#deps;
    const booking = await this.#records.read(ctx, id);
    if (!booking) throw new BookingError('not-found', 'That booking was not found.');
    if (booking.organizerId !== actorId)
      throw new BookingError('not-organizer', 'Only the organizer can reschedule this meeting.');
    if (booking.status !== 'confirmed')
      throw new BookingError('cancelled', 'This meeting was cancelled.');
    // Moving a whole series is not offered: each calendar would rewrite it differently.
    if (booking.series) {
      throw new BookingError(
        'invalid-series',
        'This meeting repeats: move one meeting of it, or cancel the rest and book the new time.',
      );
    }
    const organizer = await organizerOf(deps, ctx, booking.organizerEmail);
    const check = await recheck(
      deps,
      ctx,
      booking.organizerEmail,
      booking.attendees,
      slot.start,
      slot.end,
    );
    // The meeting's own current time is busy on the calendars; it does not count against itself.
    const ownTime =
      booking.start.getTime() < slot.end.getTime() && slot.start.getTime() < booking.end.getTime();
    if (!stillFree(check, slot.start) && !ownTime) {
      return {
        ok: false,
        reason: 'slot-taken',
        message: 'That time is not free for everyone. Here are the next best times.',
        alternatives: await alternativesAfter(deps, ctx, {
          organizerEmail: booking.organizerEmail,
          attendees: booking.attendees,
          start: slot.start,
          end: slot.end,
        }),
      };
    }
    const updated = await organizer.calendar.provider.updateEvent(booking.providerEventId!, {
      title: booking.title,
      start: slot.start,
      end: slot.end,
      timeZone: booking.timeZone,
      attendees: booking.attendees,
      onlineMeeting: booking.linkType === 'none' ? 'none' : (booking.linkType as OnlineMeetingKind),
      ...(booking.joinUrl ? { joinUrl: booking.joinUrl } : {}),
      requestId: booking.idempotencyKey,
    });
    const next = {
      ...booking,
      start: slot.start,
      end: slot.end,
      joinUrl: updated.joinUrl ?? booking.joinUrl,
      updatedAt: new Date(),
    };
    // Listed at its new time first; taken off the old month only once it moved.
    await indexBooking(deps.store, ctx, next);
    await this.#records.write(ctx, next);
    await unindexMoved(deps.store, ctx, booking, next);
    await deps.audit.append(ctx, {
      action: 'booking.rescheduled',
      actor: `user:${actorId}`,
      target: `booking:${id}`,
      details: { start: slot.start.toISOString() },
    });
    await deps.onChange?.(ctx, next, 'rescheduled');
    return { ok: true, booking: next, alreadyBooked: false };
  }

  async cancel(ctx: TenantContext, id: string, actorId: string): Promise<BookingDoc> {
    const deps = this.#deps;
    const booking = await this.#records.read(ctx, id);
    if (!booking) throw new BookingError('not-found', 'That booking was not found.');
    if (booking.organizerId !== actorId)
      throw new BookingError('not-organizer', 'Only the organizer can cancel this meeting.');
    if (booking.status === 'cancelled') return booking;
    const organizer = await organizerOf(deps, ctx, booking.organizerEmail);
    if (booking.providerEventId) {
      try {
        await organizer.calendar.provider.deleteEvent(booking.providerEventId);
      } catch (error) {
        // Already gone from the calendar is what cancelling wants.
        if (!(error instanceof ProviderError && error.status === 404)) throw error;
      }
    }
    const next = { ...booking, status: 'cancelled' as const, updatedAt: new Date() };
    await this.#records.write(ctx, next);
    await unindexBooking(deps.store, ctx, next);
    await deps.audit.append(ctx, {
      action: 'booking.cancelled',
      actor: `user:${actorId}`,
      target: `booking:${id}`,
    });
    await deps.onChange?.(ctx, next, 'cancelled');
    return next;
  }

  /** A follow-up with the same people: the next good slots after the meeting. */
  async followUpTimes(
    ctx: TenantContext,
    id: string,
    options: { durationMinutes?: number; now?: Date } = {},
  ) {
    const booking = await this.#records.read(ctx, id);
    if (!booking) throw new BookingError('not-found', 'That booking was not found.');
    const from = new Date(Math.max(booking.end.getTime(), (options.now ?? new Date()).getTime()));
    return {
      booking,
      result: await findTimes(this.#deps, ctx, {
        organizerEmail: booking.organizerEmail,
        attendees: booking.attendees
          .filter((a) => a.email !== booking.organizerEmail)
          .map((a) => ({ email: a.email, optional: a.optional })),
        durationMinutes:
          options.durationMinutes ??
          Math.round((booking.end.getTime() - booking.start.getTime()) / 60_000),
        window: { start: from, end: new Date(from.getTime() + 14 * 86_400_000) },
        minNoticeMinutes: 60,
        limit: 5,
        ...(options.now ? { now: options.now } : {}),
      }),
    };
  }
}

/** A series refused because some occurrences are taken: which, in the organizer's zone. */
function seriesTaken(conflicts: OccurrenceConflict[], timeZone: string): BookResult {
  const days = conflicts.slice(0, 5).map((c) =>
    c.start.toLocaleDateString('en-GB', {
      timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
    }),
  );
  const more = conflicts.length > 5 ? ` and ${conflicts.length - 5} more` : '';
  return {
    ok: false,
    reason: 'slot-taken',
    message: `${conflicts.length} of the meetings are not free for everyone (${days.join(', ')}${more}). Pick another time, or allow conflicts to book the series anyway.`,
    alternatives: [],
  };
}

/** The booking as first claimed: pending, with no calendar event yet. */
function pendingBooking(
  organizer: Colleague,
  request: BookRequest,
  link: { joinUrl?: string },
): BookingDoc {
  return {
    _id: bookingIdFor(request.idempotencyKey),
    idempotencyKey: request.idempotencyKey,
    status: 'pending',
    organizerId: organizer.user._id,
    organizerEmail: organizer.email,
    title: request.title,
    start: request.start,
    end: request.end,
    timeZone: organizer.settings.timeZone,
    attendees: request.attendees,
    linkType: request.linkType,
    joinUrl: link.joinUrl ?? null,
    provider: organizer.calendar.provider.kind,
    providerEventId: null,
    origin: request.origin ?? null,
    followUpOf: request.followUpOf ?? null,
    createdAt: new Date(),
    updatedAt: new Date(),
  };
}
