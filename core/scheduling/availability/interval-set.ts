// A union of half-open instant intervals [start, end), kept sorted, disjoint and non-touching,
// so each question about it is one binary search.

/** Up to this many intervals, sorting by insertion beats the general path. */
const SMALL = 128;

export class IntervalSet {
  readonly starts: readonly number[];
  readonly ends: readonly number[];

  private constructor(starts: readonly number[], ends: readonly number[]) {
    this.starts = starts;
    this.ends = ends;
  }

  /** The single interval [from, to), or nothing if it is empty. */
  static span(from: number, to: number): IntervalSet {
    return to > from ? new IntervalSet([from], [to]) : new IntervalSet([], []);
  }

  /** Builds the union of `[starts[i], ends[i])`; empty intervals are dropped. */
  static union(starts: readonly number[], ends: readonly number[]): IntervalSet {
    if (starts.length <= SMALL) {
      // One calendar's worth, usually almost in order: insertion sort by start.
      const from: number[] = [];
      const to: number[] = [];
      for (let i = 0; i < starts.length; i++) {
        const start = starts[i] as number;
        const end = ends[i] as number;
        if (end <= start) continue;
        let j = from.length;
        from.push(start);
        to.push(end);
        for (; j > 0 && (from[j - 1] as number) > start; j--) {
          from[j] = from[j - 1] as number;
          to[j] = to[j - 1] as number;
        }
        from[j] = start;
        to[j] = end;
      }
      return IntervalSet.mergeOrdered(from, to);
    }
    // For a union, sorting starts and ends each on their own is enough: the number of intervals
    // holding an instant is the starts before it less the ends before it.
    const sortedStarts = new Float64Array(starts.length);
    const sortedEnds = new Float64Array(starts.length);
    let count = 0;
    for (let i = 0; i < starts.length; i++) {
      if ((ends[i] as number) <= (starts[i] as number)) continue;
      sortedStarts[count] = starts[i] as number;
      sortedEnds[count++] = ends[i] as number;
    }
    sortedStarts.subarray(0, count).sort();
    sortedEnds.subarray(0, count).sort();
    const unionStarts: number[] = [];
    const unionEnds: number[] = [];
    let i = 0;
    let j = 0;
    while (i < count) {
      unionStarts.push(sortedStarts[i] as number);
      let depth = 0;
      do {
        // At a tie the start goes first, so touching intervals join.
        if (i < count && (sortedStarts[i] as number) <= (sortedEnds[j] as number)) {
          depth++;
          i++;
        } else {
          depth--;
          j++;
        }
      } while (depth > 0);
      unionEnds.push(sortedEnds[j - 1] as number);
    }
    return new IntervalSet(unionStarts, unionEnds);
  }

  /** The union of two sets, in linear time. */
  static merge(a: IntervalSet, b: IntervalSet): IntervalSet {
    if (b.size === 0) return a;
    if (a.size === 0) return b;
    const starts: number[] = [];
    const ends: number[] = [];
    let i = 0;
    let j = 0;
    while (i < a.size || j < b.size) {
      if (j >= b.size || (i < a.size && (a.starts[i] as number) <= (b.starts[j] as number))) {
        starts.push(a.starts[i] as number);
        ends.push(a.ends[i++] as number);
      } else {
        starts.push(b.starts[j] as number);
        ends.push(b.ends[j++] as number);
      }
    }
    return IntervalSet.mergeOrdered(starts, ends);
  }

  /** Union of non-empty intervals given in start order; merges in place. */
  private static mergeOrdered(starts: number[], ends: number[]): IntervalSet {
    let size = 0;
    for (let i = 0; i < starts.length; i++) {
      const start = starts[i] as number;
      const end = ends[i] as number;
      if (size > 0 && start <= (ends[size - 1] as number)) {
        if (end > (ends[size - 1] as number)) ends[size - 1] = end;
      } else {
        starts[size] = start;
        ends[size++] = end;
      }
    }
    starts.length = size;
    ends.length = size;
    return new IntervalSet(starts, ends);
  }

  /** The instants in both sets, in linear time. */
  intersect(other: IntervalSet): IntervalSet {
    const starts: number[] = [];
    const ends: number[] = [];
    let i = 0;
    let j = 0;
    while (i < this.size && j < other.size) {
      const start = Math.max(this.starts[i] as number, other.starts[j] as number);
      const end = Math.min(this.ends[i] as number, other.ends[j] as number);
      if (end > start) {
        starts.push(start);
        ends.push(end);
      }
      if ((this.ends[i] as number) < (other.ends[j] as number)) i++;
      else j++;
    }
    return new IntervalSet(starts, ends);
  }

