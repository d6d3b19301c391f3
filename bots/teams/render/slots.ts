// Times offered to book, each with its button: the people they fit, whose calendars Quorum
// cannot see, and what to try when none fits.
import type { FindTimesResult } from '../../../core/scheduling/find-times.ts';
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
}): AdaptiveCard {
  const body: CardElement[] = [heading(input.title), note(md(input.understood))];
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

/** What the asker asked for, as the card of times found repeats it. */
export interface ProposalShown {
  attendees: Array<{ email: string; name?: string; optional: boolean }>;
  unresolved: string[];
  durationMinutes: number;
  /** Shown under the title ("I understood: …"). */
  describe: string;
  notes?: string[];
}

/** The times found, for the asker: who they fit, whose calendars are unknown, and why none. */
export function proposalCard(
  input: ProposalShown,
  result: Pick<FindTimesResult, 'slots' | 'unknown'>,
  shown: { proposalId: string; askerEmail: string; taken: boolean },
): AdaptiveCard {
  const names = new Map(input.attendees.map((a) => [a.email.toLowerCase(), a.name ?? a.email]));
  const name = (email: string) => names.get(email) ?? email;
  const optional = input.attendees.filter((a) => a.optional).map((a) => a.email.toLowerCase());
  const people = input.attendees.map((a) => a.name ?? a.email);
  const notes = [...(input.notes ?? [])];
  const unknown = result.unknown.filter((u) => u.email !== shown.askerEmail);
  if (unknown.length > 0) {
    notes.push(
      `Quorum cannot see the calendars of ${unknown.map((u) => name(u.email)).join(', ')}; these times fit everyone else.`,
    );
  }
  if (result.unknown.some((u) => u.email === shown.askerEmail)) {
    notes.push(
      'Quorum cannot read your own calendar right now: connect it again in Quorum (send "connect").',
    );
  }
  if (input.unresolved.length > 0) {
    notes.push(
      `Left out, as I could not tell who they are: ${input.unresolved.join(', ')}. Mention people so Teams links them, or write their email.`,
    );
  }
  return slotsCard({
    title: shown.taken
      ? 'That time is not free for everyone. The nearest times that are:'
      : `Best times for ${input.durationMinutes} min${people.length > 0 ? ` with ${people.join(', ')}` : ''}`,
    understood: input.describe,
    slots: result.slots.map((slot) => {
      const busy = optional.filter((e) => !slot.available.includes(e)).map(name);
      return {
        start: slot.start,
        end: slot.end,
        data: { p: shown.proposalId, s: slot.start },
        ...(busy.length > 0 ? { detail: `Optional, busy: ${busy.join(', ')}` } : {}),
      };
    }),
    notes,
    emptyHint:
      'No time in that window works for everyone required. Try a longer window ("next 2 weeks"), a shorter meeting, fewer required people, or "poll …" to let people vote.',
  });
}
