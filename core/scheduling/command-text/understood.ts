import { DateTime } from 'luxon';
import type { Mention, PartOfDay, Verb, WeekdayName } from './types.ts';
import { formatDuration } from './durations.ts';
import { describeMention } from './mentions.ts';
import { verbWord } from './verbs.ts';
import { describeRule, type RecurrenceRule } from '../recurrence/rule.ts';

/** Whatever has been read so far; an error message shows this much back. */
export interface Draft {
  verb?: { verb: Verb; given: boolean };
  duration?: { minutes: number; given: boolean };
  attendees?: Mention[];
  when?: { phrase?: string; start: Date; end: Date; exact: boolean };
  partOfDay?: PartOfDay;
  days?: WeekdayName[];
  title?: string;
  repeat?: { rule: RecurrenceRule; endGiven: boolean };
}

const PARTS_OF_DAY: Record<PartOfDay, string> = {
  morning: 'mornings',
  afternoon: 'afternoons',
  evening: 'evenings',
};

export function describeDraft(draft: Draft, timeZone: string): string[] {
  const lines: string[] = [];
  const given = (flag: boolean) => (flag ? '' : ' (default)');
  if (draft.verb) lines.push(`command: ${verbWord(draft.verb.verb)}${given(draft.verb.given)}`);
  if (draft.duration) {
    lines.push(`duration: ${formatDuration(draft.duration.minutes)}${given(draft.duration.given)}`);
  }
  if (draft.attendees?.length) {
    lines.push(`with: ${draft.attendees.map(describeMention).join(', ')}`);
  }
  if (draft.when) {
    const { phrase, start, end, exact } = draft.when;
    const times = exact
      ? `${formatTime(start, timeZone)} (${timeZone})`
      : `${formatTime(start, timeZone)} → ${formatTime(end, timeZone)} (${timeZone})`;
    lines.push(`when: ${phrase ?? 'the next 7 days (default)'}, ${times}`);
  }
  if (draft.partOfDay) lines.push(`part of day: ${PARTS_OF_DAY[draft.partOfDay]}`);
  if (draft.days?.length) lines.push(`days: ${draft.days.map(capitalise).join(', ')}`);
  if (draft.repeat) {
    lines.push(
      `repeats: ${describeRule(draft.repeat.rule)}${draft.repeat.endGiven ? '' : ' (default)'}`,
    );
  }
  if (draft.title !== undefined) lines.push(`title: “${draft.title}”`);
  return lines;
}

/** One line for a confirm or error message: "I understood: command: find; duration: 30 min; …". */
export function formatUnderstood(result: { understood: string[] }): string {
  return result.understood.length === 0
    ? 'I did not understand any of it.'
    : `I understood: ${result.understood.join('; ')}.`;
}

function formatTime(instant: Date, timeZone: string): string {
  return DateTime.fromJSDate(instant, { zone: timeZone })
    .setLocale('en-GB')
    .toFormat('ccc d LLL yyyy HH:mm');
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
