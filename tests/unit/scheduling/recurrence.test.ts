import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  expandSeries,
  firstMeetingWindow,
  occurrencesOf,
  recurrenceRuleSchema,
  RecurrenceError,
  ruleEndingBefore,
  toRRule,
  wallClockInstant,
  type RecurrenceRule,
} from '../../../core/scheduling/recurrence/index.ts';

const rule = (input: unknown): RecurrenceRule => recurrenceRuleSchema.parse(input);
const local = (d: Date, zone: string) =>
  DateTime.fromJSDate(d, { zone }).toFormat('ccc yyyy-LL-dd HH:mm ZZ');

describe('recurrence rule', () => {
  it('takes weekly, every N weeks and monthly-by-weekday rules, with a default interval', () => {
    expect(rule({ frequency: 'weekly', count: 8 })).toEqual({
      frequency: 'weekly',
      interval: 1,
      count: 8,
    });
    expect(
      rule({ frequency: 'monthly', weekday: 'TU', ordinal: -1, until: '2027-06-30' }).interval,
    ).toBe(1);
  });

  it.each([
    [{ frequency: 'weekly' }, 'count', 'exactly one of count'],
    [{ frequency: 'weekly', count: 8, until: '2027-01-01' }, 'count', 'exactly one of count'],
    [{ frequency: 'weekly', count: 500 }, 'count', 'at most 60'],
    [{ frequency: 'weekly', interval: 0, count: 3 }, 'interval', 'at least 1'],
    [{ frequency: 'daily', count: 3 }, 'frequency', 'weekly'],
    [{ frequency: 'monthly', weekday: 'XX', ordinal: 1, count: 3 }, 'weekday', 'MO'],
    [{ frequency: 'monthly', weekday: 'TU', ordinal: 5, count: 3 }, 'ordinal', '-1'],
    [{ frequency: 'weekly', until: '31/12/2026' }, 'until', 'YYYY-MM-DD'],
  ])('refuses %j naming the field', (input, field, words) => {
    const result = recurrenceRuleSchema.safeParse(input);
    expect(result.success).toBe(false);
    const issue = result.error!.issues[0]!;
    expect(issue.path.join('.')).toBe(field);
    expect(issue.message).toContain(words);
  });
});

