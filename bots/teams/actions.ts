// Card buttons: Action.Execute arrives as an adaptiveCard/action invoke and is answered with
// the card that replaces it; the Action.Submit fallback arrives as a message with a value, and
// the card is replaced by updating the message. Booking's idempotency key is the proposal and
// the slot chosen, so a double click books once.
import { z } from 'zod';
import { MeetingError } from '../../core/meetings/index.ts';
import type { BookingDoc } from '../../core/scheduling/booking/booking-model.ts';
import { BookingError, type BookResult } from '../../core/scheduling/booking/booking-service.ts';
import { PollError } from '../../core/scheduling/polls/poll-service.ts';
import type { LinkType } from '../../core/identity/user-settings.ts';
import { ACTIONS, cancelledCard, confirmationCard, type AdaptiveCard } from './cards.ts';
import { userActor, whoIsAsking, type Asker, type TeamsDeps } from './context.ts';
import type { TeamsActivity as Activity } from './context.ts';
import { followUpOf } from './commands.ts';
import { TEAMS_VIA, announcePollBooked, pollStateCard } from './poll-updates.ts';
import { proposalOf, proposeTimes } from './propose.ts';

/** What a button leads to: a card replacing the one clicked, or a short message to the clicker. */
export type ActionResult =
  | {
      kind: 'card';
      card: AdaptiveCard;
      /** Also replace the message for everyone. */ everyone?: boolean;
    }
  | { kind: 'message'; text: string };

const bookData = z.object({ p: z.string().min(1).max(64), s: z.number().int() });
const bookingData = z.object({ b: z.string().min(1).max(64) });
const voteData = z.object({ poll: z.string().min(1).max(64), i: z.number().int().min(0).max(50) });
const meetingData = z.object({ m: z.string().min(1).max(64) });

const message = (text: string): ActionResult => ({ kind: 'message', text });

export async function runAction(
  deps: TeamsDeps,
  activity: Activity,
  api: Asker['api'],
  verb: string,
  data: unknown,
): Promise<ActionResult> {
  const who = await whoIsAsking(deps, activity, api);
  if (!who.ok) return { kind: 'card', card: who.card };
  const asker = who.asker;
  try {
    switch (verb) {
      case ACTIONS.book: {
        const parsed = bookData.safeParse(data);
        if (!parsed.success) return message('This card is out of date. Ask again with "find …".');
        return await book(deps, asker, parsed.data);
      }
      case ACTIONS.cancel: {
        const parsed = bookingData.safeParse(data);
        if (!parsed.success) return message('This card is out of date.');
        const booking = await deps.bookings.cancel(asker.ctx, parsed.data.b, asker.user._id);
        return { kind: 'card', card: cancelledCard(booking), everyone: true };
      }
      case ACTIONS.reschedule: {
        const parsed = bookingData.safeParse(data);
        if (!parsed.success) return message('This card is out of date.');
        return await reschedule(deps, asker, parsed.data.b);
      }
      case ACTIONS.vote: {
        const parsed = voteData.safeParse(data);
        if (!parsed.success) return message('This poll card is out of date.');
        return await vote(deps, asker, parsed.data);
      }
      case ACTIONS.followUp: {
        const parsed = meetingData.safeParse(data);
        if (!parsed.success || !deps.meetings) return message('This card is out of date.');
        const meeting = await deps.meetings.get(asker.ctx, userActor(asker.user), parsed.data.m);
        const booking = meeting.bookingId
          ? await deps.bookings.get(asker.ctx, meeting.bookingId)
          : undefined;
        if (!booking)
          return message(
            'This meeting was not booked through Quorum, so there are no people to follow up with.',
          );
        return { kind: 'card', card: await followUpOf(deps, asker, booking) };
      }
      default:
        return message(
          'Quorum does not know this button any more. Send "help" to see what it can do.',
        );
    }
  } catch (error) {
    if (
      error instanceof BookingError ||
      error instanceof PollError ||
      error instanceof MeetingError
    ) {
      return message(`⚠️ ${error.message}`);
    }
    throw error;
  }
}

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

async function book(
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

async function reschedule(deps: TeamsDeps, asker: Asker, bookingId: string): Promise<ActionResult> {
  const booking = await deps.bookings.get(asker.ctx, bookingId);
  if (!booking) return message('That booking was not found.');
  if (booking.organizerId !== asker.user._id)
    return message('Only the organizer can reschedule this meeting.');
  if (booking.status !== 'confirmed') return message('This meeting was cancelled.');
  const durationMinutes = Math.round((booking.end.getTime() - booking.start.getTime()) / 60_000);
  const from = new Date();
  return {
    kind: 'card',
    card: await proposeTimes(deps, asker, {
      attendees: booking.attendees.map((a) => ({
        email: a.email,
        optional: a.optional,
        ...(a.name ? { name: a.name } : {}),
      })),
      unresolved: [],
      durationMinutes,
      window: { start: from, end: new Date(from.getTime() + 14 * 86_400_000) },
      title: booking.title,
      rescheduleOf: booking._id,
      describe: `New times for “${booking.title}”`,
    }),
  };
}

async function vote(
  deps: TeamsDeps,
  asker: Asker,
  data: z.infer<typeof voteData>,
): Promise<ActionResult> {
  const current = await deps.polls.get(asker.ctx, data.poll);
  if (!current) return message('This poll no longer exists.');
  const email = asker.user.email;
  if (!current.poll.participants.some((p) => p.email === email)) {
    return message('Only the people invited to this poll can vote in it.');
  }
  const before = current.cast.find((v) => v.email === email)?.yes ?? [];
  const yes = before.includes(data.i) ? before.filter((i) => i !== data.i) : [...before, data.i];
  // The poll service takes votes through a participant's signed link; the Bot Connector has
  // vouched for who this is, so Quorum signs that person's link itself.
  const link = await deps.polls.linkFor(asker.ctx, data.poll, email);
  // Marked as a Teams vote: this card is replaced by the invoke's answer, not by the poll listener.
  await deps.polls.vote(data.poll, new URL(link).searchParams.get('t') ?? '', yes, TEAMS_VIA);
  const after = await deps.polls.get(asker.ctx, data.poll);
  if (!after) return message('This poll no longer exists.');
  const shown = pollStateCard(after);
  await announcePollBooked(deps, asker.ctx, asker.api, after.poll);
  return { kind: 'card', card: shown, everyone: true };
}
