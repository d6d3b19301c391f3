// Rescheduling and cancelling: the buttons under a booking confirmation, and `/meet cancel` /
// `/meet reschedule`, which list the person's upcoming meetings with those buttons. Only the
// organizer may change a meeting (the booking service checks it).
import type { App, BlockButtonAction, webApi } from '@slack/bolt';
import { findTimes } from '../../../core/scheduling/find-times.ts';
import { bookingConfirmation, cancelledMessage } from '../render/booking.ts';
import type { SlackMessage } from '../render/help.ts';
import { actions, button, capBlocks, escapeText, section, type Block } from '../render/limits.ts';
import { plain } from '../render/notices.ts';
import { MAX_SLOTS_SHOWN, slotListMessage } from '../render/slots.ts';
import { slotText } from '../render/time.ts';
import { whoIsAsking, type Asker, type Caller, type SlackDeps } from '../middleware/context.ts';
import { bookingProblem as problemOf } from '../../../core/assistant/index.ts';
import { bookingProblem, later, postToResponseUrl, type Reply } from './shared.ts';

export const CANCEL_ACTION = 'quorum.booking.cancel';
export const RESCHEDULE_ACTION = 'quorum.booking.reschedule';
export const MOVE_ACTION = 'quorum.reschedule.pick';

export function callerOf(body: BlockButtonAction): Caller {
  return {
    teamId: body.team?.id ?? body.user.team_id ?? '',
    slackUserId: body.user.id,
    slackName: body.user.name ?? body.user.username ?? body.user.id,
    teamName: body.team?.domain ?? body.team?.id ?? '',
  };
}

export async function upcomingToChange(
  deps: SlackDeps,
  asker: Asker,
  verb: 'cancel' | 'reschedule',
): Promise<SlackMessage> {
  const now = new Date();
  const upcoming = (
    await deps.bookings.listFor(asker.ctx, asker.user._id, { from: now, limit: 30 })
  )
    .filter((b) => b.organizerId === asker.user._id && b.start > now)
    .slice(0, 15);
  if (upcoming.length === 0) {
    return plain('You organize no upcoming meetings booked through Quorum.');
  }
  const blocks: Block[] = [
    section(`Which meeting do you want to ${verb}?`),
    ...upcoming.flatMap((b) => [
      section(`*${escapeText(b.title)}* · ${slotText(b.start, b.end)}`),
      actions(
        [
          button('Reschedule', RESCHEDULE_ACTION, { value: b._id }),
          button('Cancel meeting', CANCEL_ACTION, { value: b._id, style: 'danger' }),
        ],
        `booking:${b._id}`,
      ),
    ]),
  ];
  return { text: `Your upcoming meetings`, blocks: capBlocks(blocks) };
}

type ActionArgs = { body: BlockButtonAction; action: { value?: string }; client: webApi.WebClient };

function ephemeralTo(responseUrl: string): Reply {
  return (message) =>
    postToResponseUrl(responseUrl, {
      response_type: 'ephemeral',
      replace_original: false,
      ...message,
    });
}

async function askerOf(deps: SlackDeps, args: ActionArgs, tell: Reply): Promise<Asker | undefined> {
  const who = await whoIsAsking(deps, args.client, callerOf(args.body));
  if (!who.ok) await tell(who.message);
  return who.ok ? who.asker : undefined;
}

