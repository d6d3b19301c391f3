import type { PartOfDay, WeekdayName } from './types.ts';
import { WEEKDAYS } from './types.ts';
import { CommandTextError, consume } from './text-scan.ts';

// "this afternoon" and "tonight" name a day as well as a part of it: the day is left behind
// as "today" for chrono to read.
const THIS_PART = /\bthis\s+(morning|afternoon|evening)\b/gi;
const TONIGHT = /\btonight\b/gi;
const PART_WORD = /\b(morning|afternoon|evening|night)s?\b/gi;
// A lone "am"/"pm" ("next tuesday pm"), not the one in "2 pm", which is a time for chrono.
const LONE_MERIDIEM = /\b(?<![\d:.]\s*)(am|pm)\b/gi;

const PART_OF: Record<string, PartOfDay> = {
  morning: 'morning',
  afternoon: 'afternoon',
  evening: 'evening',
  night: 'evening',
  am: 'morning',
  pm: 'afternoon',
};

/** Takes "mornings", "afternoon", "tonight", a lone "pm"… out of the text. */
export function readPartOfDay(text: string): { text: string; partOfDay?: PartOfDay } {
  const found = new Set<PartOfDay>();
  const note = (word: string | undefined) => {
    const part = PART_OF[(word ?? '').toLowerCase()];
    if (part !== undefined) found.add(part);
  };
  let rest = consume(text, THIS_PART, (m) => {
    note(m[1]);
    return 'today';
  });
  rest = consume(rest, TONIGHT, () => {
    note('evening');
    return 'today';
  });
  rest = consume(rest, PART_WORD, (m) => note(m[1]));
  rest = consume(rest, LONE_MERIDIEM, (m) => note(m[1]));
  if (found.size > 1) {
    throw new CommandTextError(
      `Pick one part of the day (${[...found].join(' or ')}), or leave it out to search the whole working day.`,
    );
  }
  const [partOfDay] = found;
  return partOfDay === undefined ? { text: rest } : { text: rest, partOfDay };
}

const DAY = String.raw`(?:mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)`;
const MODIFIER = String.raw`(?:(?:next|this)\s+)?`;
// Slack sends a typed "&" as "&amp;".
const SEPARATOR = String.raw`\s*(?:,(?:\s*(?:or|and)\b)?|\/|&(?:amp;)?|\b(?:or|and)\b)\s*`;
const WEEK_AFTER = String.raw`(?:\s+(?:of\s+)?((?:next|this)\s+week)\b)?`;
// "tue or wed", "next mon, wed and fri", "mon/thu", "tue or wed next week"
const DAY_LIST = new RegExp(
  String.raw`\b${MODIFIER}${DAY}\b(?:${SEPARATOR}${MODIFIER}${DAY}\b)+${WEEK_AFTER}`,
  'gi',
);
const LIST_ITEM = new RegExp(String.raw`\b(?:(next|this)\s+)?(${DAY})\b`, 'gi');
// "mondays", "tuesdays and thursdays": a habit, not a date.
const PLURAL_DAY = /\b(mon|tues|wednes|thurs|fri|satur|sun)days\b/gi;

function weekdayName(word: string): WeekdayName {
  const name = WEEKDAYS.find((day) => word.toLowerCase().startsWith(day));
  if (name === undefined) throw new Error(`Not a weekday: ${word}`);
  return name;
}

/**
 * Takes lists of weekdays ("next tue or wed") and plural weekdays ("fridays") out of the text.
 * Each listed day comes back as its own phrase ("next tue", "next wed"), with a leading
 * "next"/"this" or a trailing "next week" shared by the other days, so chrono can date each.
 */
export function readWeekdays(text: string): {
  text: string;
  days: WeekdayName[];
  dayPhrases: string[];
} {
  const days = new Set<WeekdayName>();
  const dayPhrases: string[] = [];
  let rest = consume(text, PLURAL_DAY, (m) => {
    days.add(weekdayName(m[1] ?? ''));
  });
  rest = consume(rest, DAY_LIST, (list) => {
    const week = list[1];
    const daysPart = week === undefined ? list[0] : list[0].slice(0, list[0].lastIndexOf(week));
    let shared: string | undefined;
    for (const item of daysPart.matchAll(LIST_ITEM)) {
      const modifier = item[1] ?? shared;
      shared ??= item[1];
      const day = item[2] ?? '';
      days.add(weekdayName(day));
      if (week !== undefined) dayPhrases.push(`${day} ${week}`);
      else dayPhrases.push(modifier === undefined ? day : `${modifier} ${day}`);
    }
  });
  return { text: rest, days: WEEKDAYS.filter((day) => days.has(day)), dayPhrases };
}
