// The JSON slot request (the `quorum slots` contract) checked with zod and turned into a
// SlotSearch; anything wrong becomes one line naming the field.
import { z } from 'zod';
import {
  BUSY_STATUSES,
  PARTS_OF_DAY,
  WEEKDAYS,
  WORKING_HOURS_MODES,
  type SlotSearch,
} from './types.ts';
import { recurrenceRuleSchema } from '../recurrence/rule.ts';
import { seriesBoundsError } from './series.ts';
import { parseClock } from './working-hours.ts';
import { isKnownTimeZone, ZoneTimeline } from './zone-timeline.ts';

export const MAX_ATTENDEES = 1_000;
export const MAX_WINDOW_DAYS = 62;
const MAX_MINUTES = 24 * 60;

const timeZone = z.string().superRefine((name, ctx) => {
  if (!isKnownTimeZone(name)) {
    ctx.addIssue({ code: 'custom', message: `unknown time zone ${JSON.stringify(name)}` });
  }
});

const instant = z.iso
  .datetime({
    offset: true,
    error: (issue) =>
      typeof issue.input === 'string'
        ? `${JSON.stringify(issue.input)} is not an ISO 8601 date-time with a zone, e.g. 2026-03-23T14:00:00Z`
        : undefined,
  })
  .transform((text) => Date.parse(text));

function clock(allowEndOfDay: boolean) {
  return z.string().superRefine((text, ctx) => {
    try {
      parseClock(text, allowEndOfDay);
    } catch {
      const range = allowEndOfDay ? '00:00 to 24:00' : '00:00 to 23:59';
      ctx.addIssue({
        code: 'custom',
        message: `${JSON.stringify(text)} is not a time of day HH:MM (${range})`,
      });
    }
  });
}

const weekday = z.enum(WEEKDAYS);

const workingHoursRule = z
  .strictObject({ days: z.array(weekday).min(1), start: clock(false), end: clock(true) })
  .superRefine((rule, ctx) => {
    let same: boolean;
    try {
      same = parseClock(rule.start) === parseClock(rule.end, true);
    } catch {
      return; // the field checks have said what is wrong
    }
    // Equal ends are ambiguous (nothing, or a whole day?): ask for 00:00–24:00 instead.
    if (same) {
      ctx.addIssue({
        code: 'custom',
        path: ['end'],
        message: 'must differ from start (write 00:00 to 24:00 for a whole day)',
      });
    }
  });

const busyInterval = z
  .strictObject({ start: instant, end: instant, status: z.enum(BUSY_STATUSES).default('busy') })
  .superRefine((busy, ctx) => {
    if (busy.end < busy.start) {
      ctx.addIssue({ code: 'custom', path: ['end'], message: 'must not be before start' });
    }
  });

/** Every day, in the attendee's zone; an end before the start crosses midnight. */
export const acceptableHours = z
  .strictObject({ start: clock(false), end: clock(true) })
  .superRefine((hours, ctx) => {
    let same: boolean;
    try {
      same = parseClock(hours.start) % 1440 === parseClock(hours.end, true) % 1440;
    } catch {
      return; // the field checks have said what is wrong
    }
    if (same) {
      ctx.addIssue({
        code: 'custom',
        path: ['end'],
        message: 'must differ from start (leave acceptableHours out to accept any time)',
      });
    }
  });

const attendee = z.strictObject({
  id: z.string().min(1),
  timeZone,
  optional: z.boolean().default(false),
  workingHours: z.array(workingHoursRule).default([]),
  acceptableHours: acceptableHours.optional(),
  busy: z.array(busyInterval).default([]),
});

const minutes = (min: number, max: number) => z.int().min(min).max(max);

/**
 * The shared series rule (recurrence/rule.ts: weekly every N weeks, or monthly on an ordinal
 * weekday every N months), ended by a count: the contract numbers its occurrences, so `until`
 * is refused here, before the shared rule would offer it.
 */
const recurrence = z
  .unknown()
  .superRefine((value, ctx) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
    if ('until' in value) {
      ctx.addIssue({
        code: 'custom',
        path: ['until'],
        message: 'not taken by quorum slots; give count (the number of occurrences) instead',
      });
    } else if (!('count' in value)) {
      ctx.addIssue({
        code: 'custom',
        path: ['count'],
        message: 'is required: the number of occurrences, e.g. 8',
      });
    }
  })
  .pipe(recurrenceRuleSchema);

