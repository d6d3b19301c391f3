// Books, reschedules and cancels meetings on the organizer's calendar, with an online-meeting
// link. Free/busy is checked again just before writing; the same request twice books once.
import { ProviderError, type OnlineMeetingKind } from '../../calendars/provider.ts';
import type { LinkType } from '../../identity/user-settings.ts';
import type { AuditLog } from '../../privacy/audit-log.ts';
import type { TenantContext } from '../../store/tenant-context.ts';
import type { Slot } from '../availability/index.ts';
import { findTimes, type FindTimesResult, type SchedulingDeps } from '../find-times.ts';
import { resolvePeople, type Colleague } from '../people.ts';
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
import { Booking, type BookingAttendee, type BookingDoc } from './booking-model.ts';

/** Makes a Zoom meeting when the organizer has connected Zoom (the Zoom integration). */
export interface ZoomMeetings {
  create(
    ctx: TenantContext,
    organizerId: string,
    meeting: { title: string; start: Date; end: Date; timeZone: string },
  ): Promise<{ joinUrl: string } | undefined>;
}

export interface BookingDeps extends SchedulingDeps {
  audit: AuditLog;
  zoom?: ZoomMeetings;
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
}

export type BookResult =
  | { ok: true; booking: BookingDoc; alreadyBooked: boolean }
  | { ok: false; reason: 'slot-taken'; message: string; alternatives: Slot[] }
  | { ok: false; reason: 'in-progress'; message: string };

export class BookingError extends Error {
  override name = 'BookingError';
  readonly code:
    'not-found' | 'not-organizer' | 'cancelled' | 'link-unavailable' | 'not-a-colleague';
  constructor(code: BookingError['code'], message: string) {
    super(message);
    this.code = code;
  }
}

const NATIVE_LINK: Record<string, LinkType> = { google: 'meet', microsoft: 'teams' };

async function organizerOf(
  deps: BookingDeps,
  ctx: TenantContext,
  email: string,
): Promise<Colleague> {
  const person = (await resolvePeople(deps, ctx, [email])).get(email.toLowerCase());
  if (person?.kind !== 'colleague') {
    throw new BookingError('not-a-colleague', `${email} is not a member of your organization.`);
  }
  return person;
}

/** The link to put into the event: the calendar's own kind, or a Zoom meeting made first. */
async function linkFor(
  deps: BookingDeps,
  ctx: TenantContext,
  organizer: Colleague,
  request: { linkType: LinkType; title: string; start: Date; end: Date },
): Promise<{ onlineMeeting: OnlineMeetingKind; joinUrl?: string }> {
  const kind = organizer.calendar.provider.kind;
  if (request.linkType === 'none') return { onlineMeeting: 'none' };
  if (request.linkType === 'zoom') {
    const zoom = await deps.zoom?.create(ctx, organizer.user._id, {
      ...request,
      timeZone: organizer.settings.timeZone,
    });
    if (!zoom)
      throw new BookingError(
        'link-unavailable',
        'Zoom is not connected. Connect Zoom, or choose another meeting link.',
      );
    return { onlineMeeting: 'zoom', joinUrl: zoom.joinUrl };
  }
  if (NATIVE_LINK[kind] !== request.linkType) {
    const needs = request.linkType === 'teams' ? 'Microsoft 365' : 'Google';
    throw new BookingError(
      'link-unavailable',
      `A ${request.linkType === 'teams' ? 'Teams' : 'Meet'} link needs a connected ${needs} calendar. Connect it, or choose another meeting link.`,
    );
  }
  return { onlineMeeting: request.linkType };
}

function stillFree(result: FindTimesResult, start: Date): boolean {
  return result.slots.some((s) => s.start === start.getTime());
}

