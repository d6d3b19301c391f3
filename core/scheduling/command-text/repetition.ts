// Repetition phrases: "weekly", "every other Tuesday", "every 3 weeks", "monthly on the first
// Monday", "every last Friday of the month", ended by "for 8 weeks", "6 times" or "until 31 March".
// Read before durations (so "for 8 weeks" is not a length) and before dates (so "until …" ends
// the series rather than the search window).
import * as chrono from 'chrono-node';
import { DateTime } from 'luxon';
import { MAX_OCCURRENCES, type RecurrenceRule, type RuleWeekday } from '../recurrence/rule.ts';
import { NUMBER_WORDS_TWO_TO_TWELVE } from './number-words.ts';
import { CommandTextError, blank, consume, quoted } from './text-scan.ts';
import type { WeekdayName } from './types.ts';

const DAY = String.raw`(mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)`;
const COUNT_WORDS = NUMBER_WORDS_TWO_TO_TWELVE;
const NUM = String.raw`(\d+|${Object.keys(COUNT_WORDS).join('|')})`;
const ORDINALS: Record<string, 1 | 2 | 3 | 4 | -1> = {
  first: 1,
  '1st': 1,
  second: 2,
  '2nd': 2,
  third: 3,
  '3rd': 3,
  fourth: 4,
  '4th': 4,
  last: -1,
};
const ORD = String.raw`(first|1st|second|2nd|third|3rd|fourth|4th|last)`;

const MONTHLY = new RegExp(
  String.raw`\b(?:monthly\s+on\s+the\s+${ORD}\s+${DAY}|(?:every|each)\s+${ORD}\s+${DAY}(?:\s+of\s+(?:the|every|each)\s+month)?|(?:on\s+)?the\s+${ORD}\s+${DAY}\s+of\s+(?:every|each)\s+month)\b`,
  'gi',
);
const BARE_MONTHLY = /\b(?:monthly|every\s+month)\b/i;
const EVERY_N_WEEKS = new RegExp(String.raw`\bevery\s+${NUM}\s+weeks(?:\s+on\s+${DAY}s?)?\b`, 'gi');
const EVERY_OTHER = new RegExp(String.raw`\b(?:every\s+other|alternate)\s+(week|${DAY})\b`, 'gi');
const FORTNIGHTLY = /\b(?:bi-?weekly|fortnightly|every\s+(?:two\s+weeks|fortnight))\b/gi;
const EVERY_DAY = new RegExp(String.raw`\bevery\s+${DAY}\b`, 'gi');
const WEEKLY = new RegExp(String.raw`\b(?:weekly|every\s+week)(?:\s+on\s+${DAY}s?)?\b`, 'gi');
const FOR_SPAN = new RegExp(
  String.raw`\bfor\s+(?:the\s+next\s+)?${NUM}\s+(weeks?|months?|times|occurrences|meetings|sessions)\b`,
  'gi',
);
const TIMES = new RegExp(String.raw`\b${NUM}\s+(times|occurrences)\b`, 'gi');
const UNTIL = /\b(?:until|till|through|ending)\s+/gi;

/** Occurrences when the text names no end: a quarter of weekly meetings, half a year of monthly. */
export const DEFAULT_COUNT = { weekly: 12, monthly: 6 } as const;

const RULE_DAY: Record<WeekdayName, RuleWeekday> = {
  mon: 'MO',
  tue: 'TU',
  wed: 'WE',
  thu: 'TH',
  fri: 'FR',
  sat: 'SA',
  sun: 'SU',
};

export interface Repetition {
  rule: RecurrenceRule;
  /** The weekday the series falls on, when the text named one ("every other Tuesday"). */
  day?: WeekdayName;
  /** Whether the text said when it ends (else DEFAULT_COUNT). */
  endGiven: boolean;
  phrase: string;
}

type Frequency =
  | { frequency: 'weekly'; interval: number; day?: WeekdayName }
  | { frequency: 'monthly'; ordinal: 1 | 2 | 3 | 4 | -1; day: WeekdayName };

/** Takes a repetition phrase and its end out of the text; nothing when there is none. */
export function readRepetition(
  text: string,
  speaker: { now: DateTime; zone: string },
): { text: string; repetition?: Repetition } {
  const phrases: string[] = [];
  const found: Frequency[] = [];
  const take = (pattern: RegExp, read: (m: RegExpExecArray) => Frequency) => (rest: string) =>
    consume(rest, pattern, (m) => {
      phrases.push(m[0].replace(/\s+/g, ' '));
      found.push(read(m));
    });
  let rest = [
    take(MONTHLY, (m) => ({
      frequency: 'monthly',
      ordinal: ORDINALS[(m[1] ?? m[3] ?? m[5])!.toLowerCase()]!,
      day: dayName(m[2] ?? m[4] ?? m[6]),
    })),
    take(EVERY_N_WEEKS, (m) => ({
      frequency: 'weekly',
      interval: count(m[1]!),
      ...(m[2] && { day: dayName(m[2]) }),
    })),
    take(EVERY_OTHER, (m) => ({
      frequency: 'weekly',
      interval: 2,
      ...(m[1]!.toLowerCase() !== 'week' && { day: dayName(m[1]) }),
    })),
    take(FORTNIGHTLY, () => ({ frequency: 'weekly', interval: 2 })),
    take(EVERY_DAY, (m) => ({ frequency: 'weekly', interval: 1, day: dayName(m[1]) })),
    take(WEEKLY, (m) => ({
      frequency: 'weekly',
      interval: 1,
      ...(m[1] && { day: dayName(m[1]) }),
    })),
  ].reduce((t, reader) => reader(t), text);
  if (BARE_MONTHLY.test(rest)) {
    throw new CommandTextError(
      'Say which weekday of the month, e.g. "monthly on the first Monday" or "every last Friday".',
    );
  }
  if (found.length > 1) {
    throw new CommandTextError(`Say how often once: I read ${phrases.map(quoted).join(' and ')}.`);
  }
  const [frequency] = found;
  // Without a repetition, "until friday" and "for 2 weeks" keep their old meaning (the window).
  if (frequency === undefined) return { text };
  const end = readEnd(rest, speaker);
  rest = end.text;
  const rule = ruleOf(frequency, end.end);
  const phrase = [...phrases, ...(end.phrase ? [end.phrase] : [])].join(' ');
  return {
    text: rest,
    repetition: {
      rule,
      ...(frequency.day && { day: frequency.day }),
      endGiven: end.end !== undefined,
      phrase,
    },
  };
}

