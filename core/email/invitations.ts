// Invitations by email for meetings booked on calendars that do not invite people themselves
// (the local calendar, CalDAV); Google and Microsoft send their own. The booking service tells
// this module of every booking, reschedule and cancellation (all surfaces book through it), and
// each attendee gets an iTIP message (RFC 5546/6047): REQUEST, REQUEST again with SEQUENCE + 1
// when the time moves or a meeting of a series is cancelled or moved, CANCEL when it is called
// off. A series goes as one event with its rule and exceptions (itip.ts). Each invitation
// carries the attendee's own signed Accept and Decline links; an answer is recorded with the
// booking's invitation state.
//
// State per booking (tenant collection `booking_invitations`, `_id` the booking's id): the
// sequence and the start it was sent for (so running again for the same change sends nothing
// new), and the answers.
import { SignJWT, jwtVerify } from 'jose';
import { Schema } from 'mongoose';
import type { Logger } from '../logger.ts';
import type { BookingDoc } from '../scheduling/booking/booking-model.ts';
import { specFor } from '../scheduling/booking/booking-series.ts';
import { describeRule } from '../scheduling/recurrence/rule.ts';
import { serialized } from '../store/serial.ts';
import { defineModel, type Store } from '../store/store.ts';
import { verifiedTenantContext, type TenantContext } from '../store/tenant-context.ts';
import { itipIcs, type ItipEvent } from './itip.ts';
import type { EmailOutbox } from './outbox.ts';
import { personName, zonesOf } from './recipients.ts';
import { renderEmail } from './render.ts';

/** `series-changed`: one meeting of a series was cancelled or moved, or the rest cancelled. */
export type BookingChange = 'booked' | 'rescheduled' | 'series-changed' | 'cancelled';
export type InvitationAnswer = 'accepted' | 'declined';

interface InvitationDoc {
  _id: string;
  sequence: number;
  /**
   * What the latest REQUEST was sent for (the start, and a series' rule and exceptions);
   * `cancelled` once CANCEL went out.
   */
  sentFor: string;
  answers: Array<{ email: string; answer: InvitationAnswer; at: Date }>;
}

export const BookingInvitation = defineModel<InvitationDoc>(
  'BookingInvitation',
  new Schema<InvitationDoc>(
    {
      _id: { type: String, required: true },
      sequence: { type: Number, required: true },
      sentFor: { type: String, required: true },
      answers: [{ _id: false, email: String, answer: String, at: Date }],
    },
    { collection: 'booking_invitations', versionKey: false },
  ),
);

/** Calendars that send no invitations of their own: Quorum sends them. */
const SILENT_CALENDARS = new Set(['local', 'caldav']);

export class InvitationError extends Error {
  override name = 'InvitationError';
}

export interface InvitationsDeps {
  outbox: EmailOutbox;
  store: Store;
  linkSecret: Uint8Array;
  baseUrl: string;
  logger: Logger;
}

export class Invitations {
  readonly #d: InvitationsDeps;

  constructor(deps: InvitationsDeps) {
    this.#d = deps;
  }

  /** Whether Quorum emails this booking's attendees (email on, a calendar that does not). */
  sendsFor(booking: Pick<BookingDoc, 'provider'>): boolean {
    return this.#d.outbox.enabled && SILENT_CALENDARS.has(booking.provider);
  }

  /** The booking service's hook; never fails the change it is told of (logged instead). */
  async changed(ctx: TenantContext, booking: BookingDoc, change: BookingChange): Promise<void> {
    if (!this.sendsFor(booking)) return;
    try {
      const sequence = await this.#advance(ctx, booking, change);
      if (sequence === undefined) return;
      await this.#send(ctx, booking, change, sequence);
    } catch (error) {
      this.#d.logger.error({ err: error, booking: booking._id }, 'invitations not queued');
    }
  }