describe('expanding a series', () => {
  it('keeps 09:00 in Berlin across the March and October changes', () => {
    // Tuesdays from 17 March 2026 (CET) past 29 March (CEST) ... past 25 October (CET again).
    const start = new Date('2026-03-17T08:00:00Z');
    const weekly = expandSeries({
      rule: rule({ frequency: 'weekly', until: '2026-11-03' }),
      timeZone: 'Europe/Berlin',
      start,
      durationMinutes: 30,
    });
    expect(weekly).toHaveLength(34);
    for (const o of weekly) {
      expect(DateTime.fromJSDate(o.start, { zone: 'Europe/Berlin' }).toFormat('ccc HH:mm')).toBe(
        'Tue 09:00',
      );
      expect(o.end.getTime() - o.start.getTime()).toBe(30 * 60_000);
    }
    expect(weekly[1]!.start.toISOString()).toBe('2026-03-24T08:00:00.000Z');
    expect(weekly[2]!.start.toISOString()).toBe('2026-03-31T07:00:00.000Z');
    expect(weekly.at(-1)!.start.toISOString()).toBe('2026-11-03T08:00:00.000Z');
  });

  it('keeps 10:00 in New York across the March and November changes, every other week', () => {
    const start = new Date('2026-02-24T15:00:00Z'); // Tue 10:00 EST
    const series = expandSeries({
      rule: rule({ frequency: 'weekly', interval: 2, count: 22 }),
      timeZone: 'America/New_York',
      start,
      durationMinutes: 45,
    });
    const hours = series.map((o) => local(o.start, 'America/New_York'));
    expect(new Set(hours.map((h) => h.slice(15)))).toEqual(
      new Set(['10:00 -05:00', '10:00 -04:00']),
    );
    expect(hours[1]).toBe('Tue 2026-03-10 10:00 -04:00');
    expect(hours.at(-1)).toBe('Tue 2026-12-15 10:00 -05:00');
  });

  it('puts a skipped wall time forward by the gap and a repeated one at the earlier instant', () => {
    const date = (day: number, month: number) => ({ year: 2026, month, day });
    expect(
      wallClockInstant(date(8, 3), { hour: 2, minute: 30 }, 'America/New_York').toISOString(),
    ).toBe('2026-03-08T07:30:00.000Z');
    expect(
      wallClockInstant(date(1, 11), { hour: 1, minute: 30 }, 'America/New_York').toISOString(),
    ).toBe('2026-11-01T05:30:00.000Z');
    expect(
      wallClockInstant(date(25, 10), { hour: 2, minute: 30 }, 'Europe/Berlin').toISOString(),
    ).toBe('2026-10-25T00:30:00.000Z');
    // Lord Howe moves by half an hour: 02:15 on 5 April 2026 happens twice (+11 then +10:30).
    expect(
      wallClockInstant(date(5, 4), { hour: 1, minute: 45 }, 'Australia/Lord_Howe').toISOString(),
    ).toBe('2026-04-04T14:45:00.000Z');
  });

  it('puts a monthly series on the first Monday and the last Friday of each month', () => {
    const first = expandSeries({
      rule: rule({ frequency: 'monthly', weekday: 'MO', ordinal: 1, count: 4 }),
      timeZone: 'Europe/Berlin',
      start: new Date('2026-09-07T12:00:00Z'),
      durationMinutes: 60,
    });
    expect(first.map((o) => local(o.start, 'Europe/Berlin'))).toEqual([
      'Mon 2026-09-07 14:00 +02:00',
      'Mon 2026-10-05 14:00 +02:00',
      'Mon 2026-11-02 14:00 +01:00',
      'Mon 2026-12-07 14:00 +01:00',
    ]);
    const last = expandSeries({
      rule: rule({
        frequency: 'monthly',
        weekday: 'FR',
        ordinal: -1,
        interval: 2,
        until: '2027-03-31',
      }),
      timeZone: 'America/New_York',
      start: new Date('2026-10-30T13:00:00Z'),
      durationMinutes: 30,
    });
    expect(last.map((o) => local(o.start, 'America/New_York').slice(0, 14))).toEqual([
      'Fri 2026-10-30',
      'Fri 2026-12-25',
      'Fri 2027-02-26',
    ]);
  });

  it('refuses a monthly first occurrence that is not on its rule’s day, and a series past 400 days', () => {
    const wrongDay = () =>
      expandSeries({
        rule: rule({ frequency: 'monthly', weekday: 'TU', ordinal: 1, count: 3 }),
        timeZone: 'Europe/Berlin',
        start: new Date('2026-09-08T08:00:00Z'),
        durationMinutes: 30,
      });
    expect(wrongDay).toThrow(RecurrenceError);
    expect(wrongDay).toThrow(
      /^recurrence\.ordinal: .*Tue 1 Sept 2026|^recurrence\.ordinal: .*Tue 1 Sep 2026/,
    );
    const tooLong = () =>
      expandSeries({
        rule: rule({ frequency: 'weekly', interval: 8, count: 60 }),
        timeZone: 'UTC',
        start: new Date('2026-01-06T08:00:00Z'),
        durationMinutes: 30,
      });
    expect(tooLong).toThrow(/^recurrence\.count: .*400 days/);
    const until = () =>
      expandSeries({
        rule: rule({ frequency: 'weekly', until: '2026-01-01' }),
        timeZone: 'UTC',
        start: new Date('2026-01-06T08:00:00Z'),
        durationMinutes: 30,
      });
    expect(until).toThrow(/^recurrence\.until: .*before the first/);
  });

  it('applies cancelled and moved occurrences, and cuts the rule before an occurrence', () => {
    const spec = {
      rule: rule({ frequency: 'weekly', count: 4 }),
      timeZone: 'Europe/Berlin',
      start: new Date('2026-10-20T07:00:00Z'),
      durationMinutes: 30,
    };
    const all = expandSeries(spec);
    const moved = {
      original: all[1]!.start,
      start: new Date('2026-10-28T13:00:00Z'),
      end: new Date('2026-10-28T13:30:00Z'),
    };
    const seen = occurrencesOf(spec, { cancelled: [all[2]!.start], moved: [moved] });
    expect(seen.map((o) => o.status)).toEqual(['scheduled', 'moved', 'cancelled', 'scheduled']);
    expect(seen[1]!.start).toEqual(moved.start);
    expect(ruleEndingBefore(spec, all[2]!.start)).toEqual({
      frequency: 'weekly',
      interval: 1,
      until: '2026-10-27',
    });
  });

  it('searches a monthly series’ first meeting up to its second rule day', () => {
    // From 16 March 2026 the next first Mondays are 6 April and 4 May (Berlin, summer time).
    const window = {
      start: new Date('2026-03-16T00:00:00Z'),
      end: new Date('2026-03-23T00:00:00Z'),
    };
    const monthly = rule({ frequency: 'monthly', weekday: 'MO', ordinal: 1, count: 6 });
    expect(firstMeetingWindow(monthly, window, 'Europe/Berlin')).toEqual({
      start: window.start,
      end: new Date('2026-05-04T22:00:00Z'),
    });
    // The third Monday is 16 March itself, then 20 April; a weekly series keeps its window.
    const third = rule({ frequency: 'monthly', weekday: 'MO', ordinal: 3, count: 6 });
    expect(firstMeetingWindow(third, window, 'Europe/Berlin').end).toEqual(
      new Date('2026-04-20T22:00:00Z'),
    );
    expect(firstMeetingWindow(rule({ frequency: 'weekly', count: 3 }), window, 'UTC')).toBe(window);
  });

  it('writes the RRULE calendars take', () => {
    const spec = {
      timeZone: 'Europe/Berlin',
      start: new Date('2026-03-17T08:00:00Z'),
      durationMinutes: 30,
    };
    expect(toRRule({ ...spec, rule: rule({ frequency: 'weekly', interval: 2, count: 8 }) })).toBe(
      'FREQ=WEEKLY;INTERVAL=2;COUNT=8',
    );
    expect(toRRule({ ...spec, rule: rule({ frequency: 'weekly', until: '2026-04-07' }) })).toBe(
      'FREQ=WEEKLY;UNTIL=20260407T070000Z',
    );
    expect(
      toRRule({
        ...spec,
        start: new Date('2026-03-03T08:00:00Z'),
        rule: rule({ frequency: 'monthly', weekday: 'TU', ordinal: 1, count: 6 }),
      }),
    ).toBe('FREQ=MONTHLY;BYDAY=1TU;COUNT=6');
  });
});