export function registerChanges(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>(CANCEL_ACTION, async ({ ack, body, action, client }) => {
    await ack();
    const tell = ephemeralTo(body.response_url);
    later(deps, tell, async () => {
      const asker = await askerOf(deps, { body, action, client }, tell);
      if (!asker) return;
      let cancelled;
      try {
        cancelled = await deps.bookings.cancel(asker.ctx, action.value ?? '', asker.user._id);
      } catch (error) {
        await tell(bookingProblem(deps, problemOf(error)));
        return;
      }
      await postToResponseUrl(body.response_url, {
        replace_original: true,
        ...cancelledMessage(cancelled, asker.slackUserId),
      });
    });
  });

  app.action<BlockButtonAction>(RESCHEDULE_ACTION, async ({ ack, body, action, client }) => {
    await ack();
    const tell = ephemeralTo(body.response_url);
    later(deps, tell, async () => {
      const asker = await askerOf(deps, { body, action, client }, tell);
      if (!asker) return;
      const booking = await deps.bookings.get(asker.ctx, action.value ?? '');
      if (!booking || booking.status !== 'confirmed') {
        await tell(plain('That meeting was cancelled or no longer exists.'));
        return;
      }
      if (booking.organizerId !== asker.user._id) {
        await tell(plain('Only the organizer can reschedule this meeting.'));
        return;
      }
      const durationMinutes = Math.round(
        (booking.end.getTime() - booking.start.getTime()) / 60_000,
      );
      const from = new Date();
      const result = await findTimes(deps.scheduling, asker.ctx, {
        organizerEmail: booking.organizerEmail,
        attendees: booking.attendees.map((a) => ({ email: a.email, optional: a.optional })),
        durationMinutes,
        window: { start: from, end: new Date(from.getTime() + 14 * 86_400_000) },
        exclude: [{ start: booking.start.getTime(), end: booking.end.getTime() }],
        limit: MAX_SLOTS_SHOWN,
      });
      // Where the confirmation is, to update it after the move (ephemeral lists cannot be).
      const container = body.container as {
        channel_id?: string;
        message_ts?: string;
        is_ephemeral?: boolean;
      };
      const where = container.is_ephemeral
        ? '|'
        : `${container.channel_id ?? ''}|${container.message_ts ?? ''}`;
      const names = new Map(booking.attendees.map((a) => [a.email, a.name ?? a.email]));
      await tell(
        slotListMessage({
          intro: `Move *${escapeText(booking.title)}* (now ${slotText(booking.start, booking.end)}) to:`,
          slots: result.slots.map((s) => ({
            start: s.start,
            end: s.end,
            optionalFree: [],
            optionalBusy: [],
            value: `${booking._id}|${s.start}|${where}`,
          })),
          actionId: MOVE_ACTION,
          buttonText: 'Move here',
          unknown: result.unknown.map((u) => ({ ...u, name: names.get(u.email) ?? u.email })),
          unresolved: [],
          notes: [],
          emptyHint: 'No other time in the next two weeks works for everyone.',
        }),
      );
    });
  });

  app.action<BlockButtonAction>(MOVE_ACTION, async ({ ack, body, action, client }) => {
    await ack();
    const tell = ephemeralTo(body.response_url);
    later(deps, tell, async () => {
      const asker = await askerOf(deps, { body, action, client }, tell);
      if (!asker) return;
      const [bookingId = '', startText = '', channel = '', ts = ''] = (action.value ?? '').split(
        '|',
      );
      const booking = await deps.bookings.get(asker.ctx, bookingId);
      if (!booking) {
        await tell(plain('That meeting no longer exists.'));
        return;
      }
      const start = new Date(Number(startText));
      const end = new Date(start.getTime() + (booking.end.getTime() - booking.start.getTime()));
      let result;
      try {
        result = await deps.bookings.reschedule(asker.ctx, bookingId, asker.user._id, {
          start,
          end,
        });
      } catch (error) {
        await tell(bookingProblem(deps, problemOf(error)));
        return;
      }
      if (!result.ok) {
        await tell(plain(`:hourglass: ${result.message} Click Reschedule again for fresh times.`));
        return;
      }
      if (channel && ts) {
        await client.chat
          .update({
            channel,
            ts,
            ...bookingConfirmation(result.booking, asker.slackUserId, 'rescheduled'),
          })
          .catch((error: unknown) => deps.logger.info({ err: error }, 'confirmation not updated'));
      }
      await postToResponseUrl(body.response_url, {
        replace_original: true,
        ...plain(
          `:white_check_mark: *${escapeText(result.booking.title)}* moved to ${slotText(result.booking.start, result.booking.end)}.`,
        ),
      });
    });
  });
}
