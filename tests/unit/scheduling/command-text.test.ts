import { describe, expect, it } from 'vitest';
import {
  formatUnderstood,
  parseCommandText,
  type Mention,
  type ParseContext,
  type ParsedCommand,
  type PartOfDay,
  type Verb,
  type WeekdayName,
} from '../../../core/scheduling/command-text/index.ts';

// Wednesday 18 March 2026: 11:00 in Berlin (CET, +01:00), 03:00 in Los Angeles (PDT, -07:00),
// 15:45 in Kathmandu (+05:45). Berlin moves to CEST (+02:00) on Sunday 29 March at 02:00.
const NOW = new Date('2026-03-18T10:00:00Z');
const BERLIN = 'Europe/Berlin';
const LA = 'America/Los_Angeles';
const KATHMANDU = 'Asia/Kathmandu';

const user = (ref: string): Mention => ({ kind: 'user', ref });
const email = (address: string): Mention => ({ kind: 'email', email: address });

interface Accepted {
  text: string;
  zone?: string;
  now?: string;
  defaultDurationMinutes?: number;
  verb?: Verb;
  duration?: number;
  window: [string, string];
  exactStart?: string;
  attendees?: Mention[];
  partOfDay?: PartOfDay;
  days?: WeekdayName[];
  title?: string;
  ignored?: string[];
}

// In Berlin unless a zone is given; instants are UTC.
const DEFAULT_WINDOW: [string, string] = ['2026-03-18T10:00:00.000Z', '2026-03-25T10:00:00.000Z'];
const NEXT_WEEK_BERLIN: [string, string] = ['2026-03-22T23:00:00.000Z', '2026-03-29T22:00:00.000Z'];
const TOMORROW_BERLIN: [string, string] = ['2026-03-18T23:00:00.000Z', '2026-03-19T23:00:00.000Z'];
const REST_OF_TODAY_BERLIN: [string, string] = [
  '2026-03-18T10:00:00.000Z',
  '2026-03-18T23:00:00.000Z',
];
const exactly = (start: string, minutes = 30): Pick<Accepted, 'window' | 'exactStart'> => ({
  exactStart: start,
  window: [start, new Date(Date.parse(start) + minutes * 60_000).toISOString()],
});

