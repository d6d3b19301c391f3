// A time zone's UTC offsets over a stretch of time, read from luxon once and then used by plain
// arithmetic. This is the only place the engine asks luxon anything: everything else works on
// epoch milliseconds.
import type { IANAZone } from 'luxon';
import { zoneNamed } from '../../time-zones.ts';

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

/** What one UTC day of one zone looks like: the offset at its start, and a change within it. */
interface ZoneDay {
  startOffsetMs: number;
  change: { at: number; offsetMs: number } | undefined;
}

// tzdb does not change while the process runs, so what luxon said about a zone's day stays true.
// Asking luxon costs microseconds per call; a search touches the same days of the same few zones
// again and again. Bounded so a long-running server cannot grow it without limit.
const zoneDays = new Map<string, ZoneDay>();
const ZONE_DAY_LIMIT = 100_000;

function offsetMs(zone: IANAZone, t: number): number {
  return Math.round(zone.offset(t) * MINUTE_MS);
}

/**
 * Reads one UTC day, finding a change to the minute by bisection (changes happen on whole
 * minutes). Assumes at most one change per UTC day, as clock changes are months apart: a zone
 * that changed twice within one day would be read as changing once, or not at all.
 */
function readZoneDay(zone: IANAZone, day: number): ZoneDay {
  const key = `${zone.name}|${day}`;
  const known = zoneDays.get(key);
  if (known) return known;
  const start = day * DAY_MS;
  const startOffsetMs = offsetMs(zone, start);
  const endOffsetMs = offsetMs(zone, start + DAY_MS);
  let change: ZoneDay['change'];
  if (endOffsetMs !== startOffsetMs) {
    let lo = 0; // minute known to have the start offset
    let hi = 24 * 60; // minute known to have the end offset
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (offsetMs(zone, start + mid * MINUTE_MS) === startOffsetMs) lo = mid;
      else hi = mid;
    }
    change = { at: start + hi * MINUTE_MS, offsetMs: endOffsetMs };
  }
  if (zoneDays.size >= ZONE_DAY_LIMIT) zoneDays.clear();
  const read = { startOffsetMs, change };
  zoneDays.set(key, read);
  return read;
}

// Whether a name is a zone, and the zone of a name, come from core/time-zones.ts, which keeps
// what luxon holds per zone name bounded.
export { isKnownTimeZone } from '../../time-zones.ts';

/** Offsets of one zone between `from` and `to` (padded by a few days each side). */
export class ZoneTimeline {
  readonly zone: string;
  /** Instants at which the offset changes, ascending. */
  private readonly changes: number[];
  /** offsets[i] holds before changes[i] (and after changes[i - 1]); one more than changes. */
  private readonly offsets: number[];

  constructor(zone: string, from: number, to: number) {
    const ianaZone = zoneNamed(zone);
    if (!ianaZone.isValid) throw new RangeError(`unknown time zone "${zone}"`);
    this.zone = zone;
    const firstDay = Math.floor(from / DAY_MS) - 4;
    const lastDay = Math.floor(to / DAY_MS) + 4;
    this.changes = [];
    this.offsets = [readZoneDay(ianaZone, firstDay).startOffsetMs];
    for (let day = firstDay; day <= lastDay; day++) {
      const { change } = readZoneDay(ianaZone, day);
      if (change) {
        this.changes.push(change.at);
        this.offsets.push(change.offsetMs);
      }
    }
  }

  /** Index of the constant-offset stretch holding instant `t`. */
  private stretchAt(t: number): number {
    let i = 0;
    while (i < this.changes.length && (this.changes[i] as number) <= t) i++;
    return i;
  }

  offsetAt(t: number): number {
    return this.offsets[this.stretchAt(t)] as number;
  }

  /** The first instant after `t` at which the offset changes, or Infinity. */
  nextChangeAfter(t: number): number {
    return this.changes[this.stretchAt(t)] ?? Infinity;
  }

  /** Wall-clock time at `t`, as milliseconds since 1970-01-01T00:00 on that wall clock. */
  wallAt(t: number): number {
    return t + this.offsetAt(t);
  }

  /**
   * The instant a wall-clock time names. A wall time skipped by a forward change moves forward
   * by the length of the gap (02:30 on a 02:00→03:00 night is 03:30), as RFC 5545, Java and
   * Temporal do; a wall time that occurs twice takes the earlier instant.
   */
  instantOf(wall: number): number {
    const before = this.offsetAt(wall - DAY_MS);
    const after = this.offsetAt(wall + DAY_MS);
    const early = wall - before;
    const late = wall - after;
    const earlyValid = this.offsetAt(early) === before;
    const lateValid = this.offsetAt(late) === after;
    if (earlyValid && lateValid) return Math.min(early, late);
    if (earlyValid) return early;
    if (lateValid) return late;
    return early;
  }
}

/** Whole days since 1970-01-01 on the wall clock. */
export function wallDay(wall: number): number {
  return Math.floor(wall / DAY_MS);
}

/** 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday). */
export function weekdayOfWallDay(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

export function minuteOfWallDay(wall: number): number {
  return Math.floor((wall - wallDay(wall) * DAY_MS) / MINUTE_MS);
}
