// Least-burden times through the real server: the demo organization's four zones (Berlin,
// Kolkata, New York, Sydney) share no working hour, so instead of "no common time" Quorum offers
// the times that cost least outside working hours, each with every person's own clock; a
// person's "never" hours hold even then. Across a clock change (Sydney +11 -> +10) and with a
// +05:30 zone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PEOPLE } from '../../../infra/cli/demo-data.ts';
import { signUpDemoTeam } from '../../support/demo-team.ts';
import { Browser, json, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';

let app: TestQuorum;
const browsers = new Map<string, Browser>();
const emailOf = (first: string) => `${first}@acme.example`;

interface PersonTime {
  email: string;
  weekday: string;
  start: string;
  end: string;
  minutesOutside: number;
  hours: string;
  text: string;
}
interface FoundSlot {
  start: string;
  end: string;
  people: PersonTime[];
}

async function find(as: string, body: object) {
  const res = await browsers.get(as)!.request('/api/scheduling/find', {
    method: 'POST',
    json: body,
  });
  return { status: res.status, body: await json(res) };
}

async function putSettings(as: string, settings: object) {
  return browsers.get(as)!.request('/api/me/settings', { method: 'PUT', json: settings });
}

// Monday 2027-03-22: Berlin UTC+1, Kolkata +05:30, New York −4, Sydney +11. Two weeks later
// (2027-04-05) Berlin is +2 and Sydney +10: Sydney's summer time ended on 4 April.
const WEEK = { start: '2027-03-22T00:00:00Z', end: '2027-03-27T00:00:00Z' };
const everyone = ['raj', 'maya', 'lee'].map((p) => ({ email: emailOf(p) }));

beforeAll(async () => {
  app = await startTestQuorum();
  // The demo organization's zones and working hours, as `quorum demo` sets them.
  for (const [who, browser] of await signUpDemoTeam(app, 10)) browsers.set(who, browser);
});
afterAll(async () => {
  await app?.stop();
});

const outsideOf = (slot: FoundSlot) => slot.people.map((p) => p.minutesOutside);
const total = (slot: FoundSlot) => outsideOf(slot).reduce((sum, m) => sum + m, 0);

describe('four zones with no common working hour', () => {
  it('working hours only (as before) find nothing', async () => {
    const { status, body } = await find('ana', {
      attendees: everyone,
      durationMinutes: 30,
      window: WEEK,
      leastBurden: 'never',
    });
    expect(status).toBe(200);
    expect(body.slots).toEqual([]);
    expect(body.leastBurden).toBe(false);
  });

  it('offers the least-burden times, each with every person’s own clock', async () => {
    const { status, body } = await find('ana', {
      attendees: everyone,
      durationMinutes: 30,
      window: WEEK,
      limit: 20,
    });
    expect(status).toBe(200);
    expect(body.leastBurden).toBe(true);
    const slots = body.slots as FoundSlot[];
    expect(slots).toHaveLength(20);
    // Ana, Raj and Maya overlap 12:00–14:30 UTC, when it is 23:00–01:30 in Sydney: Lee gives
    // 30 minutes, and no time costs less. Of those, the one nearest Lee's hours comes first:
    // 01:00 is 7 h before his day, 23:00–23:30 reaches 7.5 h past its end.
    expect(slots[0]!.start).toBe('2027-03-22T14:00:00.000Z');
    expect(slots[0]!.people.map((p) => p.text)).toEqual([
      'Ana Lopez: Mon 15:00–15:30 Berlin, in working hours',
      'Raj Patel: Mon 19:30–20:00 Kolkata, in working hours',
      'Maya Chen: Mon 10:00–10:30 New York, in working hours',
      'Lee Wong: Tue 01:00–01:30 Sydney, 30 min before hours',
    ]);
    // Ranked by total minutes outside hours, then the most one person gives (then how far
    // from anyone's hours, then start).
    const keys = slots.map((s) => [total(s), Math.max(...outsideOf(s))]);
    const sorted = [...keys].sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
    expect(keys).toEqual(sorted);
    for (const slot of slots) expect(total(slot)).toBeGreaterThanOrEqual(30);
  });

  it('never uses a person’s “never” hours, even then', async () => {
    const lee = DEMO_PEOPLE.find((p) => p.name.startsWith('Lee'))!;
    const never = { ...lee.settings, acceptableHours: { start: '07:00', end: '21:00' } };
    expect((await putSettings('lee', never)).status).toBe(200);
    try {
      const { body } = await find('ana', {
        attendees: everyone,
        durationMinutes: 30,
        window: WEEK,
        limit: 50,
      });
      const slots = body.slots as FoundSlot[];
      expect(body.leastBurden).toBe(true);
      expect(slots.length).toBeGreaterThan(0);
      for (const slot of slots) {
        const leeTime = slot.people.find((p) => p.email === emailOf('lee'))!;
        expect(leeTime.start >= '07:00' && leeTime.end <= '21:00', leeTime.text).toBe(true);
      }
      // Now two people give 30 minutes each: Maya before her day, Lee after his, each 3 h 45
      // from their hours at the farthest (earlier, Maya reaches further; later, Lee does).
      expect(slots[0]!.people.map((p) => p.text)).toEqual([
        'Ana Lopez: Mon 09:15–09:45 Berlin, in working hours',
        'Raj Patel: Mon 13:45–14:15 Kolkata, in working hours',
        'Maya Chen: Mon 04:15–04:45 New York, 30 min before hours',
        'Lee Wong: Mon 19:15–19:45 Sydney, 30 min after hours',
      ]);
    } finally {
      expect((await putSettings('lee', { ...lee.settings, acceptableHours: null })).status).toBe(
        200,
      );
    }
  });
});

describe('least burden when asked', () => {
  it('ranks by least burden, and says "no time inside hours" only when that is so', async () => {
    // Ana (Berlin) and Raj (Kolkata) share working hours: the first slot is inside both.
    const shared = await find('ana', {
      attendees: [{ email: emailOf('raj') }],
      durationMinutes: 30,
      window: WEEK,
      leastBurden: 'always',
    });
    expect(shared.body.leastBurden).toBe(false);
    expect(outsideOf(shared.body.slots[0] as FoundSlot)).toEqual([0, 0]);
    const apart = await find('ana', {
      attendees: everyone,
      durationMinutes: 30,
      window: WEEK,
      leastBurden: 'always',
    });
    expect(apart.body.leastBurden).toBe(true);
    expect(total(apart.body.slots[0] as FoundSlot)).toBe(30);
  });
});

describe('each person’s clock across zones and clock changes', () => {
  // One half-hour window, so the one slot is known: 12:00 UTC.
  const at = (day: string) => ({
    attendees: [{ email: emailOf('raj') }, { email: emailOf('lee') }],
    durationMinutes: 30,
    window: { start: `${day}T12:00:00Z`, end: `${day}T12:30:00Z` },
  });

  it('shows Sydney at +11 before 4 April and +10 after, Kolkata at +05:30 throughout', async () => {
    const before = (await find('ana', at('2027-03-22'))).body.slots as FoundSlot[];
    const after = (await find('ana', at('2027-04-05'))).body.slots as FoundSlot[];
    expect(before.map((s) => s.people.map((p) => p.text))).toEqual([
      [
        'Ana Lopez: Mon 13:00–13:30 Berlin, in working hours',
        'Raj Patel: Mon 17:30–18:00 Kolkata, in working hours',
        'Lee Wong: Mon 23:00–23:30 Sydney, 30 min after hours',
      ],
    ]);
    expect(after.map((s) => s.people.map((p) => p.text))).toEqual([
      [
        'Ana Lopez: Mon 14:00–14:30 Berlin, in working hours',
        'Raj Patel: Mon 17:30–18:00 Kolkata, in working hours',
        'Lee Wong: Mon 22:00–22:30 Sydney, 30 min after hours',
      ],
    ]);
  });

  it('says a meeting on someone’s weekend is on a day off, and one before dawn is before hours', async () => {
    // Friday 2027-03-26 23:00 UTC is Saturday 10:00 in Sydney and Saturday 04:30 in Kolkata.
    const { body } = await find('ana', {
      ...at('2027-03-26'),
      window: { start: '2027-03-26T23:00:00Z', end: '2027-03-26T23:30:00Z' },
    });
    const texts = (body.slots as FoundSlot[])[0]!.people.map((p) => p.text);
    expect(texts).toEqual([
      'Ana Lopez: Sat 00:00–00:30 Berlin, on a day off',
      'Raj Patel: Sat 04:30–05:00 Kolkata, on a day off',
      'Lee Wong: Sat 10:00–10:30 Sydney, on a day off',
    ]);
    // Monday 01:00 UTC is 06:30 in Kolkata: Raj's day starts at 12:00.
    const dawn = await find('ana', {
      ...at('2027-03-22'),
      window: { start: '2027-03-22T01:00:00Z', end: '2027-03-22T01:30:00Z' },
    });
    const raj = (dawn.body.slots as FoundSlot[])[0]!.people.find((p) => p.email === emailOf('raj'));
    expect(raj).toMatchObject({ start: '06:30', minutesOutside: 30, hours: 'before' });
  });
});

describe('the “never” setting', () => {
  const base = DEMO_PEOPLE[0]!.settings;

  it('refuses bad hours with a 400 naming the field, and keeps what was saved', async () => {
    const saved = { ...base, acceptableHours: { start: '07:00', end: '21:00' } };
    expect((await putSettings('ana', saved)).status).toBe(200);
    const cases: Array<[object, RegExp]> = [
      [{ start: '7am', end: '21:00' }, /^acceptableHours\.start: use HH:MM/],
      [{ start: '07:00', end: '07:00' }, /^acceptableHours\.end: "never after" must differ/],
      [{ start: '24:00', end: '07:00' }, /^acceptableHours\.start: "never before" is a time/],
      [{ start: '07:00' }, /^acceptableHours\.end: /],
    ];
    for (const [acceptableHours, message] of cases) {
      const res = await putSettings('ana', { ...base, acceptableHours });
      expect(res.status, JSON.stringify(acceptableHours)).toBe(400);
      expect((await json(res)).message).toMatch(message);
    }
    const now = await json(browsers.get('ana')!.request('/api/me/settings'));
    expect(now.acceptableHours).toEqual({ start: '07:00', end: '21:00' });
  });

  it('is kept when a surface saves settings without it, and cleared by null', async () => {
    expect(
      (await putSettings('ana', { ...base, acceptableHours: { start: '22:00', end: '06:00' } }))
        .status,
    ).toBe(200);
    // Slack's settings modal knows nothing of these hours: saving there must not drop them.
    expect((await putSettings('ana', base)).status).toBe(200);
    const kept = await json(browsers.get('ana')!.request('/api/me/settings'));
    expect(kept.acceptableHours).toEqual({ start: '22:00', end: '06:00' });
    expect((await putSettings('ana', { ...base, acceptableHours: null })).status).toBe(200);
    const cleared = await json(browsers.get('ana')!.request('/api/me/settings'));
    expect(cleared).toEqual(base);
  });

  it('refuses an unknown least-burden mode, naming the field', async () => {
    const { status, body } = await find('ana', {
      attendees: everyone,
      durationMinutes: 30,
      window: WEEK,
      leastBurden: 'sometimes',
    });
    expect(status).toBe(400);
    expect(body.message).toMatch(/^leastBurden: /);
  });
});
