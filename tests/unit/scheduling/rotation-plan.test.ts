// The fair-rotation plan against a brute force written separately: every way of giving N
// meetings to at most three distinct times (any shares, not only turns), the smallest largest
// count of meetings outside someone's hours. The plan must reach it.
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { planRotation, type RotationCandidate } from '../../../core/scheduling/rotation/plan.ts';

interface Member {
  id: string;
  zone: string;
  /** Working hours, local, every weekday Mon–Fri: [start, end) in minutes of the day. */
  hours: [number, number];
  /** Never outside these local minutes of the day. */
  never?: [number, number];
}

/** Each 30-minute start of one week (from a Monday, UTC), and who is outside their hours. */
function candidatesOf(team: Member[], weekStart: DateTime, minutes = 30): RotationCandidate[] {
  const out: RotationCandidate[] = [];
  for (let m = 0; m < 7 * 24 * 60; m += 30) {
    const start = weekStart.plus({ minutes: m });
    const end = start.plus({ minutes });
    const local = team.map((p) => ({ p, s: start.setZone(p.zone), e: end.setZone(p.zone) }));
    const mins = (d: DateTime) => d.hour * 60 + d.minute;
    const allowed = local.every(({ p, s, e }) => {
      if (!p.never) return true;
      return (
        s.hasSame(e.minus({ minutes: 1 }), 'day') &&
        mins(s) >= p.never[0] &&
        mins(e.minus({ minutes: 1 })) < p.never[1]
      );
    });
    if (!allowed) continue;
    const outside = local
      .filter(({ p, s, e }) => {
        const last = e.minus({ minutes: 1 });
        const inside =
          s.weekday <= 5 &&
          s.hasSame(last, 'day') &&
          mins(s) >= p.hours[0] &&
          mins(last) < p.hours[1];
        return !inside;
      })
      .map(({ p }) => p.id);
    out.push({ id: String(start.toMillis()), outside });
  }
  return out;
}

/** Brute force: every multiset of ≤3 distinct patterns and every share of N among them. */
function bestLargest(people: string[], candidates: RotationCandidate[], n: number): number {
  const patterns = [
    ...new Map(candidates.map((c) => [[...c.outside].sort().join(','), c.outside])).values(),
  ];
  let best = Infinity;
  for (let i = 0; i < patterns.length; i++)
    for (let j = i; j < patterns.length; j++)
      for (let l = j; l < patterns.length; l++)
        for (let a = 0; a <= n; a++)
          for (let b = 0; a + b <= n; b++) {
            const counts = new Map(people.map((p) => [p, 0]));
            const shares: Array<[readonly string[], number]> = [
              [patterns[i]!, a],
              [patterns[j]!, b],
              [patterns[l]!, n - a - b],
            ];
            for (const [pattern, share] of shares)
              for (const p of pattern) counts.set(p, counts.get(p)! + share);
            best = Math.min(best, Math.max(...counts.values()));
          }
  return best;
}

const h = (from: number, to: number): [number, number] => [from * 60, to * 60];
/** The demo organization's hours; Ana never before 06:00 or after 23:00. */
const fourZones: Member[] = [
  { id: 'ana', zone: 'Europe/Berlin', hours: h(9, 17), never: h(6, 23) },
  { id: 'raj', zone: 'Asia/Kolkata', hours: h(12, 20) },
  { id: 'maya', zone: 'America/New_York', hours: h(8, 16) },
  { id: 'lee', zone: 'Australia/Sydney', hours: h(8, 16) },
];
const ids = fourZones.map((p) => p.id);
const week = DateTime.fromISO('2026-12-14T00:00:00Z', { zone: 'utc' });

