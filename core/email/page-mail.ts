// Booking pages by email: the guest who booked gets a confirmation with the invitation (the
// iTIP REQUEST where Quorum sends invitations; where Google or Microsoft send their own, the
// confirmation only) and their signed link to cancel or pick another time; the page's owner is
// told of the booking, and of a guest's cancellation.
import type { UserDoc } from '../identity/models.ts';
import { getUserSettings } from '../identity/user-settings.ts';
import type { BookingDoc } from '../scheduling/booking/booking-model.ts';
import type { Store } from '../store/store.ts';
import type { TenantContext } from '../store/tenant-context.ts';
import type { Invitations } from './invitations.ts';
import { itipIcs } from './itip.ts';
import type { EmailOutbox } from './outbox.ts';
import { renderEmail } from './render.ts';

export interface PageMailDeps {
  outbox: EmailOutbox;
  invitations: Invitations;
  store: Store;
}

export interface PageBooking {
  booking: BookingDoc;
  owner: UserDoc;
  guest: { email: string; name: string };
  manageUrl: string;
}

export class PageMail {
  readonly #d: PageMailDeps;

  constructor(deps: PageMailDeps) {
    this.#d = deps;
  }

  get enabled(): boolean {
    return this.#d.outbox.enabled;
  }

  /** The guest's confirmation and the owner's notice, once per booking. */
  async booked(ctx: TenantContext, made: PageBooking): Promise<void> {
    const { booking, owner, guest } = made;
    const ref = `booking:${booking._id}`;
    const calendar = this.#d.invitations.sendsFor(booking)
      ? {
          method: 'REQUEST' as const,
          ics: itipIcs({
            method: 'REQUEST',
            uid: `${booking._id}@quorum`,
            sequence: 0,
            title: booking.title,
            start: booking.start,
            end: booking.end,
            organizer: { email: owner.email, name: owner.name },
            attendees: booking.attendees,
            joinUrl: booking.joinUrl,
            stamp: new Date(),
          }),
        }
      : undefined;
    await this.#d.outbox.enqueue(ctx, {
      key: `confirmation:${booking._id}`,
      ref,
      kind: 'confirmation',
      email: renderEmail({
        to: { email: guest.email, name: guest.name },
        subject: `Booked: ${booking.title}`,
        heading: `You booked “${booking.title}” with ${owner.name}.`,
        // The guest saw the times in their browser's zone; the meeting's zone is named here.
        when: { start: booking.start, end: booking.end, timeZone: booking.timeZone },
        paragraphs: booking.joinUrl ? [`Join: ${booking.joinUrl}`] : [],
        actions: [{ label: 'Cancel or pick another time', url: made.manageUrl }],
        why: `you booked a time on ${owner.name}’s booking page with this address.`,
        ...(calendar ? { calendar } : {}),
      }),
    });
    const ownerZone = (await getUserSettings(this.#d.store, ctx, owner._id)).timeZone;
    await this.#d.outbox.enqueue(ctx, {
      key: `host-booked:${booking._id}`,
      ref,
      kind: 'host-notice',
      email: renderEmail({
        to: { email: owner.email, name: owner.name },
        subject: `New booking: ${booking.title}`,
        heading: `${guest.name} (${guest.email}) booked “${booking.title}” on your booking page.`,
        when: { start: booking.start, end: booking.end, timeZone: ownerZone },
        why: 'you own this booking page.',
      }),
    });
  }

  /** The owner hears that the guest cancelled (attendees get the CANCEL from the invitations). */
  async guestCancelled(ctx: TenantContext, booking: BookingDoc, owner: UserDoc): Promise<void> {
    const guest = booking.attendees[booking.attendees.length - 1];
    const ownerZone = (await getUserSettings(this.#d.store, ctx, owner._id)).timeZone;
    await this.#d.outbox.enqueue(ctx, {
      key: `host-cancelled:${booking._id}`,
      ref: `booking:${booking._id}`,
      kind: 'host-notice',
      email: renderEmail({
        to: { email: owner.email, name: owner.name },
        subject: `Cancelled by the guest: ${booking.title}`,
        heading: `${guest?.name ?? guest?.email ?? 'The guest'} cancelled “${booking.title}”.`,
        when: { start: booking.start, end: booking.end, timeZone: ownerZone },
        why: 'you own the booking page it was booked on.',
      }),
    });
  }
}
