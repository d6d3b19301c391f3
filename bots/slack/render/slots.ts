// The best times as buttons, with who of the optional people can come and whose calendars
// could not be read, kept within Slack's limits however many people were asked.
import type { Unreadable } from '../../../core/scheduling/find-times.ts';
import type { SlackMessage } from './help.ts';
import {
  LIMITS,
  actions,
  button,
  capBlocks,
  context,
  escapeText,
  fitList,
  section,
  type Block,
} from './limits.ts';
import { slotText } from './time.ts';

export const MAX_SLOTS_SHOWN = 8;

export interface SlotChoice {
  start: number;
  end: number;
  /** Optional people who are free then, and those who are not. */
  optionalFree: string[];
  optionalBusy: string[];
  /** Each person's own clock, one line each ("Lee Wong: Mon 22:30–23:00 Sydney, …"). */
  people?: Array<{ text: string; inside: boolean }>;
  value: string;
}

/** Beyond this many people a slot names those outside their hours and counts the rest. */
const PEOPLE_SHOWN = 6;

/** Everyone's clock for a small meeting; for a large one, who is asked outside their hours. */
function peopleLines(people: ReadonlyArray<{ text: string; inside: boolean }>): string[] {
  if (people.length <= PEOPLE_SHOWN) return people.map((p) => escapeText(p.text));
  const outside = people.filter((p) => !p.inside);
  const shown = outside.slice(0, PEOPLE_SHOWN).map((p) => escapeText(p.text));
  const rest = people.length - shown.length;
  return [...shown, ...(rest > 0 ? [`+${rest} more, in working hours or not shown`] : [])];
}

export interface SlotList {
  intro: string;
  slots: SlotChoice[];
  actionId: string;
  buttonText: string;
  unknown: Array<Unreadable & { name: string }>;
  /** Mentions that could not be turned into people. */
  unresolved: string[];
  notes: string[];
  /** Shown when nothing fits. */
  emptyHint: string;
  extraActions?: Parameters<typeof actions>[0];
}

const REASONS: Record<Unreadable['reason'], string> = {
  guest: 'outside Quorum',
  timeout: 'calendar did not answer in time',
  forbidden: 'calendar refused access',
  error: 'calendar could not be read',
  'not-found': 'calendar not found',
  'needs-reconnect': 'calendar needs reconnecting',
};

export function slotListMessage(list: SlotList): SlackMessage {
  const blocks: Block[] = [section(list.intro)];
  const shown = list.slots.slice(0, MAX_SLOTS_SHOWN);
  for (const slot of shown) {
    const optional: string[] = [];
    if (slot.optionalFree.length > 0) {
      optional.push(`optional, free: ${fitList(slot.optionalFree, 600)}`);
    }
    if (slot.optionalBusy.length > 0) {
      optional.push(`optional, busy: ${fitList(slot.optionalBusy, 600)}`);
    }
    const clocks = peopleLines(slot.people ?? []).map((line) => `• ${line}`);
    blocks.push(
      section([`*${slotText(slot.start, slot.end)}*`, ...optional, ...clocks].join('\n'), {
        accessory: button(list.buttonText, list.actionId, { value: slot.value, style: 'primary' }),
      }),
    );
  }
  if (shown.length === 0) blocks.push(section(list.emptyHint));
  const unreadable = list.unknown.filter((u) => u.reason !== 'guest');
  const guests = list.unknown.filter((u) => u.reason === 'guest');
  if (unreadable.length > 0) {
    blocks.push(
      context(
        `:warning: Partial results: ${fitList(
          unreadable.map((u) => `${escapeText(u.name)} (${REASONS[u.reason]})`),
          LIMITS.contextText - 120,
        )}. These times do not account for them.`,
      ),
    );
  }
  if (guests.length > 0) {
    blocks.push(
      context(
        `Quorum cannot see the calendars of ${fitList(
          guests.map((u) => escapeText(u.name)),
          LIMITS.contextText - 120,
        )}; a poll (\`/meet poll …\`) lets them vote.`,
      ),
    );
  }
  if (list.unresolved.length > 0) {
    blocks.push(
      context(
        `:grey_question: Left out, as I could not tell who they are: ${fitList(list.unresolved, LIMITS.contextText - 160)}. Mention people so Slack links them, or write their email.`,
      ),
    );
  }
  for (const note of list.notes) blocks.push(context(note));
  if (list.extraActions && list.extraActions.length > 0) blocks.push(actions(list.extraActions));
  return {
    text: shown.length > 0 ? `${shown.length} times found` : 'No time works for everyone',
    blocks: capBlocks(blocks),
  };
}
