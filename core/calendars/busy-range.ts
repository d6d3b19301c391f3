// Helpers every provider uses to check a requested range and to trim what it found to it.
import type { BusyInterval } from './provider.ts';

export interface TimeRange {
  start: Date;
  end: Date;
}

/** Throws a RangeError naming the problem when `range` is not a valid, non-empty interval. */
export function checkRange(range: TimeRange, what: string): void {
  const start = range.start.getTime();
  const end = range.end.getTime();
  if (Number.isNaN(start) || Number.isNaN(end)) {
    throw new RangeError(`${what}: start and end must be valid dates`);
  }
  if (start >= end) {
    throw new RangeError(
      `${what}: start (${range.start.toISOString()}) must be before end (${range.end.toISOString()})`,
    );
  }
}

/**
 * Keeps the intervals that block time inside [start, end), cut to that range and sorted.
 * `free` intervals and empty ones are dropped: the port's contract is that free time is implied.
 */
export function clipToRange(intervals: readonly BusyInterval[], range: TimeRange): BusyInterval[] {
  const from = range.start.getTime();
  const to = range.end.getTime();
  const clipped: BusyInterval[] = [];
  for (const interval of intervals) {
    if (interval.status === 'free') continue;
    const start = Math.max(interval.start, from);
    const end = Math.min(interval.end, to);
    if (start < end) clipped.push({ start, end, status: interval.status });
  }
  return clipped.sort((a, b) => a.start - b.start || a.end - b.end);
}

const DEFAULT_UPCOMING_LIMIT = 250;

/** How many upcoming events to return: the asked limit (a positive integer) or 250. */
export function upcomingLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_UPCOMING_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`upcoming limit must be a positive integer, got ${limit}`);
  }
  return limit;
}