  /** The instants in this set and not in `other`, in linear time. */
  subtract(other: IntervalSet): IntervalSet {
    const starts: number[] = [];
    const ends: number[] = [];
    let j = 0;
    for (let i = 0; i < this.size; i++) {
      let start = this.starts[i] as number;
      const end = this.ends[i] as number;
      while (j < other.size && (other.ends[j] as number) <= start) j++;
      // Cut out every interval of `other` that begins before this one ends.
      for (let k = j; k < other.size && (other.starts[k] as number) < end; k++) {
        if ((other.starts[k] as number) > start) {
          starts.push(start);
          ends.push(other.starts[k] as number);
        }
        start = Math.max(start, other.ends[k] as number);
      }
      if (end > start) {
        starts.push(start);
        ends.push(end);
      }
    }
    return new IntervalSet(starts, ends);
  }

  /** The intervals of this set that share an instant with `other`, whole, in linear time. */
  meetingIntervals(other: IntervalSet, starts: number[], ends: number[]): void {
    let j = 0;
    for (let i = 0; i < this.size; i++) {
      const start = this.starts[i] as number;
      const end = this.ends[i] as number;
      while (j < other.size && (other.ends[j] as number) <= start) j++;
      if (j < other.size && (other.starts[j] as number) < end) {
        starts.push(start);
        ends.push(end);
      }
    }
  }

  get size(): number {
    return this.starts.length;
  }

  /** Index of the last interval starting before `t` (or at `t`, when `orAt`), or -1. */
  private lastStarting(t: number, orAt: boolean): number {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const start = this.starts[mid] as number;
      if (start < t || (orAt && start === t)) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  /** Whether [s, e) lies inside one interval of the set. */
  covers(s: number, e: number): boolean {
    return this.indexCovering(s, e) >= 0;
  }

  /** Whether [s, e) shares any instant with the set. */
  meets(s: number, e: number): boolean {
    const i = this.lastStarting(e, false);
    return i >= 0 && (this.ends[i] as number) > s;
  }

  /** Index of the interval holding [s, e) entirely, or -1. */
  indexCovering(s: number, e: number): number {
    const i = this.lastStarting(s, true);
    return i >= 0 && (this.ends[i] as number) >= e ? i : -1;
  }

  /** How much of [s, e) the set holds, in milliseconds. */
  overlap(s: number, e: number): number {
    let held = 0;
    for (let i = Math.max(0, this.lastStarting(s, true)); i < this.size; i++) {
      const start = this.starts[i] as number;
      if (start >= e) break;
      held += Math.max(0, Math.min(e, this.ends[i] as number) - Math.max(s, start));
    }
    return held;
  }

  /** The latest instant ≤ s that the set holds or ends at; -Infinity if none. */
  lastEdgeAtOrBefore(s: number): number {
    const i = this.lastStarting(s, true);
    return i >= 0 ? Math.min(this.ends[i] as number, s) : -Infinity;
  }

  /** The earliest instant ≥ e that the set holds; Infinity if none. */
  firstEdgeAtOrAfter(e: number): number {
    const i = this.lastStarting(e, true);
    if (i >= 0 && (this.ends[i] as number) > e) return e;
    return this.starts[i + 1] ?? Infinity;
  }

  /** How far the farthest instant of [s, e] lies from the set (0 when covered). */
  farthestDistance(s: number, e: number): number {
    let gap = this.lastStarting(s, true) + 1; // gap k lies between interval k-1 and k
    let farthest = 0;
    for (; gap <= this.size; gap++) {
      const gapStart = gap === 0 ? -Infinity : (this.ends[gap - 1] as number);
      const gapEnd = gap === this.size ? Infinity : (this.starts[gap] as number);
      if (gapStart > e) break;
      const from = Math.max(s, gapStart);
      const to = Math.min(e, gapEnd);
      if (from > to) continue;
      const middle = (gapStart + gapEnd) / 2;
      // Distance to the set is min(t - gapStart, gapEnd - t): it peaks at the gap's middle.
      // Infinite gap edges work out: the middle is then infinite (or NaN, for an empty set).
      let distance: number;
      if (middle < from) distance = gapEnd - from;
      else if (middle > to) distance = to - gapStart;
      else distance = (gapEnd - gapStart) / 2;
      if (distance > farthest) farthest = distance;
    }
    return farthest;
  }
}