export function createBookingService(deps: BookingDeps) {
  const bookings = (ctx: TenantContext) => deps.store.tenantModel(ctx, Booking);
  const byKey = (ctx: TenantContext, key: string) => findByIdempotencyKey(deps.store, ctx, key);

  /** Re-checks the slot against everyone's calendar right now. */
  async function recheck(
    ctx: TenantContext,
    organizerEmail: string,
    attendees: BookingAttendee[],
    start: Date,
    end: Date,
  ) {
    const durationMinutes = Math.round((end.getTime() - start.getTime()) / 60_000);
    // Just this slot, for conflicts only: a time chosen outside working hours stays bookable.
    const result = await findTimes(deps, ctx, {
      organizerEmail,
      attendees: attendees.map((a) => ({ email: a.email, optional: a.optional })),
      durationMinutes,
      window: { start, end },
      granularityMinutes: 1,
      limit: 1,
      ignoreWorkingHours: true,
      now: new Date(Math.min(Date.now(), start.getTime())),
    });
    return result;
  }

  async function alternativesAfter(
    ctx: TenantContext,
    request: Pick<BookRequest, 'organizerEmail' | 'attendees' | 'start' | 'end'>,
  ): Promise<Slot[]> {
    const durationMinutes = Math.round((request.end.getTime() - request.start.getTime()) / 60_000);
    const result = await findTimes(deps, ctx, {
      organizerEmail: request.organizerEmail,
      attendees: request.attendees.map((a) => ({ email: a.email, optional: a.optional })),
      durationMinutes,
      window: {
        start: new Date(Math.max(Date.now(), request.start.getTime() - 7 * 86_400_000)),
        end: new Date(request.start.getTime() + 14 * 86_400_000),
      },
      limit: 3,
      exclude: [{ start: request.start.getTime(), end: request.end.getTime() }],
    });
    return result.slots;
  }

  return {
    async book(ctx: TenantContext, request: BookRequest): Promise<BookResult> {
      const Bookings = await bookings(ctx);
      const organizer = await organizerOf(deps, ctx, request.organizerEmail);
      const existing = await byKey(ctx, request.idempotencyKey);
      if (existing?.status === 'confirmed' || existing?.status === 'cancelled') {
        return { ok: true, booking: existing, alreadyBooked: true };
      }
      if (!existing) {
        const slot = await recheck(
          ctx,
          organizer.email,
          request.attendees,
          request.start,
          request.end,
        );
        if (!stillFree(slot, request.start)) {
          // The time may be taken by this very booking, made by a racing request with the same
          // key since the look-up above: that is its own success, not a lost slot.
          const racer = await byKey(ctx, request.idempotencyKey);
          if (racer?.status === 'confirmed' || racer?.status === 'cancelled') {
            return { ok: true, booking: racer, alreadyBooked: true };
          }
          if (racer) {
            return {
              ok: false,
              reason: 'in-progress',
              message: 'This booking is already being made; try again in a moment.',
            };
          }
          return {
            ok: false,
            reason: 'slot-taken',
            message: 'That time was taken in the meantime. Here are the next best times.',
            alternatives: await alternativesAfter(ctx, request),
          };
        }
      }
      const link = await linkFor(deps, ctx, organizer, request);
      // Claim the key first (a unique insert is atomic on every database we run on), so two
      // concurrent requests with the same key cannot both create an event: the booking's id
      // comes from the key.
      let booking: BookingDoc = existing ?? {
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
      if (!existing) {
        try {
          await Bookings.create(booking);
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
          const winner = await byKey(ctx, request.idempotencyKey);
          if (winner?.status === 'confirmed')
            return { ok: true, booking: winner, alreadyBooked: true };
          return {
            ok: false,
            reason: 'in-progress',
            message: 'This booking is already being made; try again in a moment.',
          };
        }
      }
      let created;
      try {
        // The provider is idempotent on requestId, so resuming a pending booking never makes two events.
        created = await organizer.calendar.provider.createEvent({
          title: booking.title,
          start: booking.start,
          end: booking.end,
          timeZone: booking.timeZone,
          attendees: booking.attendees,
          onlineMeeting: link.onlineMeeting,
          ...(booking.joinUrl ? { joinUrl: booking.joinUrl } : {}),
          ...(request.description ? { description: request.description } : {}),
          requestId: booking.idempotencyKey,
        });
      } catch (error) {
        // Nothing was written to the calendar: remove the claim so nothing half-made remains.
        const claim = await Bookings.findById(booking._id).lean();
        if (claim?.status === 'pending') await Bookings.deleteOne({ _id: booking._id });
        throw error;
      }
      booking = {
        ...booking,
        status: 'confirmed',
        providerEventId: created.providerEventId,
        joinUrl: created.joinUrl ?? booking.joinUrl,
        updatedAt: new Date(),
      };
      // Listed before it is confirmed: readers skip what is not confirmed yet.
      await indexBooking(deps.store, ctx, booking);
      await Bookings.replaceOne({ _id: booking._id }, booking);
      await deps.audit.append(ctx, {
        action: 'booking.created',
        actor: `user:${organizer.user._id}`,
        target: `booking:${booking._id}`,
        details: { attendees: booking.attendees.length, provider: booking.provider },
      });
      return { ok: true, booking, alreadyBooked: false };
    },

    async get(ctx: TenantContext, id: string): Promise<BookingDoc | undefined> {
      return (await (await bookings(ctx)).findById(id).lean()) ?? undefined;
    },

    /** The person's confirmed bookings (organized or attended) not over by `from`, by start. */
    async listFor(ctx: TenantContext, userId: string, range: { from: Date; limit?: number }) {
      const me = await deps.store.controlModel(User).findById(userId).lean();
      return upcomingOf(
        deps.store,
        ctx,
        { userId, email: me?.email ?? null },
        { from: range.from, limit: range.limit ?? 50 },
      );
    },

    /** The booking made for this idempotency key, in any status. */
    findByIdempotencyKey: byKey,

    /**
     * What a follow-up is of: the latest booking made from this conversation that the person
     * organized or attends (among the latest 20 made there), else the latest they organized.
     */
    async latestToFollowUp(
      ctx: TenantContext,
      person: { userId: string; email: string },
      origin: { platform: string; conversationId: string },
    ): Promise<BookingDoc | undefined> {
      const fromHere = await latestFromConversation(deps.store, ctx, origin, 20);
      const here = fromHere.find(
        (b) => b.organizerId === person.userId || b.attendees.some((a) => a.email === person.email),
      );
      return here ?? (await latestOrganizedBy(deps.store, ctx, person.userId));
    },

    async reschedule(
      ctx: TenantContext,
      id: string,
      actorId: string,
      slot: { start: Date; end: Date },
    ): Promise<BookResult> {
      const Bookings = await bookings(ctx);
      const booking = await Bookings.findById(id).lean();
      if (!booking) throw new BookingError('not-found', 'That booking was not found.');
      if (booking.organizerId !== actorId)
        throw new BookingError('not-organizer', 'Only the organizer can reschedule this meeting.');
      if (booking.status !== 'confirmed')
        throw new BookingError('cancelled', 'This meeting was cancelled.');
      const organizer = await organizerOf(deps, ctx, booking.organizerEmail);
      const check = await recheck(
        ctx,
        booking.organizerEmail,
        booking.attendees,
        slot.start,
        slot.end,
      );
      // The meeting's own current time is busy on the calendars; it does not count against itself.
      const ownTime =
        booking.start.getTime() < slot.end.getTime() &&
        slot.start.getTime() < booking.end.getTime();
      if (!stillFree(check, slot.start) && !ownTime) {
        return {
          ok: false,
          reason: 'slot-taken',
          message: 'That time is not free for everyone. Here are the next best times.',
          alternatives: await alternativesAfter(ctx, {
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
        onlineMeeting:
          booking.linkType === 'none' ? 'none' : (booking.linkType as OnlineMeetingKind),
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
      await Bookings.replaceOne({ _id: id }, next);
      await unindexMoved(deps.store, ctx, booking, next);
      await deps.audit.append(ctx, {
        action: 'booking.rescheduled',
        actor: `user:${actorId}`,
        target: `booking:${id}`,
        details: { start: slot.start.toISOString() },
      });
      return { ok: true, booking: next, alreadyBooked: false };
    },

    async cancel(ctx: TenantContext, id: string, actorId: string): Promise<BookingDoc> {
      const Bookings = await bookings(ctx);
      const booking = await Bookings.findById(id).lean();
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
      await Bookings.replaceOne({ _id: id }, next);
      await unindexBooking(deps.store, ctx, next);
      await deps.audit.append(ctx, {
        action: 'booking.cancelled',
        actor: `user:${actorId}`,
        target: `booking:${id}`,
      });
      return next;
    },

    /** A follow-up with the same people: the next good slots after the meeting. */
    async followUpTimes(
      ctx: TenantContext,
      id: string,
      options: { durationMinutes?: number; now?: Date } = {},
    ) {
      const booking = await (await bookings(ctx)).findById(id).lean();
      if (!booking) throw new BookingError('not-found', 'That booking was not found.');
      const from = new Date(Math.max(booking.end.getTime(), (options.now ?? new Date()).getTime()));
      return {
        booking,
        result: await findTimes(deps, ctx, {
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
    },
  };
}

export type BookingService = ReturnType<typeof createBookingService>;
