// A meeting series' rule: weekly, every N weeks, or monthly on an ordinal weekday ("first
// Tuesday", "last Friday"), for a count or until a date. Validated with zod at every edge, so a
// bad rule is a 400 naming its field (infra/http/validate.ts) before anything is written.
import { z } from 'zod';

/** RFC 5545 weekday codes, the same in RRULEs, Graph patterns (by name) and the slots contract. */
export const RULE_WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type RuleWeekday = (typeof RULE_WEEKDAYS)[number];

/**
 * Bounds of one series: enough for two years of weekly meetings, small enough that expanding
 * it, checking free/busy over its span and writing it to four calendar kinds stays one request.
 * The horizon matches the slots contract (a span of at most 400 days).
 */
export const MAX_OCCURRENCES = 60;
export const MAX_HORIZON_DAYS = 400;
export const MAX_WEEKLY_INTERVAL = 8;
export const MAX_MONTHLY_INTERVAL = 6;

const count = z
  .number()
  .int('must be a whole number')
  .min(2, 'a series has at least 2 occurrences')
  .max(MAX_OCCURRENCES, `at most ${MAX_OCCURRENCES} occurrences; book a new series after that`);

const until = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD (in the organizer’s zone)');

const weekly = z.strictObject({
  frequency: z.literal('weekly'),
  interval: z
    .number()
    .int('must be a whole number of weeks')
    .min(1, 'must be at least 1 week')
    .max(MAX_WEEKLY_INTERVAL, `must be at most ${MAX_WEEKLY_INTERVAL} weeks`)
    .default(1),
  count: count.optional(),
  until: until.optional(),
});

const monthly = z.strictObject({
  frequency: z.literal('monthly'),
  interval: z
    .number()
    .int('must be a whole number of months')
    .min(1, 'must be at least 1 month')
    .max(MAX_MONTHLY_INTERVAL, `must be at most ${MAX_MONTHLY_INTERVAL} months`)
    .default(1),
  weekday: z.enum(RULE_WEEKDAYS, { error: `must be one of ${RULE_WEEKDAYS.join(', ')}` }),
  ordinal: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(-1)], {
    error: 'must be 1, 2, 3, 4 (first to fourth) or -1 (last)',
  }),
  count: count.optional(),
  until: until.optional(),
});

/** Exactly one of `count` and `until` ends the series: an endless series is not booked. */
export const recurrenceRuleSchema = z
  .discriminatedUnion('frequency', [weekly, monthly], {
    error: 'frequency must be "weekly" or "monthly"',
  })
  .superRefine((rule, ctx) => {
    if ((rule.count === undefined) === (rule.until === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['count'],
        message: 'give exactly one of count (e.g. 8) or until (e.g. "2027-03-31")',
      });
    }
  });

export type RecurrenceRule = z.infer<typeof recurrenceRuleSchema>;

/**
 * A rule that broke a bound only visible once expanded (a series running past the horizon, a
 * first occurrence not on its rule's day); `field` is the path to name in the 400.
 */
export class RecurrenceError extends Error {
  override name = 'RecurrenceError';
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}

/** The rule as people say it back: "every 2 weeks, 8 times", "monthly on the last Friday". */
export function describeRule(rule: RecurrenceRule): string {
  const days = {
    MO: 'Monday',
    TU: 'Tuesday',
    WE: 'Wednesday',
    TH: 'Thursday',
    FR: 'Friday',
    SA: 'Saturday',
    SU: 'Sunday',
  };
  const ordinals = { 1: 'first', 2: 'second', 3: 'third', 4: 'fourth', [-1]: 'last' } as Record<
    number,
    string
  >;
  const every =
    rule.frequency === 'weekly'
      ? rule.interval === 1
        ? 'weekly'
        : `every ${rule.interval} weeks`
      : `${rule.interval === 1 ? 'monthly' : `every ${rule.interval} months`} on the ${ordinals[rule.ordinal]} ${days[rule.weekday]}`;
  const end = rule.count !== undefined ? `${rule.count} times` : `until ${rule.until}`;
  return `${every}, ${end}`;
}
