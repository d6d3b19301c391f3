import * as chrono from 'chrono-node';
import { DateTime } from 'luxon';
import type { PartOfDay } from './types.ts';
import { unreadDuration } from './durations.ts';
import { CommandTextError, blank, consume, quoted } from './text-scan.ts';

/** One date or time phrase, as the stretch of time it covers in the speaker's zone. */
export interface DatePiece {
  /** The words it came from, e.g. "next week", "by friday". */
  phrase: string;
  start: DateTime;
  end: DateTime;
  /** A specific moment ("tomorrow 2pm"), not a stretch to search. */
  exact: boolean;
}

interface Speaker {
  now: DateTime;
  zone: string;
  partOfDay?: PartOfDay;
}

// chrono reads "from 2pm to 4pm" as one range but "between 2pm and 4pm" as two times.
const BETWEEN = /\bbetween(\s+\S.{0,40}?\s+)and\b/gi;

// A word just before a phrase that turns it into a deadline or a starting point.
const QUALIFIER = /\b(by|before|until|till|after)\s+$/i;

/**
 * Takes every date and time phrase out of the text, reading each with chrono. `dayPhrases`
 * are weekdays already split out of lists ("next tue", "next wed"); each becomes a piece.
 */
export function readDates(
  text: string,
  dayPhrases: string[],
  speaker: Speaker,
): { text: string; pieces: DatePiece[] } {
  const parser = speakerChrono(speaker);
  const reading: Reading = { ...speaker, wallNow: wallClock(speaker.now) };
  const read = (phrase: string) => parser.parse(phrase, reading.wallNow, { forwardDate: true });

  const pieces: DatePiece[] = [];
  for (const phrase of dayPhrases) {
    const [result] = read(phrase);
    if (result === undefined)
      throw new CommandTextError(`I couldn't read ${quoted(phrase)} as a day.`);
    pieces.push(pieceOf(result, phrase, reading));
  }

  let rest = text;
  const squeezed = squeeze(consume(text, BETWEEN, (m) => `from   ${m[1] ?? ''}to `));
  for (const result of read(squeezed.text)) {
    const start = squeezed.origin(result.index);
    const end = squeezed.origin(result.index + result.text.length - 1) + 1;
    // Named as typed, before "between … and" became "from … to", without the blanks left by
    // attendees or durations read out of the middle of it.
    const phrase = text.slice(start, end).replace(/\s+/g, ' ').trim();
    if (isBareLength(result, phrase)) throw unreadDuration(phrase);
    const piece = pieceOf(result, phrase, reading);
    const qualifier = QUALIFIER.exec(rest.slice(0, start));
    rest = blank(rest, start, end - start);
    if (qualifier === null) {
      pieces.push(piece);
      continue;
    }
    rest = blank(rest, qualifier.index, qualifier[0].length);
    pieces.push(qualified((qualifier[1] ?? '').toLowerCase(), piece, speaker.now));
  }
  return { text: rest, pieces };
}

/**
 * The speaker's wall-clock time now, as a Date whose local fields (in the server's zone) show
 * it. chrono does its calendar arithmetic with local Date fields, and with a `timezone`
 * reference it mixes shifted and unshifted instants (its forwardDate check compares the two),
 * so its answers changed with the server's zone. Fed a local wall clock and no zone, chrono
 * works in one frame throughout; only wall-clock components are read back, and the speaker's
 * zone turns them into instants. What still depends on the server's zone: a wall time in a
 * DST gap of *that* zone, and "in N hours" across one of its DST changes, come out an hour
 * off. Servers normally run in UTC, which has neither.
 */
function wallClock(now: DateTime): Date {
  return new Date(now.year, now.month - 1, now.day, now.hour, now.minute, now.second);
}

interface Reading extends Speaker {
  wallNow: Date;
}

/**
 * Runs of blanks left by the other readers, squeezed to one space: chrono slows down
 * quadratically on long runs of white space. `origin` maps a position back to the text.
 */
function squeeze(text: string): { text: string; origin: (index: number) => number } {
  const origins: number[] = [];
  let out = '';
  for (const match of text.matchAll(/\s+|\S+/g)) {
    const blankRun = /^\s/.test(match[0]);
    const kept = blankRun ? ' ' : match[0];
    for (let i = 0; i < kept.length; i++) origins.push(match.index + i);
    out += kept;
  }
  return { text: out, origin: (index) => origins[index] ?? text.length };
}

/**
 * With forwardDate on, chrono reads a bare "twenty-five minutes" as "in twenty-five minutes".
 * Here a length of hours or minutes without "in", "later", "ago"… is a duration the duration
 * reader could not read, and is refused as such rather than booked 25 minutes from now.
 */
function isBareLength(result: chrono.ParsedResult, phrase: string): boolean {
  return (
    result.tags().has('result/relativeDateAndTime') &&
    !/^(?:in|within|[+-])|\b(?:later|ago|from\s+now|next|last|past|after)\b/i.test(phrase)
  );
}

/**
 * The casual English chrono, set up for one speaker: "last monday" stays in the past, "at 3"
 * means 3 pm unless they asked for mornings, and "this week" is the speaker's ISO week.
 */
function speakerChrono(speaker: Speaker): chrono.Chrono {
  const parser = chrono.casual.clone();
  parser.parsers.unshift(thisWeekParser);
  parser.refiners.unshift(keepPastWeekdaysRefiner, meetingHoursRefiner(speaker.partOfDay));
  return parser;
}

/**
 * chrono's own "this week" is the Sunday that starts the week; here it is today, which the
 * window code widens to the speaker's Monday-to-Monday week.
 */