  async #model(ctx: TenantContext) {
    return this.#d.store.tenantModel(ctx, BookingInvitation);
  }

  /** The sequence of the message this change needs; undefined when it was handled already. */
  async #advance(ctx: TenantContext, booking: BookingDoc, change: BookingChange) {
    const Invitations = await this.#model(ctx);
    const sentFor = change === 'cancelled' ? 'cancelled' : sentForOf(booking);
    return serialized(`${ctx.tenantId}/booking_invitations/${booking._id}`, async () => {
      const state = await Invitations.findById(booking._id).lean();
      if (state?.sentFor === sentFor) return undefined;
      const sequence = state ? state.sequence + 1 : 0;
      await Invitations.replaceOne(
        { _id: booking._id },
        { sequence, sentFor, answers: state?.answers ?? [] },
        { upsert: true },
      );
      return sequence;
    });
  }

  async #send(ctx: TenantContext, booking: BookingDoc, change: BookingChange, sequence: number) {
    const attendees = booking.attendees.filter((a) => a.email !== booking.organizerEmail);
    // A booking page's guest (listed last) gets the invitation in their confirmation
    // (page-mail.ts); a poll's participants in its outcome (poll-mail.ts), when it was emailed.
    const guest =
      change === 'booked' && booking.origin?.platform === 'booking-page'
        ? booking.attendees[booking.attendees.length - 1]?.email
        : undefined;
    const polled =
      change === 'booked' && booking.origin?.platform === 'poll'
        ? await this.#emailedPoll(ctx, booking.origin.conversationId)
        : new Set<string>();
    const organizerName =
      (await personName(this.#d.store, booking.organizerId)) ?? booking.organizerEmail;
    const zones = await zonesOf(
      this.#d.store,
      ctx,
      attendees.map((a) => a.email),
      booking.timeZone,
    );
    const method = change === 'cancelled' ? 'CANCEL' : 'REQUEST';
    const ics = itipIcs({
      method,
      uid: `${booking._id}@quorum`,
      sequence,
      title: booking.title,
      start: booking.start,
      end: booking.end,
      organizer: { email: booking.organizerEmail, name: organizerName },
      attendees,
      joinUrl: booking.joinUrl,
      stamp: new Date(),
      ...itipSeries(booking),
    });
    const kind = {
      booked: 'invitation',
      rescheduled: 'update',
      'series-changed': 'update',
      cancelled: 'cancellation',
    }[change];
    for (const attendee of attendees) {
      if (attendee.email === guest || polled.has(attendee.email)) continue;
      const actions =
        change === 'cancelled'
          ? []
          : [
              {
                label: 'Accept',
                url: await this.answerLink(ctx, booking._id, attendee.email, 'accepted'),
              },
              {
                label: 'Decline',
                url: await this.answerLink(ctx, booking._id, attendee.email, 'declined'),
              },
            ];
      const heading = {
        booked: `${organizerName} invited you to “${booking.title}”.`,
        rescheduled: `${organizerName} moved “${booking.title}” to a new time.`,
        'series-changed': `${organizerName} changed the meetings of “${booking.title}”.`,
        cancelled: `${organizerName} cancelled “${booking.title}”.`,
      }[change];
      const subject = {
        booked: `Invitation: ${booking.title}`,
        rescheduled: `Updated invitation: ${booking.title}`,
        'series-changed': `Updated invitation: ${booking.title}`,
        cancelled: `Cancelled: ${booking.title}`,
      }[change];
      await this.#d.outbox.enqueue(ctx, {
        key: `${kind}:${booking._id}:${sequence}:${attendee.email}`,
        ref: `booking:${booking._id}`,
        kind,
        email: renderEmail({
          to: { email: attendee.email, ...(attendee.name ? { name: attendee.name } : {}) },
          subject,
          heading,
          when: { start: booking.start, end: booking.end, timeZone: zones.get(attendee.email)! },
          paragraphs: [
            ...(booking.series ? [`Repeats ${describeRule(booking.series.rule)}.`] : []),
            ...(booking.joinUrl && change !== 'cancelled' ? [`Join: ${booking.joinUrl}`] : []),
          ],
          actions,
          why: `${organizerName} (${booking.organizerEmail}) added you to this meeting.`,
          calendar: { method, ics },
        }),
      });
    }
  }

  /** Who was sent this poll by email: they get the invitation with its outcome. */
  async #emailedPoll(ctx: TenantContext, pollId: string | undefined) {
    if (!pollId) return new Set<string>();
    const sent = await this.#d.outbox.sentFor(ctx, `poll:${pollId}`);
    return new Set(sent.filter((m) => m.kind === 'poll-invitation').map((m) => m.to));
  }

  /** An attendee's own signed link to answer; the answer is chosen on the page it opens. */
  async answerLink(ctx: TenantContext, bookingId: string, email: string, answer: InvitationAnswer) {
    const token = await new SignJWT({ tid: ctx.tenantId, bid: bookingId })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(email)
      .setAudience('quorum-invitation')
      .setExpirationTime('60d')
      .sign(this.#d.linkSecret);
    return `${this.#d.baseUrl}/api/public/invitations/${encodeURIComponent(bookingId)}/answer?answer=${answer}&t=${token}`;
  }

  /** Records an attendee's answer from their signed link; answering again replaces it. */
  async answer(bookingId: string, token: string, answer: InvitationAnswer) {
    const { ctx, email } = await this.#openLink(bookingId, token);
    const Invitations = await this.#model(ctx);
    return serialized(`${ctx.tenantId}/booking_invitations/${bookingId}`, async () => {
      const state = await Invitations.findById(bookingId).lean();
      if (!state) throw new InvitationError('This invitation no longer exists.');
      if (state.sentFor === 'cancelled') throw new InvitationError('This meeting was cancelled.');
      const answers = [
        ...state.answers.filter((a) => a.email !== email),
        { email, answer, at: new Date() },
      ];
      await Invitations.replaceOne({ _id: bookingId }, { ...state, answers });
      return { email, answer };
    });
  }

  /** The answers recorded for a booking. */
  async answers(ctx: TenantContext, bookingId: string) {
    const state = await (await this.#model(ctx)).findById(bookingId).lean();
    return state?.answers ?? [];
  }

  async #openLink(bookingId: string, token: string) {
    try {
      const { payload } = await jwtVerify(token, this.#d.linkSecret, {
        audience: 'quorum-invitation',
        algorithms: ['HS256'],
      });
      if (payload.bid !== bookingId || typeof payload.tid !== 'string' || !payload.sub) {
        throw new Error('mismatch');
      }
      return { ctx: verifiedTenantContext(payload.tid, 'system'), email: payload.sub };
    } catch {
      throw new InvitationError(
        'This invitation link is not valid or has expired. Ask the organizer to send it again.',
      );
    }
  }
}

/**
 * What a REQUEST carries, to tell a change from a repeat of one: the start, and for a series its
 * rule and exceptions too (a meeting of it cancelled or moved leaves the start as it was).
 */
function sentForOf(booking: BookingDoc): string {
  const start = booking.start.toISOString();
  if (!booking.series) return start;
  const { rule, cancelled, moved } = booking.series;
  return `${start} ${JSON.stringify({ rule, cancelled, moved })}`;
}

/** A series' part of its iTIP event: the rule in the organizer's zone and its exceptions. */
function itipSeries(booking: BookingDoc): Pick<ItipEvent, 'series'> {
  if (!booking.series) return {};
  const { rule, timeZone, cancelled, moved } = booking.series;
  return { series: { spec: specFor(rule, timeZone, booking), cancelled, moved } };
}
