// Rescheduling and cancelling: the buttons under a booking confirmation, and `/meet cancel` /
// `/meet reschedule`, which list the person's upcoming meetings with those buttons. Only the
// organizer may change a meeting (the booking service checks it).
import type { App, BlockButtonAction, webApi } from '@slack/bolt';
import { bookingConfirmation, cancelledMessage } from '../render/booking.ts';
import {
  CANCEL_ACTION,
  MOVE_ACTION,
  RESCHEDULE_ACTION,
  movedMessage,
  newTimesMessage,
  upcomingMessage,
} from '../render/changes.ts';
import type { SlackMessage } from '../render/help.ts';
import { plain } from '../render/notices.ts';
import { MAX_SLOTS_SHOWN } from '../render/slots.ts';
import { callerOf, whoIsAsking, type Asker, type SlackDeps } from '../middleware/context.ts';
import { bookingProblem, later, postToResponseUrl, type Reply } from './shared.ts';

export async function upcomingToChange(
  deps: SlackDeps,
  asker: Asker,
  verb: 'cancel' | 'reschedule',
): Promise<SlackMessage> {
  const reply = await deps.assistant.changes.upcoming(asker);
  if (reply.kind === 'problem') return plain(reply.message);
  return upcomingMessage(reply.bookings, verb);
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
      const reply = await deps.assistant.changes.cancel(asker, action.value ?? '');
      if (reply.kind === 'problem') {
        await tell(bookingProblem(deps, reply));
        return;
      }
      await postToResponseUrl(body.response_url, {
        replace_original: true,
        ...cancelledMessage(reply.booking, asker.slackUserId),
      });
    });
  });

  app.action<BlockButtonAction>(RESCHEDULE_ACTION, async ({ ack, body, action, client }) => {
    await ack();
    const tell = ephemeralTo(body.response_url);
    later(deps, tell, async () => {
      const asker = await askerOf(deps, { body, action, client }, tell);
      if (!asker) return;
      const reply = await deps.assistant.changes.newTimes(asker, action.value ?? '', {
        limit: MAX_SLOTS_SHOWN,
      });
      if (reply.kind === 'problem') {
        await tell(plain(reply.message));
        return;
      }
      // Where the confirmation is, to update it after the move (ephemeral lists cannot be).
      const container = body.container as {
        channel_id?: string;
        message_ts?: string;
        is_ephemeral?: boolean;
      };
      const where = container.is_ephemeral
        ? '|'
        : `${container.channel_id ?? ''}|${container.message_ts ?? ''}`;
      await tell(newTimesMessage(reply, where));
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
      const reply = await deps.assistant.changes.move(asker, bookingId, Number(startText));
      if (reply.kind === 'unavailable') {
        await tell(plain(`:hourglass: ${reply.message} Click Reschedule again for fresh times.`));
        return;
      }
      if (reply.kind === 'problem') {
        await tell(reply.code === 'not-found' ? plain(reply.message) : bookingProblem(deps, reply));
        return;
      }
      if (channel && ts) {
        await client.chat
          .update({
            channel,
            ts,
            ...bookingConfirmation(reply.booking, asker.slackUserId, 'rescheduled'),
          })
          .catch((error: unknown) => deps.logger.info({ err: error }, 'confirmation not updated'));
      }
      await postToResponseUrl(body.response_url, {
        replace_original: true,
        ...movedMessage(reply.booking),
      });
    });
  });
}
