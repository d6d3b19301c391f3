// Fair rotation through the real server, for the demo organization's four zones (Berlin,
// Kolkata, New York, Sydney), which share no working hour: the plan shares the meetings outside
// hours, booking it makes its interleaved series and remembers the team's burden, and the next
// plan starts with whoever carried least taking the first turn outside hours. A rotation that
// cannot be booked whole leaves nothing booked and nothing remembered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpDemoTeam } from '../../support/demo-team.ts';
import { Browser, json, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';
import { verifiedTenantContext } from '../../../core/store/tenant-context.ts';

let app: TestQuorum;
const browsers = new Map<string, Browser>();
const emailOf = (first: string) => `${first}@acme.example`;
const team = ['raj', 'maya', 'lee'].map((p) => ({ email: emailOf(p) }));
// Monday 11 January 2027: nobody's clocks change for the 7 weeks planned from it.
const WEEK = { start: '2027-01-11T00:00:00Z', end: '2027-01-16T00:00:00Z' };
const LATER = { start: '2027-03-01T00:00:00Z', end: '2027-03-06T00:00:00Z' };

interface Plan {
  times: Array<{ label: string; start: string; outside: string[]; meetings: number }>;
  meetings: Array<{ time: string; start: string; outside: string[] }>;
  people: Array<{ email: string; outside: number; carriedBefore: number }>;
  largest: number;
  singleTimeLargest: number;
  booking: { attendees: unknown[]; durationMinutes: number; count: number; starts: string[] };
}

async function planFor(window: object, count: number) {
  const res = await browsers.get('ana')!.request('/api/rotations/plan', {
    method: 'POST',
    json: { attendees: team, durationMinutes: 30, window, count },
  });
  return { status: res.status, body: await json(res) };
}

async function book(plan: Plan, key: string) {
  const res = await browsers.get('ana')!.request('/api/rotations', {
    method: 'POST',
    json: { ...plan.booking, title: 'Team sync', idempotencyKey: key },
  });
  return { status: res.status, body: await json(res) };
}

beforeAll(async () => {
  app = await startTestQuorum();
  for (const [who, browser] of await signUpDemoTeam(app, 40)) browsers.set(who, browser);
});
afterAll(async () => {
  await app?.stop();
});

const countsOf = (plan: Plan) => Object.fromEntries(plan.people.map((p) => [p.email, p.outside]));

describe('a fair rotation for four zones', () => {
  it('rejects a rotation too short to take turns, saying why', async () => {
    const { status, body } = await planFor(WEEK, 3);
    expect(status).toBe(400);
    expect(JSON.stringify(body)).toMatch(/count.*at least 4 meetings/);
  });

  it('plans, books and remembers; the next plan starts with whoever carried least', async () => {
    const { status, body } = await planFor(WEEK, 7);
    expect(status).toBe(200);
    const plan = body as Plan;
    expect(plan.times.length).toBeGreaterThanOrEqual(2);
    expect(plan.largest).toBeLessThan(plan.singleTimeLargest);
    expect(plan.people.map((p) => p.carriedBefore)).toEqual([0, 0, 0, 0]);
    // Turns: A B A B… (or A B C…), and each person's count is their meetings outside hours.
    const k = plan.times.length;
    expect(plan.meetings.map((m) => m.time)).toEqual(
      Array.from({ length: 7 }, (_, i) => plan.times[i % k]!.label),
    );
    // Worded once in core for every surface.
    expect(body.summary).toMatch(
      /^With one time, someone would be outside their hours at all 7 meetings; taking turns, nobody is outside them at more than [1-6]\.$/,
    );
    expect(body.times[0].text).toMatch(
      /^Time A: \w{3} \d+ Jan \d\d:\d\d–\d\d:\d\d Europe\/Berlin, then every \d weeks \(\d meetings\); outside hours for /,
    );
    expect(body.people.map((p: { text: string }) => p.text)).toContain(
      `Lee Wong: ${countsOf(plan)['lee@acme.example']} of 7 meetings outside working hours (0 in rotations booked before)`,
    );
    for (const person of plan.people) {
      expect(person.outside).toBe(
        plan.meetings.filter((m) => m.outside.includes(person.email)).length,
      );
    }

    const booked = await book(plan, 'rotation-first-0001');
    expect(booked.status).toBe(201);
    expect(booked.body.bookings).toHaveLength(k);
    expect(booked.body.carried).toEqual(countsOf(plan));
    // The same request again books nothing new and adds nothing.
    const again = await book(plan, 'rotation-first-0001');
    expect(again.status).toBe(200);
    expect(again.body.carried).toEqual(countsOf(plan));

    // Lee's counts are his personal data: exported with the rest.
    const exported = await json(browsers.get('lee')!.request('/api/me/export'));
    expect(exported.rotations).toEqual([
      {
        team: expect.arrayContaining(plan.people.map((p) => p.email)),
        rotations: 1,
        meetingsOutsideHours: countsOf(plan)['lee@acme.example'],
      },
    ]);

    const next = (await planFor(LATER, 7)).body as Plan;
    expect(next.people.map((p) => [p.email, p.carriedBefore])).toEqual(
      plan.people.map((p) => [p.email, p.outside]),
    );
    // Whoever carried most is inside their hours at the first meeting of the next rotation…
    const most = Math.max(...next.people.map((p) => p.carriedBefore));
    const heaviest = next.people.filter((p) => p.carriedBefore === most).map((p) => p.email);
    expect(next.times[0]!.outside.filter((e) => heaviest.includes(e))).toEqual([]);
    // …and an odd count's extra turn outside hours goes to who carried less: after both
    // rotations nobody has carried more than the fair share plus one.
    const after = next.people.map((p) => p.carriedBefore + p.outside);
    const fresh = plan.people.map((p) => p.outside * 2);
    expect(Math.max(...after)).toBeLessThan(Math.max(...fresh));
  });

  it('books all times or none: a time taken meanwhile cancels what was booked', async () => {
    const window = { start: '2027-05-03T00:00:00Z', end: '2027-05-08T00:00:00Z' };
    const plan = (await planFor(window, 6)).body as Plan;
    const before = (await planFor(window, 6)).body as Plan;
    // Raj books the second time's first meeting for himself.
    const second = new Date(plan.booking.starts[1]!);
    const taken = await browsers.get('raj')!.request('/api/bookings', {
      method: 'POST',
      json: {
        title: 'Dentist',
        start: second.toISOString(),
        end: new Date(second.getTime() + 30 * 60_000).toISOString(),
        attendees: [],
      },
    });
    expect(taken.status).toBe(201);
    const { status, body } = await book(plan, 'rotation-taken-0001');
    expect(status).toBe(409);
    expect(body.message).toMatch(/Time B could not be booked/);
    expect(body.message).toMatch(/cancelled again, so nothing stays booked/);
    const bookings = (await json(browsers.get('ana')!.request('/api/bookings'))).bookings as Array<{
      title: string;
      start: string;
    }>;
    expect(bookings.filter((b) => b.start === plan.booking.starts[0])).toEqual([]);
    // Nothing added to the team's record.
    const after = (await planFor(window, 6)).body as Plan;
    expect(after.people.map((p) => p.carriedBefore)).toEqual(
      before.people.map((p) => p.carriedBefore),
    );
  });

  it('erasing an account removes the person’s counts from every team record', async () => {
    const me = await json(browsers.get('maya')!.request('/api/me'));
    const ctx = verifiedTenantContext(me.tenantId, 'system');
    const section = app.quorum.services.personalData.find((s) => s.name === 'rotations')!;
    expect(await section.count(ctx, me)).toEqual({ rotationTeams: 1 });
    expect(await section.erase(ctx, me)).toEqual({ rotationTeams: 1 });
    expect(await section.count(ctx, me)).toEqual({ rotationTeams: 0 });
    // The team's record keeps the others' counts, and no longer Maya's.
    const plan = (await planFor(LATER, 7)).body as Plan;
    const carried = Object.fromEntries(plan.people.map((p) => [p.email, p.carriedBefore]));
    expect(carried['maya@acme.example']).toBe(0);
    expect(carried['lee@acme.example']).toBeGreaterThan(0);
    expect(await section.export(ctx, me)).toEqual([]);
  });
});
