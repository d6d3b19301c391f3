// Reminders before meetings, for the people of the organization who asked for them (their
// email settings: `reminderMinutes`). Each booking made or moved schedules one job per such
// person at the time they chose (at once when that time has passed but the meeting has not
// begun); when it runs, a meeting since cancelled or moved sends nothing (the move scheduled its
// own). Guests get no reminders: nobody outside the organization asked for them.
import type { BookingDoc } from '../scheduling/booking/booking-model.ts';
import type { Store } from '../store/store.ts';
import { verifiedTenantContext, type TenantContext } from '../store/tenant-context.ts';
import type { BookingChange } from './invitations.ts';
import type { EmailOutbox } from './outbox.ts';
import { emailPreferencesOf } from './preferences.ts';
import { renderEmail } from './render.ts';
import { findActiveTenantUsersByEmails } from '../identity/users.ts';
import { getUserSettings } from '../identity/user-settings.ts';

export interface ReminderJobData {
  tenantId: string;
  bookingId: string;
  email: string;
  /** The start it was scheduled for; a booking moved since sends nothing for it. */
  start: string;
}

export interface RemindersDeps {
  outbox: EmailOutbox;
  store: Store;
  schedule: (when: Date, data: ReminderJobData) => Promise<void>;
  bookingOf: (ctx: TenantContext, id: string) => Promise<BookingDoc | undefined>;
  now?: () => Date;
}

export class Reminders {
  readonly #d: RemindersDeps;

  constructor(deps: RemindersDeps) {
    this.#d = deps;
  }

  /** The booking service's hook (with the invitations'): schedules the reminders asked for. */
  async changed(ctx: TenantContext, booking: BookingDoc, change: BookingChange): Promise<void> {
    // A series' meeting changed leaves its first start, which the reminder is for, as it was.
    if (!this.#d.outbox.enabled || change === 'cancelled' || change === 'series-changed') return;
    const now = this.#d.now?.() ?? new Date();
    if (booking.start <= now) return;
    const emails = [booking.organizerEmail, ...booking.attendees.map((a) => a.email)];
    const members = await findActiveTenantUsersByEmails(this.#d.store, ctx.tenantId, emails);
    for (const member of members) {
      const { reminderMinutes } = await emailPreferencesOf(this.#d.store, ctx, member._id);
      if (!reminderMinutes) continue;
      const at = new Date(booking.start.getTime() - reminderMinutes * 60_000);
      await this.#d.schedule(at > now ? at : now, {
        tenantId: ctx.tenantId,
        bookingId: booking._id,
        email: member.email,
        start: booking.start.toISOString(),
      });
    }
  }

  /** The job: one reminder, unless the meeting was cancelled or moved since. */
  async remind(data: ReminderJobData): Promise<void> {
    const ctx = verifiedTenantContext(data.tenantId, 'system');
    const booking = await this.#d.bookingOf(ctx, data.bookingId);
    if (!booking || booking.status !== 'confirmed') return;
    if (booking.start.toISOString() !== data.start) return;
    const [member] = await findActiveTenantUsersByEmails(this.#d.store, ctx.tenantId, [data.email]);
    if (!member) return;
    const { timeZone } = await getUserSettings(this.#d.store, ctx, member._id);
    await this.#d.outbox.enqueue(ctx, {
      key: `reminder:${booking._id}:${booking.start.getTime()}:${member.email}`,
      ref: `booking:${booking._id}`,
      kind: 'reminder',
      email: renderEmail({
        to: { email: member.email, name: member.name },
        subject: `Reminder: ${booking.title}`,
        heading: `“${booking.title}” begins soon.`,
        when: { start: booking.start, end: booking.end, timeZone },
        paragraphs: booking.joinUrl ? [`Join: ${booking.joinUrl}`] : [],
        why: 'you asked for reminders before your meetings (your email settings in Quorum).',
      }),
    });
  }
}
