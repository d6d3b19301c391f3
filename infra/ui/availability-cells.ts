// The week grid's arithmetic, apart from its drawing: which hours to show, and the state of each
// person in each hour of each day in the viewer's zone (days are calendar days there, so a day
// with a DST change still starts at its own midnight).
import { DateTime } from 'luxon';

export interface IntervalView {
  start: string;
  end: string;
}

/** POST /api/scheduling/availability, one person. */
export interface PersonAvailabilityView {
  email: string;
  name: string | null;
  kind: 'colleague' | 'guest';
  timeZone: string | null;
  working: IntervalView[];
  busy: IntervalView[];
  known: boolean;
  message: string | null;
}

/** `past`: the hour has begun before now, so it cannot be offered, whatever the calendars say. */
export type CellState = 'free' | 'busy' | 'off' | 'unknown' | 'past';

export interface Span {
  start: number;
  end: number;
}

export interface GridCell {
  start: number;
  end: number;
  state: CellState;
}

export interface GridRow {
  key: string;
  label: string;
  note: string | null;
  cells: GridCell[];
}

export interface GridModel {
  /** Midnights of the days shown, in the viewer's zone. */
  days: DateTime[];
  /** Hours of the day shown (lo ≤ h < hi). */
  hours: number[];
  /** "Everyone" first, then one row per person. */
  rows: GridRow[];
}

const spans = (list: IntervalView[]): Span[] =>
  list.map((i) => ({ start: Date.parse(i.start), end: Date.parse(i.end) }));
const overlaps = (list: Span[], s: number, e: number) => list.some((i) => i.start < e && s < i.end);
const covers = (list: Span[], s: number, e: number) => list.some((i) => i.start <= s && e <= i.end);

/** One person over [s, e): busy wins, then free only if the whole hour is working time. */
export function cellState(
  person: { known: boolean; working: Span[]; busy: Span[] },
  s: number,
  e: number,
): CellState {
  if (!person.known) return 'unknown';
  if (overlaps(person.busy, s, e)) return 'busy';
  return covers(person.working, s, e) ? 'free' : 'off';
}

/** The hours worth showing: everyone's working hours in the viewer's zone, at least 8–18. */
export function shownHours(working: Span[], timeZone: string): { lo: number; hi: number } {
  let lo = 8;
  let hi = 18;
  for (const w of working) {
    const s = DateTime.fromMillis(w.start, { zone: timeZone });
    const last = DateTime.fromMillis(w.end - 1, { zone: timeZone });
    if (!s.hasSame(last, 'day')) return { lo: 0, hi: 24 };
    lo = Math.min(lo, s.hour);
    hi = Math.max(hi, last.hour + 1);
  }
  return { lo, hi };
}

export function gridModel(
  people: PersonAvailabilityView[],
  window: IntervalView,
  timeZone: string,
  dayCount = 7,
  now = Date.now(),
): GridModel {
  const parsed = people.map((p) => ({
    ...p,
    workingSpans: spans(p.working),
    busySpans: spans(p.busy),
  }));
  const first = DateTime.fromISO(window.start, { zone: timeZone }).startOf('day');
  const days = Array.from({ length: dayCount }, (_, i) => first.plus({ days: i }));
  const { lo, hi } = shownHours(
    parsed.flatMap((p) => p.workingSpans),
    timeZone,
  );
  const hours = Array.from({ length: hi - lo }, (_, i) => lo + i);
  const cellsOf = (state: (s: number, e: number) => CellState): GridCell[] =>
    days.flatMap((day) =>
      hours.map((h) => {
        // Wall-clock hours of that day: on a DST day, 02:00–03:00 may be shorter or repeated.
        const start = day.set({ hour: h }).toMillis();
        const end =
          h + 1 === 24 ? day.plus({ days: 1 }).toMillis() : day.set({ hour: h + 1 }).toMillis();
        // Decided here once, for every row (Everyone too): a window that began earlier today must
        // not draw the hours already gone as free. An hour under way counts as past, as "free"
        // means the whole hour is still bookable.
        return { start, end, state: start < now ? 'past' : state(start, end) };
      }),
    );
  const known = parsed.filter((p) => p.known);
  const everyone: GridRow = {
    key: '__all',
    label: 'Everyone',
    note: null,
    cells: cellsOf((s, e) => {
      if (known.length === 0) return 'unknown';
      const states = known.map((p) =>
        cellState({ known: true, working: p.workingSpans, busy: p.busySpans }, s, e),
      );
      if (states.every((x) => x === 'free')) return 'free';
      return states.includes('busy') ? 'busy' : 'off';
    }),
  };
  return {
    days,
    hours,
    rows: [
      everyone,
      ...parsed.map((p) => ({
        key: p.email,
        label: p.name ?? p.email,
        note: p.known ? null : p.message,
        cells: cellsOf((s, e) =>
          cellState({ known: p.known, working: p.workingSpans, busy: p.busySpans }, s, e),
        ),
      })),
    ],
  };
}
