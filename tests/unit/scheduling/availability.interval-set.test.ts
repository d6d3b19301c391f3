// Interval-set algebra checked point by point on small integer timelines, with inputs large
// enough to take both the insertion-sort and the typed-array sort paths of `union`.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IntervalSet } from '../../../core/scheduling/availability/interval-set.ts';

const SPAN = 300;

const intervals = (minLength: number, maxLength: number) =>
  fc.array(
    fc.tuple(fc.integer({ min: 0, max: SPAN }), fc.integer({ min: 0, max: 40 })).map(
      // Some empty, many touching or overlapping.
      ([start, length]) => [start, start + length - 5] as [number, number],
    ),
    { minLength, maxLength, size: 'max' },
  );

function setOf(pairs: [number, number][]): IntervalSet {
  return IntervalSet.union(
    pairs.map(([start]) => start),
    pairs.map(([, end]) => end),
  );
}

/** Membership of each integer point, straight from the pairs. */
function pointsOf(pairs: [number, number][]): boolean[] {
  return Array.from({ length: SPAN + 60 }, (_, t) => pairs.some(([s, e]) => s <= t && t < e));
}

function pointsOfSet(set: IntervalSet): boolean[] {
  return Array.from({ length: SPAN + 60 }, (_, t) => set.meets(t, t + 1));
}

/** Sorted, disjoint, not touching, no empty intervals. */
function expectNormal(set: IntervalSet): void {
  for (let i = 0; i < set.size; i++) {
    expect(set.ends[i]).toBeGreaterThan(set.starts[i] as number);
    if (i > 0) expect(set.starts[i]).toBeGreaterThan(set.ends[i - 1] as number);
  }
}

describe('IntervalSet', () => {
  it('union holds exactly the points of its intervals, small and large', () => {
    fc.assert(
      fc.property(fc.oneof(intervals(0, 20), intervals(200, 400)), (pairs) => {
        const set = setOf(pairs);
        expectNormal(set);
        expect(pointsOfSet(set)).toEqual(pointsOf(pairs));
      }),
      { numRuns: 200 },
    );
  });

  it('merge, intersect and subtract agree with point-wise or, and, and-not', () => {
    fc.assert(
      fc.property(intervals(0, 150), intervals(0, 150), (a, b) => {
        const [setA, setB] = [setOf(a), setOf(b)];
        const [inA, inB] = [pointsOf(a), pointsOf(b)];
        const merged = IntervalSet.merge(setA, setB);
        const both = setA.intersect(setB);
        const only = setA.subtract(setB);
        for (const set of [merged, both, only]) expectNormal(set);
        expect(pointsOfSet(merged)).toEqual(inA.map((x, t) => x || (inB[t] as boolean)));
        expect(pointsOfSet(both)).toEqual(inA.map((x, t) => x && (inB[t] as boolean)));
        expect(pointsOfSet(only)).toEqual(inA.map((x, t) => x && !inB[t]));
      }),
      { numRuns: 200 },
    );
  });

  it('answers covers, meets, edges and distance like a point-wise scan', () => {
    fc.assert(
      fc.property(
        intervals(0, 30),
        fc.integer({ min: -10, max: SPAN + 10 }),
        fc.integer({ min: 1, max: 60 }),
        (pairs, s, length) => {
          const set = setOf(pairs);
          const inSet = (t: number) => set.meets(t, t + 1);
          const e = s + length;
          const points = Array.from({ length }, (_, k) => s + k);
          // Intervals of a normal set never touch, so all points inside means one interval holds them.
          expect(set.covers(s, e)).toBe(points.every(inSet));
          expect(set.meets(s, e)).toBe(points.some(inSet));
          // Latest instant ≤ s that the set holds or ends at.
          const heldOrEnd = (t: number) => inSet(t) || inSet(t - 1);
          let previous = -Infinity;
          for (let t = s; t >= -60; t--) {
            if (heldOrEnd(t)) {
              previous = t;
              break;
            }
          }
          expect(set.lastEdgeAtOrBefore(s)).toBe(previous);
          let next = Infinity;
          for (let t = e; t <= SPAN + 60; t++) {
            if (inSet(t)) {
              next = t;
              break;
            }
          }
          expect(set.firstEdgeAtOrAfter(e)).toBe(next);
          // Farthest distance from the set of any instant in [s, e], scanning half-minutes.
          let farthest = 0;
          for (let t = s; t <= e; t += 0.5) {
            let nearest = Infinity;
            for (let k = 0; k < set.size; k++) {
              const [from, to] = [set.starts[k] as number, set.ends[k] as number];
              nearest = Math.min(nearest, t < from ? from - t : t > to ? t - to : 0);
            }
            farthest = Math.max(farthest, nearest);
          }
          expect(set.farthestDistance(s, e)).toBe(farthest);
        },
      ),
      { numRuns: 300 },
    );
  });
});