const thisWeekParser: chrono.Parser = {
  pattern: () => /(?<=^|\W)this\s+week(?=\W|$)/i,
  extract: (context) => {
    const today = context.reference.instant;
    return { year: today.getFullYear(), month: today.getMonth() + 1, day: today.getDate() };
  },
};

/**
 * With forwardDate on, chrono moves any weekday that has passed to the coming week, "last
 * monday" included. Fixing the date of "last"/"past" weekdays first keeps them where they are,
 * so a request for a past day can be refused instead of silently moved.
 */
const keepPastWeekdaysRefiner: chrono.Refiner = {
  refine: (_context, results) => {
    for (const result of results) {
      if (/^\W*(?:on\s+)?(?:last|past)\b/i.test(result.text)) {
        if (result.start.isOnlyWeekdayComponent()) {
          for (const unit of ['year', 'month', 'day'] as const) {
            result.start.assign(unit, result.start.get(unit) ?? 0);
          }
        }
      }
    }
    return results;
  },
};

/**
 * A bare hour without am/pm: "at 3" means 3 pm for a meeting, and with "afternoons" or
 * "evening" any hour before noon does. This runs before chrono moves past times to tomorrow,
 * so "at 3" said at 11:00 is today 15:00.
 */
function meetingHoursRefiner(partOfDay: PartOfDay | undefined): chrono.Refiner {
  // Hours from 1 up to this one are read as pm.
  const lastPmHour = partOfDay === 'morning' ? 0 : partOfDay === undefined ? 6 : 11;
  return {
    refine: (_context, results) => {
      for (const result of results) {
        for (const components of [result.start, result.end]) {
          // chrono leaves `end` null, not undefined, when there is no range.
          if (components == null || !components.isCertain('hour')) continue;
          if (components.isCertain('meridiem')) continue;
          const hour = components.get('hour') ?? 0;
          if (hour >= 1 && hour <= lastPmHour) {
            components.assign('hour', hour + 12);
            components.assign('meridiem', chrono.Meridiem.PM);
          }
        }
      }
      return results;
    },
  };
}

function pieceOf(result: chrono.ParsedResult, phrase: string, reading: Reading): DatePiece {
  const start = span(result.start, phrase, reading);
  if (result.end == null) return { phrase, ...start };
  const end = span(result.end, phrase, reading);
  const piece = { phrase, start: start.start, end: end.exact ? end.start : end.end, exact: false };
  if (piece.end <= piece.start) {
    throw new CommandTextError(`${quoted(phrase)} ends before it starts.`);
  }
  return piece;
}

/** The stretch of time one side of a chrono result stands for. */
function span(
  components: chrono.ParsedComponents,
  phrase: string,
  reading: Reading,
): { start: DateTime; end: DateTime; exact: boolean } {
  const { zone } = reading;
  const value = (unit: chrono.Component) => components.get(unit) ?? 0;
  if (components.isCertain('hour')) {
    const at = instantOf(components, reading);
    return { start: at, end: at, exact: true };
  }
  const day = DateTime.fromObject(
    { year: value('year'), month: value('month'), day: value('day') },
    { zone },
  ).startOf('day');
  const stretch = (start: DateTime, length: { days?: number; weeks?: number }) => ({
    start,
    end: start.plus(length),
    exact: false,
  });
  if (/\bweekend\b/i.test(phrase)) {
    return stretch(day.weekday === 7 ? day.minus({ days: 1 }) : day, { days: 2 });
  }
  if (/\bweeks?\b/i.test(phrase) && !components.isCertain('weekday')) {
    return stretch(day.startOf('week'), { weeks: 1 });
  }
  if (components.isCertain('day') || components.isCertain('weekday')) {
    return stretch(day, { days: 1 });
  }
  if (components.isCertain('month')) {
    const month = day.startOf('month');
    return { start: month, end: month.plus({ months: 1 }), exact: false };
  }
  if (components.isCertain('year')) {
    const year = day.startOf('year');
    return { start: year, end: year.plus({ years: 1 }), exact: false };
  }
  return stretch(day, { days: 1 });
}

/** The moment a time phrase names. */
function instantOf(components: chrono.ParsedComponents, reading: Reading): DateTime {
  const tags = components.tags();
  // "now", "in 2 hours", "30 minutes ago": elapsed time from the speaker's now.
  if (tags.has('casualReference/now') || tags.has('result/relativeDateAndTime')) {
    const elapsed = components.date().getTime() - reading.wallNow.getTime();
    return reading.now.plus({ milliseconds: elapsed });
  }
  // "3pm EST", "15:00 +0530": chrono worked the instant out from the offset given.
  if (components.isCertain('timezoneOffset')) {
    return DateTime.fromJSDate(components.date(), { zone: reading.zone });
  }
  // Everything else is a wall-clock time in the speaker's zone, whatever its offset that day.
  const value = (unit: chrono.Component) => components.get(unit) ?? 0;
  return DateTime.fromObject(
    {
      year: value('year'),
      month: value('month'),
      day: value('day'),
      hour: value('hour'),
      minute: value('minute'),
    },
    { zone: reading.zone },
  );
}

/** "by friday", "before 3pm", "until tomorrow", "after 2pm". */
function qualified(word: string, piece: DatePiece, now: DateTime): DatePiece {
  const phrase = `${word} ${piece.phrase}`;
  if (word === 'after') {
    return piece.exact
      ? {
          phrase,
          start: piece.start,
          end: piece.start.startOf('day').plus({ days: 1 }),
          exact: false,
        }
      : { phrase, start: piece.end, end: piece.end.plus({ days: 7 }), exact: false };
  }
  const end = word === 'before' || piece.exact ? piece.start : piece.end;
  return { phrase, start: now, end, exact: false };
}
