// A weekly series through the real server must keep every occurrence inside the required
// people's working hours, not just the first: Berlin keeps 15:00 across its clock change on
// 28 March 2027, but New York changed on the 14th, so from the 29th a 15:00 Berlin meeting is
// 09:00 in New York, before Maya's day starts at 09:30.
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, json, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';
import {
  addSignedInColleague,
  saveSettings,
  signUpOrganization,
  weekdayHours,
} from './booking-org.ts';

let app: TestQuorum;
let ana: Browser; // organizer, Berlin 09:00–17:00

beforeAll(async () => {
  app = await startTestQuorum();
  ana = new Browser(app.url);
  await signUpOrganization(ana, 'Acme', 'Ana', 'ana@acme.example');
  const maya = await addSignedInColleague(app, ana, {
    name: 'Maya',
    email: 'maya@acme.example',
    ip: '192.0.2.91',
  });
  await saveSettings(ana, weekdayHours('Europe/Berlin', '09:00', '17:00'));
  await saveSettings(maya, weekdayHours('America/New_York', '09:30', '17:00'));
});
afterAll(async () => {
  await app?.stop();
});

// Monday 15 March 2027: Berlin UTC+1, New York −4 (since the 14th).
const MONDAY = { start: '2027-03-15T00:00:00Z', end: '2027-03-16T00:00:00Z' };

interface SeriesSlot {
  start: string;
  occurrences: { start: string; end: string }[];
  outsideHours?: { id: string; minutes: number }[];
}

async function find(recurrence: object, extra: object = {}) {
  const res = await ana.request('/api/scheduling/find', {
    method: 'POST',
    json: {
      attendees: [{ email: 'maya@acme.example' }],
      durationMinutes: 30,
      window: MONDAY,
      limit: 50,
      recurrence,
      ...extra,
    },
  });
  expect(res.status).toBe(200);
  return ((await json(res)).slots as SeriesSlot[]).map((slot) => ({
    ...slot,
    berlin: DateTime.fromISO(slot.start, { zone: 'Europe/Berlin' }).toFormat('HH:mm'),
  }));
}

const newYork = (iso: string) => DateTime.fromISO(iso, { zone: 'America/New_York' });

describe('series times keep every occurrence inside working hours', () => {
  it('offers 14:30 Berlin for two weeks, but only 15:30 and later for five', async () => {
    // Both weeks before Berlin's change: Maya's 09:30 is 14:30 in Berlin.
    const two = await find({ frequency: 'weekly', interval: 1, count: 2 });
    expect(two.map((s) => s.berlin)).toContain('14:30');

    const five = await find({ frequency: 'weekly', interval: 1, count: 5 });
    expect(five.length).toBeGreaterThan(0);
    for (const slot of five) {
      expect(slot.berlin >= '15:30').toBe(true);
      for (const o of slot.occurrences) {
        const start = newYork(o.start);
        const end = newYork(o.end);
        expect(start.hour * 60 + start.minute).toBeGreaterThanOrEqual(9 * 60 + 30);
        expect(end.hour * 60 + end.minute).toBeLessThanOrEqual(17 * 60);
      }
      expect(slot.outsideHours).toBeUndefined();
    }
  });

  it('least-burden series carry the minutes outside hours of all their occurrences', async () => {
    const slots = await find(
      { frequency: 'weekly', interval: 1, count: 5 },
      { leastBurden: 'always' },
    );
    const at = slots.find((slot) => slot.berlin === '14:30');
    // Inside Maya's hours for two weeks, then 08:30–09:00 in New York for three: 90 minutes.
    expect(at?.outsideHours).toEqual([{ id: 'maya@acme.example', minutes: 90 }]);
    const totals = slots.map((slot) =>
      (slot.outsideHours ?? []).reduce((n, o) => n + o.minutes, 0),
    );
    expect(totals).toEqual([...totals].sort((a, b) => a - b));
  });
});
