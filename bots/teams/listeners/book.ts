// The Book button: the proposal and the slot chosen are booked (with a Teams link when the
// organizer's calendar can make one), or moved when the proposal reschedules a booking; the
// meeting record goes with the booking. Booking's idempotency key is the proposal and the slot
// chosen, so a double click books once. A time taken meanwhile offers the next best.
import { z } from 'zod';
import { MeetingError } from '../../../core/meetings/index.ts';
import type { BookingDoc } from '../../../core/scheduling/booking/booking-model.ts';
import { BookingError, type BookResult } from '../../../core/scheduling/booking/booking-service.ts';
import type { LinkType } from '../../../core/identity/user-settings.ts';
import { userActor, type Asker, type TeamsDeps } from '../middleware/context.ts';
import { confirmationCard } from '../render/booking.ts';
import { proposalOf } from '../store/proposals.ts';
import { proposeTimes } from './propose.ts';
import { message, type ActionResult } from './shared.ts';

export const bookData = z.object({ p: z.string().min(1).max(64), s: z.number().int() });

/** Books with a Teams link when the organizer's calendar can make one, else their own default. */
async function bookWithLink(
  deps: TeamsDeps,
  asker: Asker,
  attempt: (linkType: LinkType) => Promise<BookResult>,
): Promise<{ result: BookResult; notes: string[] }> {
  try {
    return { result: await attempt('teams'), notes: [] };
  } catch (error) {
    if (!(error instanceof BookingError) || error.code !== 'link-unavailable') throw error;
    const fallback =
      asker.settings.defaultLinkType === 'teams' ? 'none' : asker.settings.defaultLinkType;
    return {
      result: await attempt(fallback),
      notes: [
        'No Teams link: your calendar in Quorum is not Microsoft 365. Send "connect" and connect Microsoft 365 to get Teams links.',
      ],
    };
  }
}

export async function bookAction(
  deps: TeamsDeps,
  asker: Asker,
  data: z.infer<typeof bookData>,
): Promise<ActionResult> {
  const proposal = await proposalOf(deps, asker.ctx, data.p);
  if (!proposal) return message('These times have expired. Ask again with "find …".');
  if (proposal.organizerId !== asker.user._id) {
    return message('Only the person who asked for these times can book one.');
  }
  const slot = proposal.slots.find((s) => s.start.getTime() === data.s);
  if (!slot) return message('That time is not one of those offered. Ask again with "find …".');
  const start = new Date(data.s);
  const end = new Date(data.s + proposal.durationMinutes * 60_000);
  if (proposal.rescheduleOf) {
    const result = await deps.bookings.reschedule(
      asker.ctx,
      proposal.rescheduleOf,
      asker.user._id,
      { start, end },
    );
    return settle(deps, asker, proposal, result, []);
  }
  const names = proposal.attendees.map((a) => a.name ?? a.email.split('@')[0]);
  const { result, notes } = await bookWithLink(deps, asker, (linkType) =>
    deps.bookings.book(asker.ctx, {
      organizerEmail: asker.user.email,
      title:
        proposal.title ??
        (names.length > 0
          ? `Meeting with ${names.slice(0, 3).join(', ')}${names.length > 3 ? ` +${names.length - 3}` : ''}`
          : 'Meeting'),
      start,
      end,
      attendees: proposal.attendees
        .filter((a) => a.email !== asker.user.email)
        .map((a) => ({
          email: a.email,
          optional: a.optional,
          ...(a.name ? { name: a.name } : {}),
        })),
      linkType,
      idempotencyKey: `teams:${proposal._id}:${data.s}`,
      origin: { platform: 'teams', conversationId: proposal.conversationId },
      ...(proposal.followUpOf ? { followUpOf: proposal.followUpOf } : {}),
    }),
  );
  return settle(deps, asker, proposal, result, notes);
}

async function settle(
  deps: TeamsDeps,
  asker: Asker,
  proposal: {
    attendees: Array<{ email: string; name?: string; optional: boolean }>;
    durationMinutes: number;
    title: string | null;
    followUpOf: string | null;
    rescheduleOf: string | null;
  },
  result: BookResult,
  notes: string[],
): Promise<ActionResult> {
  if (!result.ok) {
    if (result.reason === 'in-progress') return message(`⏳ ${result.message}`);
    return {
      kind: 'card',
      card: await proposeTimes(deps, asker, {
        attendees: proposal.attendees,
        unresolved: [],
        durationMinutes: proposal.durationMinutes,
        window: { start: new Date(), end: new Date(Date.now() + 14 * 86_400_000) },
        title: proposal.title,
        ...(proposal.followUpOf ? { followUpOf: proposal.followUpOf } : {}),
        ...(proposal.rescheduleOf ? { rescheduleOf: proposal.rescheduleOf } : {}),
        describe: 'That time was taken in the meantime; these are the next best.',
        found: {
          timeZone: asker.settings.timeZone,
          slots: result.alternatives,
          unknown: [],
          required: [],
          optional: [],
        },
      }),
    };
  }
  if (!('alreadyBooked' in result) || !result.alreadyBooked)
    await recordMeeting(deps, asker, result.booking);
  return { kind: 'card', card: confirmationCard(result.booking, notes), everyone: true };
}

/** The meeting record goes with the booking, so agendas and summaries find their way back. */
async function recordMeeting(deps: TeamsDeps, asker: Asker, booking: BookingDoc): Promise<void> {
  if (!deps.meetings) return;
  try {
    await deps.meetings.create(asker.ctx, userActor(asker.user), { bookingId: booking._id });
  } catch (error) {
    if (!(error instanceof MeetingError)) throw error;
    deps.logger.warn({ err: error }, 'meeting record not created with its booking');
  }
}
