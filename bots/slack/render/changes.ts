// Cancelling and rescheduling in Slack: the upcoming meetings with their buttons, the new
// times to move one to, and the moved notice.
import type { NewTimesReply } from '../../../core/assistant/index.ts';
import type { BookingDoc } from '../../../core/scheduling/booking/booking-model.ts';
import type { SlackMessage } from './help.ts';
import { actions, button, capBlocks, escapeText, section, type Block } from './limits.ts';
import { plain } from './notices.ts';
import { slotListMessage } from './slots.ts';
import { slotText } from './time.ts';

export const CANCEL_ACTION = 'quorum.booking.cancel';
export const RESCHEDULE_ACTION = 'quorum.booking.reschedule';
export const MOVE_ACTION = 'quorum.reschedule.pick';

export function upcomingMessage(
  upcoming: BookingDoc[],
  verb: 'cancel' | 'reschedule',
): SlackMessage {
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

/** The times to move a meeting to; `where` is the confirmation to update ("channel|ts"). */
export function newTimesMessage(reply: NewTimesReply, where: string): SlackMessage {
  const { booking } = reply;
  const names = new Map(booking.attendees.map((a) => [a.email, a.name ?? a.email]));
  return slotListMessage({
    intro: `Move *${escapeText(booking.title)}* (now ${slotText(booking.start, booking.end)}) to:`,
    slots: reply.slots.map((s) => ({
      start: s.start,
      end: s.end,
      optionalFree: [],
      optionalBusy: [],
      value: `${booking._id}|${s.start}|${where}`,
    })),
    actionId: MOVE_ACTION,
    buttonText: 'Move here',
    unknown: reply.unknown.map((u) => ({ ...u, name: names.get(u.email) ?? u.email })),
    unresolved: [],
    notes: [],
    emptyHint: 'No other time in the next two weeks works for everyone.',
  });
}

export function movedMessage(booking: BookingDoc): SlackMessage {
  return plain(
    `:white_check_mark: *${escapeText(booking.title)}* moved to ${slotText(booking.start, booking.end)}.`,
  );
}