const slotRequest = z
  .strictObject({
    timeZone,
    window: z.strictObject({ start: instant, end: instant }).superRefine((window, ctx) => {
      if (window.end <= window.start) {
        ctx.addIssue({ code: 'custom', path: ['end'], message: 'must be after window.start' });
      } else if (window.end - window.start > MAX_WINDOW_DAYS * 86_400_000) {
        ctx.addIssue({
          code: 'custom',
          path: ['end'],
          message: `must be at most ${MAX_WINDOW_DAYS} days after window.start`,
        });
      }
    }),
    durationMinutes: minutes(1, MAX_MINUTES),
    granularityMinutes: minutes(1, MAX_MINUTES).default(15),
    bufferMinutes: minutes(0, MAX_MINUTES).default(0),
    minNoticeMinutes: minutes(0, MAX_WINDOW_DAYS * MAX_MINUTES).default(0),
    now: instant.optional(),
    limit: minutes(1, 1_000).default(10),
    attendees: z.array(attendee).min(1).max(MAX_ATTENDEES),
    preferences: z
      .strictObject({
        partOfDay: z.enum(PARTS_OF_DAY).optional(),
        days: z.array(weekday).optional(),
      })
      .optional(),
    workingHours: z.enum(WORKING_HOURS_MODES).default('required'),
    recurrence: recurrence.optional(),
  })
  .superRefine((request, ctx) => {
    const seen = new Set<string>();
    request.attendees.forEach((attendee, index) => {
      if (seen.has(attendee.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['attendees', index, 'id'],
          message: `duplicate attendee id ${JSON.stringify(attendee.id)}`,
        });
      }
      seen.add(attendee.id);
    });
  });

/** Friendlier wording for zod's generic issues; specific checks above carry their own. */
const errorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return issue.expected === 'int'
        ? 'must be a whole number'
        : `must be ${/^[aeio]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}, not ${describeValue(issue.input)}`;
    case 'invalid_value':
      return `${JSON.stringify(issue.input)} is not one of ${issue.values.join(', ')}`;
    case 'too_small':
      if (issue.origin === 'array') return `must have at least ${issue.minimum} item(s)`;
      if (issue.origin === 'string') return 'must not be empty';
      return `must be at least ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'array') return `must have at most ${issue.maximum} items`;
      return `must be at most ${issue.maximum}`;
    default:
      return undefined;
  }
};

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function fieldPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text === '' ? 'request' : text;
}

function issueLine(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return `${fieldPath([...issue.path, issue.keys[0] ?? ''])}: unknown field; remove it (fields are case-sensitive)`;
  }
  return `${fieldPath(issue.path)}: ${issue.message}`;
}

export type SlotRequestResult =
  { ok: true; search: SlotSearch; limit: number } | { ok: false; error: string };

/** Checks a parsed JSON request; `now` stands in when the request gives none. */
export function parseSlotRequest(input: unknown, now: number): SlotRequestResult {
  const parsed = slotRequest.safeParse(input, { error: errorMap });
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { ok: false, error: first ? issueLine(first) : 'request: invalid' };
  }
  const request = parsed.data;
  if (request.recurrence) {
    const timeline = new ZoneTimeline(request.timeZone, request.window.start, request.window.end);
    const error = seriesBoundsError(
      request.recurrence,
      timeline,
      request.window.start,
      request.window.end,
    );
    if (error) return { ok: false, error };
  }
  return {
    ok: true,
    limit: request.limit,
    search: {
      timeZone: request.timeZone,
      windowStart: request.window.start,
      windowEnd: request.window.end,
      durationMinutes: request.durationMinutes,
      granularityMinutes: request.granularityMinutes,
      bufferMinutes: request.bufferMinutes,
      minNoticeMinutes: request.minNoticeMinutes,
      now: request.now ?? now,
      attendees: request.attendees.map(({ acceptableHours, ...rest }) =>
        acceptableHours ? { ...rest, acceptableHours } : rest,
      ),
      ...(request.preferences ? { preferences: request.preferences } : {}),
      workingHours: request.workingHours,
      ...(request.recurrence ? { recurrence: request.recurrence } : {}),
    },
  };
}