const ACCEPTED: Accepted[] = [
  // The phrasings from the brief.
  {
    text: 'find 30m with @ana @raj next week afternoons',
    window: NEXT_WEEK_BERLIN,
    attendees: [user('ana'), user('raj')],
    partOfDay: 'afternoon',
  },
  {
    text: '1h tomorrow 2pm with ana@example.com',
    duration: 60,
    ...exactly('2026-03-19T13:00:00.000Z', 60),
    attendees: [email('ana@example.com')],
  },
  {
    text: 'follow-up friday',
    verb: 'followup',
    window: ['2026-03-19T23:00:00.000Z', '2026-03-20T23:00:00.000Z'],
  },
  {
    text: 'poll 45 min with bob@guest.com next tue or wed mornings',
    verb: 'poll',
    duration: 45,
    window: ['2026-03-23T23:00:00.000Z', '2026-03-25T23:00:00.000Z'],
    attendees: [email('bob@guest.com')],
    partOfDay: 'morning',
    days: ['tue', 'wed'],
  },
  {
    text: 'book 2pm thursday with @ana for 1 hour',
    verb: 'book',
    duration: 60,
    ...exactly('2026-03-19T13:00:00.000Z', 60),
    attendees: [user('ana')],
  },

  // Durations.
  { text: '30m with @ana', window: DEFAULT_WINDOW, attendees: [user('ana')] },
  { text: '30 min', window: DEFAULT_WINDOW },
  { text: '45 minutes', duration: 45, window: DEFAULT_WINDOW },
  { text: '1h', duration: 60, window: DEFAULT_WINDOW },
  { text: '1.5h', duration: 90, window: DEFAULT_WINDOW },
  { text: '1h30', duration: 90, window: DEFAULT_WINDOW },
  { text: '1h 15m', duration: 75, window: DEFAULT_WINDOW },
  { text: '1 hour and 30 minutes', duration: 90, window: DEFAULT_WINDOW },
  { text: '90m', duration: 90, window: DEFAULT_WINDOW },
  { text: '2 hrs', duration: 120, window: DEFAULT_WINDOW },
  { text: 'an hour', duration: 60, window: DEFAULT_WINDOW },
  { text: 'half an hour', duration: 30, window: DEFAULT_WINDOW },
  { text: 'an hour and a half', duration: 90, window: DEFAULT_WINDOW },
  { text: 'two hours with @ana', duration: 120, window: DEFAULT_WINDOW, attendees: [user('ana')] },
  { text: 'forty-five minutes', duration: 45, window: DEFAULT_WINDOW },
  { text: 'a 90-minute sync', duration: 90, window: DEFAULT_WINDOW },
  { text: '8h', duration: 480, window: DEFAULT_WINDOW },
  { text: '1 min', duration: 1, window: DEFAULT_WINDOW },
  { text: '30m, yes 30 minutes', window: DEFAULT_WINDOW, ignored: ['yes'] },
  {
    text: 'with @ana',
    defaultDurationMinutes: 45,
    duration: 45,
    window: DEFAULT_WINDOW,
    attendees: [user('ana')],
  },

  // Mentions, as each platform sends them.
  {
    text: '<@U123ABC> <@U456DEF|raj> 30m',
    window: DEFAULT_WINDOW,
    attendees: [user('U123ABC'), user('U456DEF')],
  },
  {
    text: 'with <mailto:Ana@Example.com|Ana@Example.com> tomorrow',
    window: TOMORROW_BERLIN,
    attendees: [email('ana@example.com')],
  },
  {
    text: '<at>Ana Lopez</at> and <at>Raj</at> tomorrow',
    window: TOMORROW_BERLIN,
    attendees: [user('Ana Lopez'), user('Raj')],
  },
  {
    text: 'with @ana, @ana.lopez and @raj_k.',
    window: DEFAULT_WINDOW,
    attendees: [user('ana'), user('ana.lopez'), user('raj_k')],
  },
  {
    text: '@ana @Ana ana@example.com ANA@example.com <mailto:ana@example.com|ana>',
    window: DEFAULT_WINDOW,
    attendees: [user('ana'), email('ana@example.com')],
  },

  // Date phrases.
  { text: 'tomorrow', window: TOMORROW_BERLIN },
  { text: 'today', window: REST_OF_TODAY_BERLIN },
  { text: 'this week', window: ['2026-03-18T10:00:00.000Z', '2026-03-22T23:00:00.000Z'] },
  { text: 'next month', window: ['2026-03-31T22:00:00.000Z', '2026-04-30T22:00:00.000Z'] },
  { text: 'in 2 weeks', window: ['2026-03-29T22:00:00.000Z', '2026-04-05T22:00:00.000Z'] },
  { text: 'this weekend', window: ['2026-03-20T23:00:00.000Z', '2026-03-22T23:00:00.000Z'] },
  { text: 'april 3', window: ['2026-04-02T22:00:00.000Z', '2026-04-03T22:00:00.000Z'] },
  {
    text: 'next tuesday pm',
    window: ['2026-03-23T23:00:00.000Z', '2026-03-24T23:00:00.000Z'],
    partOfDay: 'afternoon',
  },
  { text: 'mon - wed', window: ['2026-03-22T23:00:00.000Z', '2026-03-25T23:00:00.000Z'] },
  { text: 'tomorrow 2-4pm', window: ['2026-03-19T13:00:00.000Z', '2026-03-19T15:00:00.000Z'] },
  {
    text: 'between 2pm and 4pm tomorrow',
    window: ['2026-03-19T13:00:00.000Z', '2026-03-19T15:00:00.000Z'],
  },
  { text: 'by friday', window: ['2026-03-18T10:00:00.000Z', '2026-03-20T23:00:00.000Z'] },
  { text: 'before 3pm', window: ['2026-03-18T10:00:00.000Z', '2026-03-18T14:00:00.000Z'] },
  {
    text: 'after 2pm tomorrow',
    window: ['2026-03-19T13:00:00.000Z', '2026-03-19T23:00:00.000Z'],
  },
  { text: 'in 2 hours', ...exactly('2026-03-18T12:00:00.000Z') },
  { text: '3pm EST tomorrow', ...exactly('2026-03-19T20:00:00.000Z') },
  // A bare hour is afternoon for a meeting, and today while it is still ahead.
  { text: 'at 3', ...exactly('2026-03-18T14:00:00.000Z') },
  {
    text: 'tomorrow at 9 in the morning',
    ...exactly('2026-03-19T08:00:00.000Z'),
    partOfDay: 'morning',
  },
  {
    text: 'tomorrow at 8 evening',
    ...exactly('2026-03-19T19:00:00.000Z'),
    partOfDay: 'evening',
  },
  { text: 'tonight', window: REST_OF_TODAY_BERLIN, partOfDay: 'evening' },
  { text: 'this afternoon', window: REST_OF_TODAY_BERLIN, partOfDay: 'afternoon' },

  // Several days: a preference, searched across the days named.
  {
    text: 'tue or wed',
    window: ['2026-03-18T10:00:00.000Z', '2026-03-24T23:00:00.000Z'],
    days: ['tue', 'wed'],
  },
  {
    text: 'mon, wed and fri',
    window: ['2026-03-18T10:00:00.000Z', '2026-03-23T23:00:00.000Z'],
    days: ['mon', 'wed', 'fri'],
  },
  {
    text: 'tue or wed next week',
    window: ['2026-03-23T23:00:00.000Z', '2026-03-25T23:00:00.000Z'],
    days: ['tue', 'wed'],
  },
  { text: 'tuesdays and thursdays 1h', duration: 60, window: DEFAULT_WINDOW, days: ['tue', 'thu'] },

  // Verbs, aliases and titles.
  { text: 'schedule 30m with @ana', window: DEFAULT_WINDOW, attendees: [user('ana')] },
  { text: 'please book 2pm thursday', verb: 'book', ...exactly('2026-03-19T13:00:00.000Z') },
  { text: 'Follow up next week', verb: 'followup', window: NEXT_WEEK_BERLIN },
  { text: 'help', verb: 'help', window: DEFAULT_WINDOW },
  { text: 'cancel tomorrow 2pm', verb: 'cancel', ...exactly('2026-03-19T13:00:00.000Z') },
  // Summaries look back: their windows may lie in the past and are not cut at now.
  {
    text: 'summary last monday',
    verb: 'summary',
    window: ['2026-03-15T23:00:00.000Z', '2026-03-16T23:00:00.000Z'],
  },
  {
    text: 'summarize today',
    verb: 'summary',
    window: ['2026-03-17T23:00:00.000Z', '2026-03-18T23:00:00.000Z'],
  },
  {
    text: 'reschedule "Design review" to next week',
    verb: 'reschedule',
    window: NEXT_WEEK_BERLIN,
    title: 'Design review',
  },
  {
    text: '“Budget sync” 45m friday with @ana',
    duration: 45,
    window: ['2026-03-19T23:00:00.000Z', '2026-03-20T23:00:00.000Z'],
    attendees: [user('ana')],
    title: 'Budget sync',
  },
  { text: '"R&amp;D review" tomorrow', window: TOMORROW_BERLIN, title: 'R&D review' },
  {
    text: '30m with @ana about budget',
    window: DEFAULT_WINDOW,
    attendees: [user('ana')],
    ignored: ['about', 'budget'],
  },

  // Other zones: Los Angeles (03:00 PDT) and Kathmandu (15:45, +05:45).
  { text: 'tomorrow 2pm', zone: LA, ...exactly('2026-03-19T21:00:00.000Z') },
  { text: 'next week', zone: LA, window: ['2026-03-23T07:00:00.000Z', '2026-03-30T07:00:00.000Z'] },
  { text: '9am', zone: LA, ...exactly('2026-03-18T16:00:00.000Z') },
  {
    text: 'tomorrow',
    zone: KATHMANDU,
    window: ['2026-03-18T18:15:00.000Z', '2026-03-19T18:15:00.000Z'],
  },
  // 9am has passed in Kathmandu, so it is tomorrow's.
  { text: '9am', zone: KATHMANDU, ...exactly('2026-03-19T03:15:00.000Z') },
  {
    text: 'next week afternoons',
    zone: KATHMANDU,
    window: ['2026-03-22T18:15:00.000Z', '2026-03-29T18:15:00.000Z'],
    partOfDay: 'afternoon',
  },
  // It is already Thursday 19 March on Kiritimati (+14:00).
  {
    text: 'tomorrow',
    zone: 'Pacific/Kiritimati',
    window: ['2026-03-19T10:00:00.000Z', '2026-03-20T10:00:00.000Z'],
  },

  // Across DST changes: wall-clock times are kept, whatever the offset when the text was read.
  // Los Angeles springs forward on Sunday 8 March: 2pm that day is PDT, not PST.
  {
    text: 'tomorrow 2pm',
    zone: LA,
    now: '2026-03-07T20:00:00Z',
    ...exactly('2026-03-08T21:00:00.000Z'),
  },
  // Berlin's Sunday 29 March has 23 hours; 10am is CEST.
  {
    text: 'tomorrow',
    now: '2026-03-28T10:00:00Z',
    window: ['2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z'],
  },
  { text: 'tomorrow 10am', now: '2026-03-28T10:00:00Z', ...exactly('2026-03-29T08:00:00.000Z') },
  // "in 2 hours" is elapsed time: Havana skips from 00:00 to 01:00 on Sunday 8 March, so
  // Saturday 23:30 CST + 2 h is 02:30 CDT. (Havana because chrono does its arithmetic in the
  // server's zone, so this case is only exact where that zone has no change at this instant.)
  {
    text: 'in 2 hours',
    zone: 'America/Havana',
    now: '2026-03-08T04:30:00Z',
    ...exactly('2026-03-08T06:30:00.000Z'),
  },
];