describe('planRotation', () => {
  it('shares a four-zone team’s 12 weekly meetings as evenly as the brute force can', () => {
    const candidates = candidatesOf(fourZones, week);
    // The premise: no time lies inside all four people's hours.
    expect(candidates.every((c) => c.outside.length > 0)).toBe(true);
    const plan = planRotation({ people: ids, candidates, count: 12 })!;
    const best = bestLargest(ids, candidates, 12);
    expect(plan.largest).toBe(best);
    expect(Math.max(...Object.values(plan.counts))).toBe(best);
    // Any one time would leave someone outside hours at all 12 meetings.
    expect(best).toBeLessThan(12);
    expect(plan.times.length).toBeGreaterThanOrEqual(2);
    expect(plan.times.length).toBeLessThanOrEqual(3);
    // Turns, never a run: each meeting's time differs from the last.
    plan.occurrences.forEach((t, i) => {
      expect(t).toBe(plan.times[i % plan.times.length]);
      if (i > 0) expect(t).not.toBe(plan.occurrences[i - 1]);
    });
    // The counts are what the meetings' times cost each person.
    const outsideOf = new Map(candidates.map((c) => [c.id, c.outside]));
    for (const p of ids) {
      const counted = plan.occurrences.filter((t) => outsideOf.get(t)!.includes(p)).length;
      expect(plan.counts[p]).toBe(counted);
    }
  });

  it('starts with a time inside the hours of whoever carried most, and leans toward who carried least', () => {
    const candidates = candidatesOf(fourZones, week);
    const fresh = planRotation({ people: ids, candidates, count: 12 })!;
    const outsideOf = new Map(candidates.map((c) => [c.id, c.outside]));
    for (const heaviest of ids) {
      const carried = Object.fromEntries(ids.map((p) => [p, p === heaviest ? 9 : 1]));
      const plan = planRotation({ people: ids, candidates, count: 12, carried })!;
      expect(plan.largest).toBe(fresh.largest);
      expect(outsideOf.get(plan.times[0]!)).not.toContain(heaviest);
    }
    // Ties broken toward the lighter: an odd count's extra meeting goes to who carried least.
    const carried = { ana: 0, raj: 5, maya: 5, lee: 5 };
    const odd = planRotation({ people: ids, candidates, count: 11, carried })!;
    const withCarried = ids.map((p) => odd.counts[p]! + carried[p as keyof typeof carried]);
    const even = planRotation({ people: ids, candidates, count: 11 })!;
    const evenWith = ids.map((p) => even.counts[p]! + carried[p as keyof typeof carried]);
    expect(Math.max(...withCarried)).toBeLessThanOrEqual(Math.max(...evenWith));
  });

  it('needs no rotation when one time suits everyone', () => {
    const plan = planRotation({
      people: ['a', 'b'],
      candidates: [
        { id: 'late', outside: ['a'] },
        { id: 'good', outside: [] },
      ],
      count: 6,
    })!;
    expect(plan.times).toEqual(['good']);
    expect(plan.largest).toBe(0);
  });

  it('matches the brute force for random teams, hours and zones', () => {
    const zones = [
      'Europe/Berlin',
      'Asia/Kolkata',
      'America/New_York',
      'Australia/Sydney',
      'Asia/Kathmandu',
      'Pacific/Chatham',
      'America/St_Johns',
      'Australia/Lord_Howe',
      'UTC',
    ];
    const member = fc.record({
      zone: fc.constantFrom(...zones),
      start: fc.integer({ min: 6, max: 12 }),
      length: fc.integer({ min: 4, max: 10 }),
    });
    fc.assert(
      fc.property(
        fc.array(member, { minLength: 2, maxLength: 5 }),
        fc.integer({ min: 2, max: 13 }),
        fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 5, maxLength: 5 }),
        (members, count, carriedList) => {
          const team: Member[] = members.map((m, i) => ({
            id: `p${i}`,
            zone: m.zone,
            hours: [m.start * 60, Math.min(24 * 60, (m.start + m.length) * 60)],
          }));
          const people = team.map((p) => p.id);
          const candidates = candidatesOf(team, week, 60);
          const carried = Object.fromEntries(people.map((p, i) => [p, carriedList[i]!]));
          const plan = planRotation({ people, candidates, count, carried })!;
          expect(plan.largest).toBe(bestLargest(people, candidates, count));
          expect(plan.occurrences).toHaveLength(count);
        },
      ),
      { numRuns: 40 },
    );
  });
});
