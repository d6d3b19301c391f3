// The task pane's repeat pieces that need no Outlook: the IANA → Windows zone table (every name
// one Outlook knows, per office.js's own list), the monthly rule taken from the invite's day,
// and the single day a monthly series' first meeting is searched on.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  firstMeetingWindow,
  monthlyDayOf,
  ruleOf,
  type ApiRule,
} from '../../../addins/outlook/taskpane/repeat.ts';
import { windowsZoneOf, windowsZoneTable } from '../../../addins/outlook/taskpane/windows-zones.ts';
import { outlookTimeZoneNames } from '../../support/office-stand-in.ts';

describe('the IANA → Windows zone table', () => {
  it('names only zones Outlook lists, for zones the browser knows', () => {
    const outlook = new Set(outlookTimeZoneNames());
    for (const [iana, windows] of Object.entries(windowsZoneTable())) {
      expect(outlook.has(windows), `${iana} → ${windows}`).toBe(true);
      expect(() => new Intl.DateTimeFormat('en', { timeZone: iana }), iana).not.toThrow();
    }
  });

  it('has the demo organization’s zones and the odd ones the recurrence tests use', () => {
    expect(windowsZoneOf('Europe/Berlin')).toBe('W. Europe Standard Time');
    expect(windowsZoneOf('Asia/Kolkata')).toBe('India Standard Time');
    expect(windowsZoneOf('America/New_York')).toBe('Eastern Standard Time');
    expect(windowsZoneOf('Australia/Sydney')).toBe('AUS Eastern Standard Time');
    expect(windowsZoneOf('Australia/Lord_Howe')).toBe('Lord Howe Standard Time');
    expect(windowsZoneOf('Asia/Kathmandu')).toBe('Nepal Standard Time');
    expect(windowsZoneOf('Pacific/Chatham')).toBe('Chatham Islands Standard Time');
    expect(windowsZoneOf('America/St_Johns')).toBe('Newfoundland Standard Time');
    expect(windowsZoneOf('Antarctica/Troll')).toBeUndefined();
    expect(windowsZoneOf('toString')).toBeUndefined();
  });
});

describe('the monthly rule', () => {
  it('takes the invite’s own day: its weekday and which of the month it is', () => {
    // Tue 15 Dec 2026 09:00 Berlin is the third Tuesday; Thu 31 Dec the last Thursday.
    expect(monthlyDayOf(new Date('2026-12-15T08:00:00Z'), 'Europe/Berlin')).toEqual({
      ordinal: 3,
      weekday: 'TU',
    });
    expect(monthlyDayOf(new Date('2026-12-31T08:00:00Z'), 'Europe/Berlin')).toEqual({
      ordinal: -1,
      weekday: 'TH',
    });
    // 23:30 UTC on Monday 30 Nov is already Tuesday 1 Dec in Berlin: the first Tuesday.
    expect(monthlyDayOf(new Date('2026-11-30T23:30:00Z'), 'Europe/Berlin')).toEqual({
      ordinal: 1,
      weekday: 'TU',
    });
  });

  it('searches the first meeting on the next day the rule names, whole, in the zone', () => {
    const rule = ruleOf({ kind: 'monthly', count: 6, ordinal: 1, weekday: 'TU' });
    const usual = { start: '2026-12-07T16:00:00.000Z', end: '2026-12-21T16:00:00.000Z' };
    const now = new Date('2026-12-07T16:00:00Z');
    // The first Tuesday of December (the 1st) has passed: the 5th of January, in Berlin.
    expect(firstMeetingWindow(rule, usual, 'Europe/Berlin', now)).toEqual({
      start: '2027-01-04T23:00:00.000Z',
      end: '2027-01-05T23:00:00.000Z',
    });
    const last: ApiRule = {
      frequency: 'monthly',
      interval: 1,
      ordinal: -1,
      weekday: 'FR',
      count: 6,
    };
    const window = firstMeetingWindow(last, usual, 'Australia/Sydney', now);
    const day = DateTime.fromISO(window.start, { zone: 'Australia/Sydney' });
    expect(day.toISODate()).toBe('2026-12-25');
    expect(day.hour).toBe(0);
    // Weekly keeps the pane's usual fortnight.
    const weekly = ruleOf({ kind: 'weekly', count: 8, ordinal: 1, weekday: 'MO' });
    expect(firstMeetingWindow(weekly, usual, 'UTC', now)).toBe(usual);
  });
});
