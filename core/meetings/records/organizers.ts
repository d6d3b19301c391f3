// Who organizes a new meeting: the booking's organizer, the user creating it, or (for an API
// key) the member it names.
import { User } from '../../identity/models.ts';
import { BookingRecords } from '../../scheduling/booking/booking-records.ts';
import type { TenantContext } from '../../store/tenant-context.ts';
import { MeetingError } from '../errors.ts';
import type { MeetingsKit } from '../kit.ts';
import type { MeetingActor } from './access.ts';
import { sameEmail } from './participants.ts';

export interface Organizer {
  id: string | null;
  email: string;
  name: string | null;
}

export async function organizerFor(
  kit: MeetingsKit,
  ctx: TenantContext,
  actor: MeetingActor,
  email?: string,
): Promise<Organizer> {
  if (actor.kind === 'user' && (email === undefined || sameEmail(email, actor.email))) {
    return { id: actor.userId, email: actor.email, name: actor.name };
  }
  if (email === undefined) {
    throw new MeetingError('invalid', 'organizerEmail: say which member organizes the meeting.');
  }
  if (actor.kind === 'user') {
    throw new MeetingError('invalid', 'organizerEmail: you can only create meetings you organize.');
  }
  const user = await kit.deps.store
    .controlModel(User)
    .findOne({ tenantId: ctx.tenantId, email: email.toLowerCase(), deletedAt: null })
    .lean();
  if (!user) {
    throw new MeetingError(
      'invalid',
      `organizerEmail: ${email} is not a member of this organization.`,
    );
  }
  return { id: user._id, email: user.email, name: user.name };
}

/** The booking (one the actor organizes or attends) and its organizer. */
export async function fromBooking(
  kit: MeetingsKit,
  ctx: TenantContext,
  actor: MeetingActor,
  bookingId: string,
) {
  const { store, envelope } = kit.deps;
  // Read as the booking service reads it: its title opened.
  const booking = (await new BookingRecords(store, envelope).read(ctx, bookingId)) ?? null;
  const mine =
    booking !== null &&
    (actor.kind === 'api-key' ||
      booking.organizerId === actor.userId ||
      booking.attendees.some((a) => sameEmail(a.email, actor.email)));
  if (!booking || !mine) throw new MeetingError('not-found', 'That booking was not found.');
  if (booking.status === 'cancelled') {
    throw new MeetingError('conflict', 'That booking was cancelled; it has no meeting to record.');
  }
  const organizer = await store.controlModel(User).findById(booking.organizerId).lean();
  const bookingOrganizer: Organizer = {
    id: booking.organizerId,
    email: booking.organizerEmail,
    name: organizer?.name ?? null,
  };
  return { booking, organizer: bookingOrganizer };
}