interface Rejected {
  text: string;
  zone?: string;
  error: string;
  understood?: string;
  example?: string;
}

const REJECTED: Rejected[] = [
  { text: '', error: 'The request is empty' },
  { text: '   \n ', error: 'The request is empty' },
  {
    text: 'dance with @ana',
    error: 'I don\'t know the command "dance". Start with one of: find, book, poll, follow-up',
    understood: 'with: @ana',
  },
  { text: 'tomorow 2pm', error: 'I don\'t know the command "tomorow"' },
  { text: '0m with @ana', error: 'between 1 minute and 8 hours; 0 min is outside that' },
  { text: '9h', error: 'between 1 minute and 8 hours; 9 h is outside that' },
  { text: '8h30', error: '8 h 30 min is outside that' },
  { text: '1h90', error: '"1h90" has 90 minutes after the hours' },
  { text: '30m 1h', error: 'Two different durations were given (30 min and 1 h); give one.' },
  { text: 'twenty-five minutes', error: "I couldn't read the duration" },
  { text: 'find some hours', error: 'I couldn\'t read the duration "hours"' },
  {
    text: 'last monday',
    error: 'That time is in the past (last monday, Mon 16 Mar 2026 00:00 → Tue 17 Mar 2026 00:00',
    understood: 'when: last monday',
  },
  { text: 'yesterday 2pm', error: 'in the past (yesterday 2pm, Tue 17 Mar 2026 14:00' },
  { text: 'today 9am', error: 'in the past (today 9am, Wed 18 Mar 2026 09:00 (Europe/Berlin))' },
  { text: 'today 3pm', zone: KATHMANDU, error: 'in the past (today 3pm' },
  {
    text: 'tue or wed at 2pm',
    error: 'I can\'t combine "tue" and "wed" and "at 2pm"',
    understood: 'days: Tue, Wed',
  },
  {
    text: '2h tomorrow 2-3pm',
    error: 'A 2 h meeting does not fit in what is left of tomorrow 2-3pm',
  },
  { text: 'morning or afternoon', error: 'Pick one part of the day (morning or afternoon)' },
  { text: '"Design review tomorrow', error: 'A quote was opened but not closed' },
  { text: '"a" "b" tomorrow', error: 'Give one title in quotes, not 2 ("a", "b")' },
  { text: 'with <mailto:not-an-email|x>', error: '"not-an-email" is not an email address' },
  {
    text: `find 30m with ${Array.from({ length: 101 }, (_, i) => `p${i}@example.com`).join(' ')}`,
    error: 'That is 101 attendees; Quorum schedules at most 100 at once.',
  },
  { text: `find ${'x'.repeat(10_001)}`, error: 'characters long; keep it under 10000' },
  {
    text: 'book 2pm yesterday',
    error: 'in the past',
    example: 'book 2pm thursday with @ana for 1 hour',
  },
];

