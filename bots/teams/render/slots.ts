// Times offered to book, each with its button: the people they fit, whose calendars Quorum
// cannot see, and what to try when none fits.
import { LEAST_BURDEN_INTRO, type SlotsReply } from '../../../core/assistant/index.ts';
import { ACTIONS, buttonRow, card, execute, heading, md, note, text, when } from './card.ts';
import type { AdaptiveCard, CardElement } from './card.ts';

export interface SlotLine {
  start: number;
  end: number;
  data: Record<string, unknown>;
  detail?: string;
}

export function slotsCard(input: {
  title: string;
  understood: string;
  slots: SlotLine[];
  notes: string[];
  emptyHint: string;
  extraActions?: CardElement[];
  /** Said above the times, e.g. that they are least-burden times. */
  lead?: string;
}): AdaptiveCard {
  const body: CardElement[] = [heading(input.title), note(md(input.understood))];
  if (input.lead) body.push(text(md(input.lead)));
  if (input.slots.length === 0) body.push(text(md(input.emptyHint)));
  for (const slot of input.slots) {
    body.push(
      buttonRow(
        [text(when(slot.start, slot.end)), ...(slot.detail ? [note(md(slot.detail))] : [])],
        execute('Book', ACTIONS.book, slot.data),
        { verticalContentAlignment: 'Center' },
      ),
    );
  }
  for (const line of input.notes) body.push(note(md(line)));
  return card(body, input.extraActions ?? []);
}

/** Beyond this many people a slot names those outside their hours and counts the rest. */
const PEOPLE_SHOWN = 6;

/** Each person's own clock, or for a large meeting who is asked outside their hours. */
function peopleLines(people: SlotsReply['slots'][number]['people']): string[] {
  if (people.length <= PEOPLE_SHOWN) return people.map((p) => p.text);
  const shown = people.filter((p) => p.minutesOutside > 0).slice(0, PEOPLE_SHOWN);
  const rest = people.length - shown.length;
  return [
    ...shown.map((p) => p.text),
    ...(rest > 0 ? [`+${rest} more, in working hours or not shown`] : []),
  ];
}

/** The times the assistant found (a SlotsReply), for the asker: who they fit, whose calendars are unknown, and why none. */
export function proposalCard(reply: SlotsReply, askerEmail: string): AdaptiveCard {
  const names = new Map(reply.attendees.map((a) => [a.email.toLowerCase(), a.name ?? a.email]));
  const name = (email: string) => names.get(email) ?? email;
  const people = reply.attendees.map((a) => a.name ?? a.email);
  const notes = [...reply.notes];
  const unknown = reply.unknown.filter((u) => u.email !== askerEmail);
  if (unknown.length > 0) {
    notes.push(
      `Quorum cannot see the calendars of ${unknown.map((u) => name(u.email)).join(', ')}; these times fit everyone else.`,
    );
  }
  if (reply.ownCalendarUnreadable) {
    notes.push(
      'Quorum cannot read your own calendar right now: connect it again in Quorum (send "connect").',
    );
  }
  if (reply.unresolved.length > 0) {
    notes.push(
      `Left out, as I could not tell who they are: ${reply.unresolved.join(', ')}. Mention people so Teams links them, or write their email.`,
    );
  }
  return slotsCard({
    title: reply.taken
      ? 'That time is not free for everyone. The nearest times that are:'
      : `Best times for ${reply.durationMinutes} min${people.length > 0 ? ` with ${people.join(', ')}` : ''}`,
    understood: reply.understood,
    slots: reply.slots.map((slot) => {
      const busy = slot.optionalBusy.map(name);
      const lines = [
        ...(busy.length > 0 ? [`Optional, busy: ${busy.join(', ')}`] : []),
        ...peopleLines(slot.people),
      ];
      return {
        start: slot.start,
        end: slot.end,
        data: { p: reply.proposalId, s: slot.start },
        ...(lines.length > 0 ? { detail: lines.join('\n\n') } : {}),
      };
    }),
    ...(reply.leastBurden && reply.slots.length > 0 ? { lead: LEAST_BURDEN_INTRO } : {}),
    notes,
    emptyHint:
      'No time in that window works for everyone required. Try a longer window ("next 2 weeks"), a shorter meeting, fewer required people, or "poll …" to let people vote.',
  });
}
