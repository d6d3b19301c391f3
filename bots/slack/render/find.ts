// The times the assistant offers (a SlotsReply), as Slack buttons: each button carries the
// proposal's id and the slot's start, the booking modal opens from it.
import { LEAST_BURDEN_INTRO, type SlotsReply } from '../../../core/assistant/index.ts';
import type { SlackMessage } from './help.ts';
import { escapeText, fitList } from './limits.ts';
import { connectCalendarButtons, slackMentions } from './notices.ts';
import { slotListMessage } from './slots.ts';

export const PICK_ACTION = 'quorum.slot.pick';

export function slotsMessage(
  reply: SlotsReply,
  connect: { baseUrl: string; providers: Parameters<typeof connectCalendarButtons>[1] },
): SlackMessage {
  const names = new Map(reply.attendees.map((a) => [a.email.toLowerCase(), a.name ?? a.email]));
  const name = (email: string) => escapeText(names.get(email) ?? email);
  const people = reply.attendees.map((a) => name(a.email.toLowerCase()));
  const intro = [
    reply.taken
      ? ':hourglass: That time is not free for everyone. The nearest times that are:'
      : `*Best times for ${reply.durationMinutes} min*${people.length > 0 ? ` with ${fitList(people, 1200)}` : ''}`,
    ...(reply.leastBurden && reply.slots.length > 0
      ? [`:earth_africa: ${LEAST_BURDEN_INTRO}`]
      : []),
    `_${slackMentions(escapeText(reply.understood))}_`,
  ].join('\n');
  return slotListMessage({
    intro,
    slots: reply.slots.map((slot) => ({
      start: slot.start,
      end: slot.end,
      optionalFree: slot.optionalFree.map(name),
      optionalBusy: slot.optionalBusy.map(name),
      people: slot.people.map((p) => ({ text: p.text, inside: p.minutesOutside === 0 })),
      value: `${reply.proposalId}|${slot.start}`,
    })),
    actionId: PICK_ACTION,
    buttonText: 'Book…',
    unknown: reply.unknown.map((u) => ({ ...u, name: names.get(u.email) ?? u.email })),
    unresolved: reply.unresolved,
    notes: reply.notes,
    emptyHint:
      'No time in that window works for everyone required. Try a longer window ("next 2 weeks"), a shorter meeting, fewer required people, or `/meet poll …` to let people vote.',
    ...(reply.ownCalendarUnreadable
      ? { extraActions: connectCalendarButtons(connect.baseUrl, connect.providers) }
      : {}),
  });
}
