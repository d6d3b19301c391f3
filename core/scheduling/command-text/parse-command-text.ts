import { DateTime, IANAZone } from 'luxon';
import type { ParseContext, ParseResult, ParsedCommand } from './types.ts';
import { readDates } from './dates.ts';
import type { DatePiece } from './dates.ts';
import { readPartOfDay, readWeekdays } from './day-preferences.ts';
import {
  MAX_DURATION_MINUTES,
  UNREAD_DURATION_WORD,
  formatDuration,
  readDuration,
  unreadDuration,
} from './durations.ts';
import { readMentions } from './mentions.ts';
import { readRepetition } from './repetition.ts';
import { CommandTextError, blank, quoted } from './text-scan.ts';
import { readTitle } from './title.ts';
import { describeDraft } from './understood.ts';
import type { Draft } from './understood.ts';
import { EXAMPLES, SCHEDULING_VERBS, readVerb, verbWord } from './verbs.ts';
import { VERBS, WEEKDAYS } from './types.ts';

const DEFAULT_DURATION_MINUTES = 30;
const DEFAULT_WINDOW_DAYS = 7;
// Far above any real request (100 attendees in Slack's encoded form is about 5,000), low
// enough that a pasted document is refused before any pattern runs over it.
const MAX_TEXT_LENGTH = 10_000;

// Words that carry no meaning of their own once the rest has been read.
const FILLERS = new Set([
  'with',
  'and',
  'or',
  'for',
  'on',
  'at',
  'in',
  'the',
  'a',
  'an',
  'of',
  'to',
  'from',
  'between',
  'me',
  'us',
  'please',
  'some',
  'sometime',
  'time',
  'meeting',
  'meet',
  'call',
  'chat',
  'sync',
  'slot',
  '&',
  '&amp;',
  '+',
]);

interface Speaker {
  now: DateTime;
  zone: string;
  defaultDurationMinutes: number;
}

/**
 * Reads a scheduling request ("find 30m with @ana @raj next week afternoons") typed in any
 * adapter, in the speaker's time zone and relative to `ctx.now`.
 *
 * Mistakes in the text come back as `{ ok: false }` with a message for the speaker. A bad
 * `ctx` is the caller's mistake and throws: a RangeError for an unknown time zone or an
 * impossible default duration, a TypeError for an invalid `now`.
 */
export function parseCommandText(text: string, ctx: ParseContext): ParseResult {
  const speaker = checkContext(ctx);
  const draft: Draft = {};
  try {
    return { ok: true, command: read(text, speaker, draft) };
  } catch (error) {
    if (!(error instanceof CommandTextError)) throw error;
    return {
      ok: false,
      error: error.message,
      understood: describeDraft(draft, speaker.zone),
      example: EXAMPLES[draft.verb?.verb ?? 'find'],
    };
  }
}

function checkContext(ctx: ParseContext): Speaker {
  if (!(ctx.now instanceof Date) || Number.isNaN(ctx.now.getTime())) {
    throw new TypeError('ParseContext.now must be a valid Date.');
  }
  if (!IANAZone.isValidZone(ctx.timeZone)) {
    throw new RangeError(
      `Unknown time zone "${ctx.timeZone}" in ParseContext.timeZone; pass an IANA zone such as "Europe/Berlin".`,
    );
  }
  const defaultDurationMinutes = ctx.defaultDurationMinutes ?? DEFAULT_DURATION_MINUTES;
  if (
    !Number.isInteger(defaultDurationMinutes) ||
    defaultDurationMinutes < 1 ||
    defaultDurationMinutes > MAX_DURATION_MINUTES
  ) {
    throw new RangeError(
      `ParseContext.defaultDurationMinutes must be a whole number from 1 to ${MAX_DURATION_MINUTES}, got ${defaultDurationMinutes}.`,
    );
  }
  return {
    now: DateTime.fromJSDate(ctx.now, { zone: ctx.timeZone }),
    zone: ctx.timeZone,
    defaultDurationMinutes,
  };
}

