// Times that people send, bounded at the edge so no request can ask Quorum to compute over
// centuries: every instant lies in [2000, 2100), and each kind of range has a longest span.
//
// Why the refinements check `instanceof Date`: zod runs an object's refinements even when one of
// its fields already failed, and then that field is still the raw input (a string that was not a
// real date, a number), not a Date. The field's own issue is what the person must hear about.
import { z } from 'zod';

const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(2100, 0, 1);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The longest span of each kind of range a person can send. */
export const MAX_SPAN = {
  /** A booking, a meeting, a poll option, a booking-page slot. */
  event: DAY,
  /** The window searched for free times. */
  searchWindow: 62 * DAY,
  /** The window of the week grid (availability overview). */
  overviewWindow: 14 * DAY,
} as const;

/** An ISO 8601 instant with an offset, as a Date between 2000 and 2100. */
export const instant = z.iso
  .datetime({ offset: true })
  .transform((s) => new Date(s))
  .refine((d) => d.getTime() >= EARLIEST && d.getTime() < LATEST, {
    message: 'must be a date between the years 2000 and 2099',
  });

/** An instant on a whole minute (bookings and poll options). */
export const minuteInstant = instant.refine((d) => d.getTime() % 60_000 === 0, {
  message: 'must be on a whole minute',
});

function spanText(ms: number): string {
  return ms % DAY === 0 && ms > DAY ? `${ms / DAY} days` : `${ms / HOUR} hours`;
}

/**
 * Refinements for an object holding a range at `path` (e.g. `['window']` or `[]` for
 * `{start, end}` at the top): end after start, and at most `maxMs` long; `what` names the range
 * in the message ("a booking").
 */
export function boundedRange<T>(
  schema: z.ZodType<T>,
  pick: (value: T) => { start: unknown; end: unknown },
  path: string[],
  maxMs: number,
  what = path.length > 0 ? `the ${path.join('.')}` : 'it',
  fields: [start: string, end: string] = ['start', 'end'],
) {
  const dates = (value: T) => {
    const { start, end } = pick(value);
    return start instanceof Date && end instanceof Date ? { start, end } : null;
  };
  const where = path.length > 0 ? `${path.join('.')}.` : '';
  const [startName, endName] = fields;
  return schema
    .refine(
      (value) => {
        const range = dates(value);
        return !range || range.end > range.start;
      },
      {
        message: `${where}${endName} must be after ${where}${startName}`,
        path: [...path, endName],
      },
    )
    .refine(
      (value) => {
        const range = dates(value);
        return !range || range.end.getTime() - range.start.getTime() <= maxMs;
      },
      {
        message: `${what} may span at most ${spanText(maxMs)}`,
        path: path.length > 0 ? path : [endName],
      },
    );
}

/** How far in the past a booking may start: clocks differ, and "now" takes a moment to send. */
export const PAST_GRACE_MS = HOUR;

/**
 * Refinement for an object whose range must not start in the past (a booking, a poll option):
 * the scheduling core looks for alternatives from now on, and a start weeks ago left it a search
 * window that ends before it begins (a 500).
 */
export function notInThePast<T>(
  schema: z.ZodType<T>,
  pick: (value: T) => unknown,
  path: string[],
  now: () => number = Date.now,
) {
  return schema.refine(
    (value) => {
      const start = pick(value);
      return !(start instanceof Date) || start.getTime() >= now() - PAST_GRACE_MS;
    },
    { message: 'must not be in the past', path },
  );
}
