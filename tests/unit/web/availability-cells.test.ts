// The week grid's arithmetic: each person's state per hour of each day in the viewer's zone, the
// "Everyone" row, the hours shown, and days that are 23 or 25 hours long.
import { describe, expect, it } from 'vitest';
import {
  cellState,
  gridModel,
  shownHours,
  type PersonAvailabilityView,
} from '../../../infra/ui/availability-cells.ts';

const iso = (s: string) => new Date(s).toISOString();

function person(
  email: string,
  working: Array<[string, string]>,
  busy: Array<[string, string]> = [],
  known = true,
): PersonAvailabilityView {
  return {
    email,
    name: email.split('@')[0]!,
    kind: known ? 'colleague' : 'guest',
    timeZone: 'UTC',
    working: working.map(([start, end]) => ({ start: iso(start), end: iso(end) })),
    busy: busy.map(([start, end]) => ({ start: iso(start), end: iso(end) })),
    known,
    message: known ? null : `Quorum cannot see ${email}'s calendar.`,
  };
}

describe('cellState', () => {
  const ana = {
    known: true,
    working: [{ start: 0, end: 100 }],
    busy: [{ start: 40, end: 50 }],
  };
  it('is busy when any busy time touches the hour, even outside working hours', () => {
    expect(cellState(ana, 45, 60)).toBe('busy');
    expect(cellState({ ...ana, working: [] }, 45, 60)).toBe('busy');
  });
  it('is free only when the whole hour is working time', () => {
    expect(cellState(ana, 0, 40)).toBe('free');
    expect(cellState(ana, 90, 110)).toBe('off');
  });
  it('is unknown for someone whose calendar cannot be read', () => {
    expect(cellState({ ...ana, known: false }, 45, 60)).toBe('unknown');
  });
});

describe('gridModel', () => {
  const window = { start: iso('2027-03-22T00:00:00Z'), end: iso('2027-03-29T00:00:00Z') };
  // A "now" before the window, so these cases read the same whatever day they run on.
  const before = Date.parse('2027-03-01T00:00:00Z');

  it('draws each person per hour and a row where everyone is free', () => {
    const ana = person(
      'ana@acme.example',
      [['2027-03-22T09:00:00Z', '2027-03-22T17:00:00Z']],
      [['2027-03-22T10:00:00Z', '2027-03-22T10:30:00Z']],
    );
    const raj = person('raj@acme.example', [['2027-03-22T12:00:00Z', '2027-03-22T18:00:00Z']]);
    const guest = person('gus@guest.example', [], [], false);
    const model = gridModel([ana, raj, guest], window, 'UTC', 1, before);
    expect(model.hours).toEqual([8, 9, 10, 11, 12, 13, 14, 15, 16, 17]);
    const states = (key: string) =>
      model.rows
        .find((r) => r.key === key)!
        .cells.map((c) => c.state[0])
        .join('');
    // f = free, b = busy, o = off, u = unknown; hours 08..17.
    expect(states('ana@acme.example')).toBe('ofbffffffo');
    expect(states('raj@acme.example')).toBe('ooooffffff');
    expect(states('gus@guest.example')).toBe('uuuuuuuuuu');
    expect(states('__all')).toBe('oobofffffo');
    expect(model.rows.find((r) => r.key === 'gus@guest.example')!.note).toContain('cannot see');
  });

  it('follows the viewer’s calendar days across a DST change', () => {
    // Europe/Berlin springs forward on Sunday 28 March 2027: that day has 23 hours.
    const model = gridModel(
      [person('ana@acme.example', [['2027-03-28T07:00:00Z', '2027-03-28T15:00:00Z']])],
      window,
      'Europe/Berlin',
      7,
      before,
    );
    expect(model.days.map((d) => d.toISODate())).toEqual([
      '2027-03-22',
      '2027-03-23',
      '2027-03-24',
      '2027-03-25',
      '2027-03-26',
      '2027-03-27',
      '2027-03-28',
    ]);
    const sunday = model.rows[1]!.cells.slice(6 * model.hours.length);
    // 07:00Z is 09:00 in Berlin after the change (UTC+2): free 09:00–17:00 local.
    const free = sunday.filter((c) => c.state === 'free');
    expect(free[0]!.start).toBe(Date.parse('2027-03-28T07:00:00Z'));
    expect(free.at(-1)!.end).toBe(Date.parse('2027-03-28T15:00:00Z'));
    expect(free).toHaveLength(8);
  });

  it('draws the hours begun before now as past in every row, Everyone and unknown too', () => {
    const ana = person('ana@acme.example', [['2027-03-22T09:00:00Z', '2027-03-22T17:00:00Z']]);
    const guest = person('gus@guest.example', [], [], false);
    // 13:20: 08:00–13:00 are over and 13:00–14:00 has begun, so none of them can be offered.
    const now = Date.parse('2027-03-22T13:20:00Z');
    const model = gridModel([ana, guest], window, 'UTC', 1, now);
    const states = (key: string) =>
      model.rows
        .find((r) => r.key === key)!
        .cells.map((c) => c.state[0])
        .join('');
    // p = past; hours 08..17.
    expect(states('ana@acme.example')).toBe('ppppppfffo');
    expect(states('gus@guest.example')).toBe('ppppppuuuu');
    expect(states('__all')).toBe('ppppppfffo');
  });
});

describe('shownHours', () => {
  it('widens to everyone’s working hours in the viewer’s zone, and to the whole day for a night shift', () => {
    const day = [
      { start: Date.parse('2027-03-22T06:00:00Z'), end: Date.parse('2027-03-22T20:00:00Z') },
    ];
    expect(shownHours(day, 'UTC')).toEqual({ lo: 6, hi: 20 });
    // In Kolkata (UTC+5:30) that is 11:30 until 01:30 the next day: a shift over midnight.
    expect(shownHours(day, 'Asia/Kolkata')).toEqual({ lo: 0, hi: 24 });
    const office = [
      { start: Date.parse('2027-03-22T03:30:00Z'), end: Date.parse('2027-03-22T11:30:00Z') },
    ];
    expect(shownHours(office, 'Asia/Kolkata')).toEqual({ lo: 8, hi: 18 });
    expect(shownHours([], 'UTC')).toEqual({ lo: 8, hi: 18 });
  });
});
