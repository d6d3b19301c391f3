import { describe, expect, it } from 'vitest';
import {
  parseCommandText,
  type ParsedCommand,
} from '../../../core/scheduling/command-text/index.ts';

// Wednesday 18 March 2026, 11:00 in Berlin.
const ctx = { now: new Date('2026-03-18T10:00:00Z'), timeZone: 'Europe/Berlin' };

function parsed(text: string): ParsedCommand {
  const result = parseCommandText(text, ctx);
  if (!result.ok) throw new Error(result.error);
  return result.command;
}

function refused(text: string): string {
  const result = parseCommandText(text, ctx);
  if (result.ok) throw new Error(`accepted: ${JSON.stringify(result.command.recurrence)}`);
  return result.error;
}

describe('repetition in command text', () => {
  it('reads "every other Tuesday" as every two weeks, searching Tuesdays', () => {
    const command = parsed('find 30m with @raj every other Tuesday for 8 weeks');
    expect(command.recurrence).toEqual({ frequency: 'weekly', interval: 2, count: 4 });
    expect(command.preferences.days).toEqual(['tue']);
    expect(command.durationMinutes).toBe(30);
    expect(command.ignored).toEqual([]);
    expect(command.understood).toContain('repeats: every 2 weeks, 4 times');
  });

  it('reads "weekly for 8 weeks", "6 times" and the Slack form "/meet weekly 30m with @raj @maya"', () => {
    expect(parsed('weekly for 8 weeks 45m with @ana').recurrence).toEqual({
      frequency: 'weekly',
      interval: 1,
      count: 8,
    });
    expect(parsed('every 3 weeks 6 times').recurrence).toEqual({
      frequency: 'weekly',
      interval: 3,
      count: 6,
    });
    const slack = parsed('weekly 30m with <@U1RAJ> <@U2MAYA>');
    expect(slack.recurrence).toEqual({ frequency: 'weekly', interval: 1, count: 12 });
    expect(slack.attendees).toHaveLength(2);
    expect(slack.understood).toContain('repeats: weekly, 12 times (default)');
    expect(slack.ignored).toEqual([]);
  });

  it('reads "monthly on the first Monday" and "every last Friday until …"', () => {
    const first = parsed('book 1h monthly on the first Monday for 6 months');
    expect(first.recurrence).toEqual({
      frequency: 'monthly',
      interval: 1,
      weekday: 'MO',
      ordinal: 1,
      count: 6,
    });
    expect(first.preferences.days).toEqual(['mon']);
    const last = parsed('every last friday of the month until 30 September');
    expect(last.recurrence).toEqual({
      frequency: 'monthly',
      interval: 1,
      weekday: 'FR',
      ordinal: -1,
      until: '2026-09-30',
    });
  });

  it('leaves "until friday" alone when nothing repeats', () => {
    const command = parsed('find 30m with @ana until friday');
    expect(command.recurrence).toBeUndefined();
    expect(command.window.end.toISOString()).toBe('2026-03-20T23:00:00.000Z');
  });

  it.each([
    ['find 30m monthly with @ana', /which weekday of the month/],
    ['weekly every other tuesday', /how often once/],
    ['weekly for 8 weeks 10 times', /when the series ends/],
    ['weekly for 1 week', /single meeting/],
    ['weekly 200 times', /at most 60/],
    ['weekly until someday soon', /date after "until"/],
  ])('refuses %j clearly', (text, message) => {
    expect(refused(text)).toMatch(message);
  });
});
