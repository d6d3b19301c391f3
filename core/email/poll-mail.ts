// Polls by email: "send to guests" emails each participant their own signed voting link (one
// message each, listing the times in their zone); when the poll ends, those it was sent to get
// the outcome — the time chosen with its invitation (where Quorum invites), or that no time
// worked for everyone.
import { getUserSettings } from '../identity/user-settings.ts';
import type { BookingDoc } from '../scheduling/booking/booking-model.ts';
import type { PollDoc, PollNotice, PollService } from '../scheduling/polls/poll-service.ts';
import type { Store } from '../store/store.ts';
import type { TenantContext } from '../store/tenant-context.ts';
import type { Invitations } from './invitations.ts';
import { itipIcs } from './itip.ts';
import type { EmailOutbox } from './outbox.ts';
import { personName, zonesOf } from './recipients.ts';
import { formatWhen, renderEmail } from './render.ts';

export interface PollMailDeps {
  outbox: EmailOutbox;
  invitations: Invitations;
  store: Store;
  polls: () => PollService;
  bookingOf: (ctx: TenantContext, id: string) => Promise<BookingDoc | undefined>;
}

export interface PollSent {
  /** Whether email is on; when off, `links` must be shared by hand. */
  emailOn: boolean;
  links: Array<{ email: string; url: string }>;
}

export class PollMail {
  readonly #d: PollMailDeps;

  constructor(deps: PollMailDeps) {
    this.#d = deps;
  }

  /** Whether email is on (SMTP_URL set); when off, links are shared by hand. */
  get enabled(): boolean {
    return this.#d.outbox.enabled;
  }

  async #zones(ctx: TenantContext, poll: PollDoc) {
    const organizerZone = (await getUserSettings(this.#d.store, ctx, poll.organizerId)).timeZone;
    return zonesOf(
      this.#d.store,
      ctx,
      poll.participants.map((p) => p.email),
      organizerZone,
    );
  }

  /**
   * Emails each participant their link; once per participant however often it is asked.
   * `skip`: people the asking surface gives a ballot itself (a chat's vote buttons).
   */
  async sendToGuests(
    ctx: TenantContext,
    poll: PollDoc,
    skip: ReadonlySet<string> = new Set(),
  ): Promise<PollSent> {
    const polls = this.#d.polls();
    const links = await Promise.all(
      poll.participants.map(async (p) => ({
        email: p.email,
        url: await polls.linkFor(ctx, poll._id, p.email),
      })),
    );
    if (!this.#d.outbox.enabled) return { emailOn: false, links };
    const zones = await this.#zones(ctx, poll);
    const organizer = (await personName(this.#d.store, poll.organizerId)) ?? poll.organizerEmail;
    for (const [i, p] of poll.participants.entries()) {
      if (skip.has(p.email)) continue;
      const zone = zones.get(p.email)!;
      await this.#d.outbox.enqueue(ctx, {
        key: `poll-invitation:${poll._id}:${p.email}`,
        ref: `poll:${poll._id}`,
        kind: 'poll-invitation',
        email: renderEmail({
          to: { email: p.email, ...(p.name ? { name: p.name } : {}) },
          subject: `Which times work for you? ${poll.title}`,
          heading: `${organizer} asks which of these times work for you for “${poll.title}”:`,
          paragraphs: [
            poll.options.map((o) => `• ${formatWhen({ ...o, timeZone: zone })}`).join('\n'),
          ],
          actions: [{ label: 'Choose your times', url: links[i]!.url }],
          why: `${organizer} (${poll.organizerEmail}) asked you in a poll; the link is yours alone.`,
        }),
      });
    }
    return { emailOn: true, links };
  }

  /** The poll's outcome, to those it was sent to by email (a poll listener). */
  async finished(ctx: TenantContext, notice: PollNotice): Promise<void> {
    const { poll } = notice;
    const sent = await this.#d.outbox.sentFor(ctx, `poll:${poll._id}`);
    const emailed = new Set(sent.filter((m) => m.kind === 'poll-invitation').map((m) => m.to));
    if (emailed.size === 0) return;
    const booking = notice.bookingId ? await this.#d.bookingOf(ctx, notice.bookingId) : undefined;
    const zones = await this.#zones(ctx, poll);
    const calendar =
      booking && this.#d.invitations.sendsFor(booking)
        ? {
            method: 'REQUEST' as const,
            ics: itipIcs({
              method: 'REQUEST',
              uid: `${booking._id}@quorum`,
              sequence: 0,
              title: booking.title,
              start: booking.start,
              end: booking.end,
              organizer: { email: booking.organizerEmail },
              attendees: booking.attendees,
              joinUrl: booking.joinUrl,
              stamp: new Date(),
            }),
          }
        : undefined;
    for (const p of poll.participants.filter((x) => emailed.has(x.email))) {
      await this.#d.outbox.enqueue(ctx, {
        key: `poll-outcome:${poll._id}:${p.email}`,
        ref: `poll:${poll._id}`,
        kind: 'poll-outcome',
        email: renderEmail({
          to: { email: p.email, ...(p.name ? { name: p.name } : {}) },
          subject: booking ? `Booked: ${poll.title}` : `No time worked: ${poll.title}`,
          heading: booking
            ? `Everyone has answered: “${poll.title}” is booked.`
            : `No time worked for everyone for “${poll.title}”; the organizer will suggest more.`,
          ...(booking
            ? { when: { start: booking.start, end: booking.end, timeZone: zones.get(p.email)! } }
            : {}),
          why: `you were asked in this poll by ${poll.organizerEmail}.`,
          ...(calendar ? { calendar } : {}),
        }),
      });
    }
  }
}
