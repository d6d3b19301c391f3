import { NUMBER_WORDS_TWO_TO_TWELVE } from './number-words.ts';
import { CommandTextError, blank, quoted } from './text-scan.ts';

export const MAX_DURATION_MINUTES = 8 * 60;

// "2 hours from now", "30 minutes later" say when, not how long; they are left for chrono.
// So are "in 2 hours" and "within 30 min" (see saysWhen).
const NOT_BEFORE_RELATIVE = String.raw`(?!\s+(?:ago|later|from\s+now)\b)`;
// Not the "5" of "2.5" or the "five" of "twenty-five" (which is refused as unreadable).
const duration = (body: string) =>
  new RegExp(`(?<![\\d.-])\\b${body}\\b${NOT_BEFORE_RELATIVE}`, 'gi');

// Checked in code rather than as a look-behind: with the number-word alternation, V8 took
// quadratic time over the long runs of blanks the other readers leave behind.
const saysWhen = (text: string, index: number) =>
  /\b(?:in|within)$/i.test(text.slice(0, index).trimEnd());

// Left to chrono, "two hours" would mean "two hours from now".
const NUMBER_WORDS: Record<string, number> = {
  one: 1,
  ...NUMBER_WORDS_TWO_TO_TWELVE,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
  forty: 40,
  'forty-five': 45,
  fifty: 50,
  sixty: 60,
  ninety: 90,
};
const NUMBER = `(\\d+(?:\\.\\d+)?|${Object.keys(NUMBER_WORDS)
  .sort((a, b) => b.length - a.length)
  .map((word) => word.replace('-', String.raw`[\s-]`))
  .join('|')})`;
const numberValue = (written: string | undefined) => {
  const word = (written ?? '').toLowerCase().replace(/\s+/, '-');
  return NUMBER_WORDS[word] ?? Number(written);
};

const PATTERNS: { pattern: RegExp; minutes: (m: RegExpExecArray) => number }[] = [
  // Longest phrases first: "an hour and a half" and "half an hour" both contain "an hour".
  { pattern: duration(String.raw`(?:an?|one)\s+hour\s+and\s+a\s+half`), minutes: () => 90 },
  { pattern: duration(String.raw`(?:half\s+an?|a\s+half|half)[\s-]hour`), minutes: () => 30 },
  { pattern: duration(String.raw`an\s+hour`), minutes: () => 60 },
  {
    // 1h, 1.5h, 2 hours, two hours, 1hr, 1h30, 1h30m, 1h 30m, 1 hour and 30 minutes
    pattern: duration(
      `${NUMBER}[\\s-]*(?:hours?|hrs?|h)(?:(\\d{1,2})(?:mins?|m)?|\\s*(?:and\\s+)?${NUMBER}[\\s-]*(?:minutes?|mins?|m))?`,
    ),
    minutes: (m) => {
      const extra = numberValue(m[2] ?? m[3] ?? '0');
      if (extra >= 60) {
        throw new CommandTextError(
          `${quoted(m[0].trim())} has ${extra} minutes after the hours; write it like 1h30 or 90m.`,
        );
      }
      return Math.round(numberValue(m[1]) * 60) + extra;
    },
  },
  // 30m, 30 min, 45 minutes, 90-minute, fifteen minutes
  {
    pattern: duration(`${NUMBER}[\\s-]*(?:minutes?|mins?|m)`),
    minutes: (m) => Math.round(numberValue(m[1])),
  },
];

/** Takes the meeting length out of the text. */
export function readDuration(text: string): { text: string; minutes?: number } {
  const found: { at: number; minutes: number }[] = [];
  // `rest` goes on to the other readers; `scan` also loses the phrases that say when, so a
  // later, shorter pattern cannot find "an hour" inside "in half an hour".
  let rest = text;
  let scan = text;
  for (const { pattern, minutes } of PATTERNS) {
    for (const match of scan.matchAll(pattern)) {
      scan = blank(scan, match.index, match[0].length);
      if (saysWhen(rest, match.index)) continue;
      rest = blank(rest, match.index, match[0].length);
      found.push({ at: match.index, minutes: minutes(match) });
    }
  }
  const distinct = [...new Set(found.sort((a, b) => a.at - b.at).map((f) => f.minutes))];
  if (distinct.length > 1) {
    throw new CommandTextError(
      `Two different durations were given (${distinct.map(formatDuration).join(' and ')}); give one.`,
    );
  }
  const minutes = distinct[0];
  if (minutes === undefined) return { text: rest };
  if (minutes < 1 || minutes > MAX_DURATION_MINUTES) {
    throw new CommandTextError(
      `A meeting must last between 1 minute and 8 hours; ${formatDuration(minutes)} is outside that.`,
    );
  }
  return { text: rest, minutes };
}

/** Leftover words that look like a duration nobody could read, e.g. "two hours". */
export const UNREAD_DURATION_WORD = /^(?:minutes?|mins?|hours?|hrs?)$/i;

export function unreadDuration(phrase: string): CommandTextError {
  return new CommandTextError(
    `I couldn't read the duration ${quoted(phrase)}. Write it like 30m, 45 min, 1h, 1.5h or 1h30.`,
  );
}

export function formatDuration(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}