/** Fills `draft` as it goes, so an error can say what was understood before it. */
function read(text: string, speaker: Speaker, draft: Draft): ParsedCommand {
  if (text.trim() === '') {
    throw new CommandTextError('The request is empty. Say what to schedule, with whom and when.');
  }
  if (text.length > MAX_TEXT_LENGTH) {
    throw new CommandTextError(
      `The request is ${text.length} characters long; keep it under ${MAX_TEXT_LENGTH}.`,
    );
  }

  let rest = text;
  const leadingVerb = readVerb(rest);
  if (leadingVerb !== undefined) rest = blank(rest, 0, leadingVerb.length);
  const verb = leadingVerb?.verb ?? 'find';
  draft.verb = { verb, given: leadingVerb !== undefined };

  const titled = readTitle(rest);
  rest = titled.text;
  if (titled.title !== undefined) draft.title = titled.title;

  const people = readMentions(rest);
  rest = people.text;
  draft.attendees = people.attendees;

  const repeated = readRepetition(rest, speaker);
  rest = repeated.text;
  const repetition = repeated.repetition;
  if (repetition) draft.repeat = { rule: repetition.rule, endGiven: repetition.endGiven };

  const length = readDuration(rest);
  rest = length.text;
  const durationMinutes = length.minutes ?? speaker.defaultDurationMinutes;
  draft.duration = { minutes: durationMinutes, given: length.minutes !== undefined };

  const part = readPartOfDay(rest);
  rest = part.text;
  if (part.partOfDay !== undefined) draft.partOfDay = part.partOfDay;

  const weekdays = readWeekdays(rest);
  rest = weekdays.text;
  // "every other Tuesday" searches Tuesdays for the first meeting.
  if (repetition?.day && !weekdays.days.includes(repetition.day)) {
    weekdays.days = WEEKDAYS.filter((d) => d === repetition.day || weekdays.days.includes(d));
  }
  if (weekdays.days.length > 0) draft.days = weekdays.days;

  const dates = readDates(rest, weekdays.dayPhrases, { ...speaker, partOfDay: part.partOfDay });
  rest = dates.text;

  const ignored = leftoverWords(rest, text, draft);

  const when = combine(dates.pieces, speaker, durationMinutes);
  draft.when = when;
  if (SCHEDULING_VERBS.has(verb)) {
    checkAhead(when, speaker, durationMinutes);
    if (when.start < speaker.now.toJSDate()) when.start = speaker.now.toJSDate();
  }

  const command: ParsedCommand = {
    verb,
    durationMinutes,
    window: { start: when.start, end: when.end },
    attendees: people.attendees,
    preferences: {
      ...(part.partOfDay !== undefined && { partOfDay: part.partOfDay }),
      ...(weekdays.days.length > 0 && { days: weekdays.days }),
    },
    timeZone: speaker.zone,
    understood: describeDraft(draft, speaker.zone),
    ignored,
  };
  if (when.exact) command.exactStart = when.start;
  if (draft.title !== undefined) command.title = draft.title;
  if (repetition) command.recurrence = repetition.rule;
  return command;
}

/**
 * What is left once everything was read. An unknown first word is taken for a mistyped verb
 * ("dance with @ana") and refused; so is a duration nobody could read ("twenty-five minutes").
 * Other unknown words are returned so the adapter can mention them.
 */
function leftoverWords(rest: string, original: string, draft: Draft): string[] {
  const words = [...rest.matchAll(/[^\s,;:!?()]+/g)]
    .map((match) => ({ at: match.index, word: match[0].replace(/^[.'-]+|[.'-]+$/g, '') }))
    .filter(({ word }) => word !== '' && !FILLERS.has(word.toLowerCase()));

  const unit = words.findIndex(({ word }) => UNREAD_DURATION_WORD.test(word));
  if (unit !== -1) {
    const phrase = words
      .slice(Math.max(0, unit - 1), unit + 1)
      .map(({ word }) => word)
      .join(' ');
    throw unreadDuration(phrase);
  }

  const [first] = words;
  if (first !== undefined && first.at === original.search(/\S/) && !draft.verb?.given) {
    delete draft.verb;
    throw new CommandTextError(
      `I don't know the command ${quoted(first.word)}. Start with one of: ${VERBS.map(verbWord).join(', ')}; or just say when, e.g. "30m with @ana tomorrow".`,
    );
  }
  return words.map(({ word }) => word);
}

interface When {
  phrase?: string;
  start: Date;
  end: Date;
  exact: boolean;
}

/** One window from every date phrase: a single specific time, or the span they cover. */
function combine(pieces: DatePiece[], speaker: Speaker, durationMinutes: number): When {
  if (pieces.length === 0) {
    return {
      start: speaker.now.toJSDate(),
      end: speaker.now.plus({ days: DEFAULT_WINDOW_DAYS }).toJSDate(),
      exact: false,
    };
  }
  const phrase = pieces.map((piece) => piece.phrase).join(' or ');
  const [only] = pieces;
  if (only !== undefined && pieces.length === 1 && only.exact) {
    return {
      phrase,
      start: only.start.toJSDate(),
      end: only.start.plus({ minutes: durationMinutes }).toJSDate(),
      exact: true,
    };
  }
  if (pieces.some((piece) => piece.exact)) {
    throw new CommandTextError(
      `I can't combine ${pieces.map((p) => quoted(p.phrase)).join(' and ')}. Give one specific time ("thursday 2pm") or a stretch to search ("tomorrow 2-5pm", "next tue or wed").`,
    );
  }
  return {
    phrase,
    start: new Date(Math.min(...pieces.map((piece) => piece.start.toMillis()))),
    end: new Date(Math.max(...pieces.map((piece) => piece.end.toMillis()))),
    exact: false,
  };
}

/** Something new can only be put on calendars from now on, and it has to fit. */
function checkAhead(when: When, speaker: Speaker, durationMinutes: number): void {
  const now = speaker.now.toJSDate();
  const described = describeDraft({ when }, speaker.zone)[0]?.replace(/^when: /, '');
  if (when.exact ? when.start < now : when.end <= now) {
    throw new CommandTextError(`That time is in the past (${described}). Give a time from now on.`);
  }
  const start = when.start < now ? now : when.start;
  if (!when.exact && when.end.getTime() - start.getTime() < durationMinutes * 60_000) {
    throw new CommandTextError(
      `A ${formatDuration(durationMinutes)} meeting does not fit in what is left of ${described}. Give a longer stretch or a shorter duration.`,
    );
  }
}