function context(zone = BERLIN, now = NOW, defaultDurationMinutes?: number): ParseContext {
  return defaultDurationMinutes === undefined
    ? { now, timeZone: zone }
    : { now, timeZone: zone, defaultDurationMinutes };
}

function parsed(text: string, ctx: ParseContext): ParsedCommand {
  const result = parseCommandText(text, ctx);
  if (!result.ok) throw new Error(`"${text}" was refused: ${result.error}`);
  return result.command;
}

describe('parseCommandText accepts', () => {
  it.each(ACCEPTED)('$text ($zone)', (row) => {
    const command = parsed(
      row.text,
      context(
        row.zone,
        row.now === undefined ? NOW : new Date(row.now),
        row.defaultDurationMinutes,
      ),
    );
    expect({
      verb: command.verb,
      durationMinutes: command.durationMinutes,
      window: [command.window.start.toISOString(), command.window.end.toISOString()],
      exactStart: command.exactStart?.toISOString(),
      attendees: command.attendees,
      preferences: command.preferences,
      title: command.title,
      timeZone: command.timeZone,
    }).toEqual({
      verb: row.verb ?? 'find',
      durationMinutes: row.duration ?? 30,
      window: row.window,
      exactStart: row.exactStart,
      attendees: row.attendees ?? [],
      preferences: {
        ...(row.partOfDay && { partOfDay: row.partOfDay }),
        ...(row.days && { days: row.days }),
      },
      title: row.title,
      timeZone: row.zone ?? BERLIN,
    });
    expect(command.ignored).toEqual(row.ignored ?? []);
  });
});