type End = { count: number } | { span: number; unit: 'week' | 'month' } | { until: string };

function ruleOf(frequency: Frequency, end: End | undefined): RecurrenceRule {
  const interval = frequency.frequency === 'weekly' ? frequency.interval : 1;
  let bound: { count: number } | { until: string };
  if (end === undefined) bound = { count: DEFAULT_COUNT[frequency.frequency] };
  else if ('span' in end) {
    const sameUnit = (end.unit === 'week') === (frequency.frequency === 'weekly');
    // "every other Tuesday for 8 weeks" is 4 meetings; "weekly for 3 months" is about 13.
    const weeks = end.unit === 'week' ? end.span : end.span * (52 / 12);
    const occurrences = sameUnit
      ? end.span / interval
      : weeks / (frequency.frequency === 'weekly' ? interval : 52 / 12);
    bound = { count: Math.max(1, Math.ceil(occurrences)) };
  } else bound = end;
  if ('count' in bound && bound.count < 2) {
    throw new CommandTextError(
      'That makes a single meeting: leave out the repetition, or make the series longer.',
    );
  }
  if ('count' in bound && bound.count > MAX_OCCURRENCES) {
    throw new CommandTextError(
      `A series has at most ${MAX_OCCURRENCES} meetings; make it shorter and book another later.`,
    );
  }
  if (frequency.frequency === 'weekly') return { frequency: 'weekly', interval, ...bound };
  return {
    frequency: 'monthly',
    interval: 1,
    weekday: RULE_DAY[frequency.day],
    ordinal: frequency.ordinal,
    ...bound,
  };
}

function readEnd(
  text: string,
  speaker: { now: DateTime; zone: string },
): { text: string; end?: End; phrase?: string } {
  const ends: { end: End; phrase: string }[] = [];
  let rest = consume(text, FOR_SPAN, (m) => {
    const n = count(m[1]!);
    const unit = m[2]!.toLowerCase();
    const end: End = unit.startsWith('week')
      ? { span: n, unit: 'week' }
      : unit.startsWith('month')
        ? { span: n, unit: 'month' }
        : { count: n };
    ends.push({ end, phrase: m[0].replace(/\s+/g, ' ') });
  });
  rest = consume(rest, TIMES, (m) => {
    ends.push({ end: { count: count(m[1]!) }, phrase: m[0] });
  });
  for (const match of [...rest.matchAll(UNTIL)]) {
    const after = match.index + match[0].length;
    const [date] = chrono.parse(rest.slice(after, after + 40), wallNow(speaker.now), {
      forwardDate: true,
    });
    if (date === undefined || date.index !== 0) {
      throw new CommandTextError(
        `I couldn't read the date after ${quoted(match[0].trim())}; write it like "until 31 March".`,
      );
    }
    const c = date.start;
    const until = DateTime.utc(c.get('year')!, c.get('month')!, c.get('day')!).toISODate()!;
    ends.push({ end: { until }, phrase: `${match[0]}${date.text}`.replace(/\s+/g, ' ') });
    rest = blank(rest, match.index, match[0].length + date.text.length);
  }
  if (ends.length > 1) {
    throw new CommandTextError(
      `Say once when the series ends: I read ${ends.map((e) => quoted(e.phrase)).join(' and ')}.`,
    );
  }
  const [only] = ends;
  return only ? { text: rest, end: only.end, phrase: only.phrase } : { text: rest };
}

function count(word: string): number {
  const n = COUNT_WORDS[word.toLowerCase()] ?? Number(word);
  if (!Number.isInteger(n) || n < 1)
    throw new CommandTextError(`${quoted(word)} is not a number of weeks or meetings I can use.`);
  return n;
}

function dayName(word: string | undefined): WeekdayName {
  const lower = (word ?? '').toLowerCase();
  const name = (Object.keys(RULE_DAY) as WeekdayName[]).find((day) => lower.startsWith(day));
  if (name === undefined) throw new Error(`Not a weekday: ${word}`);
  return name;
}

// chrono reads in the process's zone: hand it the speaker's wall clock, as dates.ts does.
function wallNow(now: DateTime): Date {
  return new Date(now.year, now.month - 1, now.day, now.hour, now.minute, now.second);
}
