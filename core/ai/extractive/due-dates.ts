// Reads a due date out of a commitment ("by Friday", "tomorrow", "end of next week") with
// chrono, relative to when the meeting started and in the meeting's zone: "by Friday" said in
// a Thursday-evening meeting in New York is that Friday in New York, whatever the server's zone.
import * as chrono from 'chrono-node';
import { DateTime } from 'luxon';

export interface DueDate {
  /** YYYY-MM-DD in the meeting's zone. */
  date: string;
  /** Where the phrase is in the text, with a leading "by"/"before"/"on"… included. */
  index: number;
  length: number;
}

// Words that make a date a deadline; taken out of the task together with the date.
const LEAD_IN = /\b(?:by|before|on|until|till|no later than|ahead of|at|for|due)(?:\s+the)?\s+$/i;

export class DueDateReader {
  readonly #parser: chrono.Chrono;
  readonly #wallNow: Date;
  readonly #today: DateTime;

  constructor(startsAt: DateTime) {
    this.#today = startsAt.startOf('day');
    // chrono does its arithmetic on a Date's local fields, so it is handed the meeting's wall
    // clock as a local time and only calendar fields are read back: no server zone leaks in.
    this.#wallNow = new Date(
      startsAt.year,
      startsAt.month - 1,
      startsAt.day,
      startsAt.hour,
      startsAt.minute,
      startsAt.second,
    );
    this.#parser = chrono.casual.clone();
    this.#parser.parsers.unshift(endOfWeek, endOfDay);
  }

  /** The first date in the text that is not before the meeting's day, or null. */
  read(text: string): DueDate | null {
    for (const result of this.#parser.parse(text, this.#wallNow, { forwardDate: true })) {
      // "for a second", "in an hour": a stretch of minutes is not a deadline.
      if (result.tags().has('result/relativeDateAndTime')) continue;
      const day = DateTime.fromObject(
        {
          year: result.start.get('year') ?? this.#today.year,
          month: result.start.get('month') ?? this.#today.month,
          day: result.start.get('day') ?? this.#today.day,
        },
        { zone: this.#today.zone },
      );
      // "what we discussed yesterday" names a date, but not a deadline.
      if (!day.isValid || day < this.#today) continue;
      const leadIn = LEAD_IN.exec(text.slice(0, result.index));
      const index = leadIn ? leadIn.index : result.index;
      return { date: day.toISODate()!, index, length: result.index + result.text.length - index };
    }
    return null;
  }
}

/** "end of the week", "end of next week", "EOW": the Friday of that week. */
const endOfWeek: chrono.Parser = {
  pattern: () =>
    /(?<=^|\W)(?:(?:the\s+)?end\s+of\s+(?:the\s+)?(this\s+|next\s+)?(?:work\s+|business\s+)?week|eow)(?=\W|$)/i,
  extract: (context, match) => {
    const ref = DateTime.fromJSDate(context.refDate);
    const friday = ref.set({ weekday: 5 }).plus({ weeks: /next/i.test(match[1] ?? '') ? 1 : 0 });
    return { year: friday.year, month: friday.month, day: friday.day };
  },
};

/** "end of day", "EOD", "close of business": the meeting's own day. */
const endOfDay: chrono.Parser = {
  pattern: () =>
    /(?<=^|\W)(?:(?:the\s+)?end\s+of\s+(?:the\s+)?(?:business\s+)?day|eod|cob|close\s+of\s+business)(?=\W|$)/i,
  extract: (context) => {
    const ref = context.refDate;
    return { year: ref.getFullYear(), month: ref.getMonth() + 1, day: ref.getDate() };
  },
};