describe('parseCommandText refuses', () => {
  it.each(REJECTED)('$text', (row) => {
    const result = parseCommandText(row.text, context(row.zone));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toContain(row.error);
    expect(result.example).toBe(row.example ?? 'find 30m with @ana @raj next week afternoons');
    if (row.understood !== undefined)
      expect(result.understood.join('\n')).toContain(row.understood);
  });

  it('does not claim a command it did not recognise', () => {
    const result = parseCommandText('dance with @ana', context());
    expect(!result.ok && result.understood.some((line) => line.startsWith('command:'))).toBe(false);
  });

  it('cuts a long unknown word short in the message', () => {
    const result = parseCommandText('x'.repeat(500), context());
    expect(!result.ok && result.error).toContain(`"${'x'.repeat(40)}…"`);
    expect(!result.ok && result.error.length).toBeLessThan(300);
  });
});

describe('the context is checked', () => {
  it('throws a RangeError naming an unknown time zone', () => {
    expect(() => parseCommandText('30m', context('Mars/Olympus_Mons'))).toThrow(RangeError);
    expect(() => parseCommandText('30m', context('Mars/Olympus_Mons'))).toThrow(
      'Unknown time zone "Mars/Olympus_Mons" in ParseContext.timeZone',
    );
  });

  it('throws on an invalid now and an impossible default duration', () => {
    expect(() => parseCommandText('30m', context(BERLIN, new Date('nope')))).toThrow(TypeError);
    expect(() => parseCommandText('30m', context(BERLIN, NOW, 0))).toThrow(
      'defaultDurationMinutes must be a whole number from 1 to 480, got 0',
    );
  });
});

describe('windows in local days', () => {
  it('makes "next week" across the spring DST change 167 hours long, midnight to midnight', () => {
    const { window } = parsed('next week', context(BERLIN));
    expect(window.start.toISOString()).toBe('2026-03-22T23:00:00.000Z'); // Mon 23 Mar 00:00 CET
    expect(window.end.toISOString()).toBe('2026-03-29T22:00:00.000Z'); // Mon 30 Mar 00:00 CEST
    expect((window.end.getTime() - window.start.getTime()) / 3_600_000).toBe(167);
  });

  it('makes "next week" across the autumn DST change 169 hours long', () => {
    // Berlin falls back on Sunday 25 October 2026.
    const { window } = parsed('next week', context(BERLIN, new Date('2026-10-14T10:00:00Z')));
    expect(window.start.toISOString()).toBe('2026-10-18T22:00:00.000Z');
    expect((window.end.getTime() - window.start.getTime()) / 3_600_000).toBe(169);
  });
});

describe('what was understood', () => {
  it('lists each part in the speaker’s zone', () => {
    const command = parsed('find 30m with @ana <@U1|raj> next week afternoons "Plan"', context());
    expect(command.understood).toEqual([
      'command: find',
      'duration: 30 min',
      'with: @ana, @U1',
      'when: next week, Mon 23 Mar 2026 00:00 → Mon 30 Mar 2026 00:00 (Europe/Berlin)',
      'part of day: afternoons',
      'title: “Plan”',
    ]);
  });

  it('marks defaults and formats one line for adapters', () => {
    const result = parseCommandText('tue or wed', context(LA));
    expect(result.ok && formatUnderstood(result.command)).toBe(
      'I understood: command: find (default); duration: 30 min (default); ' +
        'when: tue or wed, Wed 18 Mar 2026 03:00 → Wed 25 Mar 2026 00:00 (America/Los_Angeles); ' +
        'days: Tue, Wed.',
    );
    expect(formatUnderstood({ understood: [] })).toBe('I did not understand any of it.');
  });
});
