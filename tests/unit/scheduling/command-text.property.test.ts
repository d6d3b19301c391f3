import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  MAX_ATTENDEES,
  MAX_DURATION_MINUTES,
  parseCommandText,
  type ParsedCommand,
} from '../../../core/scheduling/command-text/index.ts';

const ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/Los_Angeles',
  'America/Sao_Paulo',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'Pacific/Kiritimati',
  'America/St_Johns',
];
const SCHEDULING = new Set(['find', 'book', 'poll', 'followup', 'reschedule']);

const zone = fc.constantFrom(...ZONES);
// Whole minutes between 2024 and 2032, so DST changes of every listed zone are crossed.
const now = fc
  .integer({ min: Date.UTC(2024, 0, 1) / 60_000, max: Date.UTC(2032, 0, 1) / 60_000 })
  .map((minutes) => new Date(minutes * 60_000));

// Pieces of real requests, typos and noise, strung together in any order.
const token = fc.oneof(
  fc.constantFrom(
    'find',
    'book',
    'poll',
    'follow-up',
    'summary',
    'cancel',
    'help',
    'dance',
    '30m',
    '1h',
    '1.5h',
    '1h30',
    'an hour',
    'half an hour',
    '0m',
    '9h',
    'two hours',
    'with',
    '@ana',
    '<@U123ABC|raj>',
    '<mailto:bob@guest.com|bob@guest.com>',
    '<at>Ana Lopez</at>',
    'ana@example.com',
    'tomorrow',
    'today',
    'tonight',
    'next week',
    'this week',
    'last monday',
    'next tue or wed',
    'fridays',
    'mon - wed',
    '2pm',
    'at 3',
    'tomorrow 2-4pm',
    'between 2pm and 4pm',
    'by friday',
    'after 2pm',
    'in 2 hours',
    'afternoons',
    'mornings',
    'pm',
    '"Design review"',
    '"',
    'or',
    'and',
    ',',
  ),
  fc.string({ maxLength: 12 }),
);
const request = fc.array(token, { maxLength: 10 }).map((tokens) => tokens.join(' '));

function checkCommand(command: ParsedCommand, at: Date): void {
  const { start, end } = command.window;
  expect(start.getTime()).toBeLessThan(end.getTime());
  expect(command.durationMinutes).toBeGreaterThanOrEqual(1);
  expect(command.durationMinutes).toBeLessThanOrEqual(MAX_DURATION_MINUTES);
  expect(command.attendees.length).toBeLessThanOrEqual(MAX_ATTENDEES);
  const keys = command.attendees.map((a) =>
    a.kind === 'user' ? `u:${a.ref.toLowerCase()}` : `e:${a.email}`,
  );
  expect(new Set(keys).size).toBe(keys.length);
  if (command.exactStart !== undefined) {
    expect(start).toEqual(command.exactStart);
    expect(end.getTime() - start.getTime()).toBe(command.durationMinutes * 60_000);
  }
  if (SCHEDULING.has(command.verb)) {
    expect(start.getTime()).toBeGreaterThanOrEqual(at.getTime());
    if (command.exactStart === undefined) {
      expect(end.getTime() - start.getTime()).toBeGreaterThanOrEqual(
        command.durationMinutes * 60_000,
      );
    }
  }
  expect(command.understood.length).toBeGreaterThan(0);
}

describe('parseCommandText on any input', () => {
  it('returns a consistent command or a message, and never throws', () => {
    fc.assert(
      fc.property(request, zone, now, (text, timeZone, at) => {
        const result = parseCommandText(text, { now: at, timeZone });
        if (result.ok) checkCommand(result.command, at);
        else {
          expect(result.error.length).toBeGreaterThan(0);
          expect(result.example.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('day-sized windows follow the speaker’s calendar', () => {
  it('"next week" is the next Monday 00:00 to the Monday after, in the speaker’s zone', () => {
    fc.assert(
      fc.property(zone, now, (timeZone, at) => {
        const result = parseCommandText('next week', { now: at, timeZone });
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        const start = DateTime.fromJSDate(result.command.window.start, { zone: timeZone });
        const end = DateTime.fromJSDate(result.command.window.end, { zone: timeZone });
        const today = DateTime.fromJSDate(at, { zone: timeZone }).startOf('day');
        expect(start.weekday).toBe(1);
        expect(start.equals(start.startOf('day'))).toBe(true);
        expect(end.equals(start.plus({ weeks: 1 }))).toBe(true);
        // The first Monday after this week.
        expect(start.diff(today, 'days').days).toBeGreaterThan(0);
        expect(start.diff(today, 'days').days).toBeLessThanOrEqual(7);
      }),
      { numRuns: 200 },
    );
  });

  it('"tomorrow" is the whole next local day', () => {
    fc.assert(
      fc.property(zone, now, (timeZone, at) => {
        const result = parseCommandText('tomorrow', { now: at, timeZone });
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        const local = DateTime.fromJSDate(at, { zone: timeZone });
        const expected = local.startOf('day').plus({ days: 1 });
        expect(result.command.window.start.getTime()).toBe(expected.toMillis());
        expect(result.command.window.end.getTime()).toBe(expected.plus({ days: 1 }).toMillis());
      }),
      { numRuns: 200 },
    );
  });
});
