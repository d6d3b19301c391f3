// A picture of the week: one row per person, one cell per hour of each day (in the viewer's
// zone), coloured free, busy, outside working hours, or unknown — and a first row where
// everyone is free. Shared by the web app's Schedule page and the meeting panels.
import { Caption1, Text, tokens } from '@fluentui/react-components';
import { DateTime } from 'luxon';
import type { CSSProperties } from 'react';

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

export type CellState = 'free' | 'busy' | 'off' | 'unknown';

const COLORS: Record<CellState, string> = {
  free: '#2e7d32',
  busy: '#c62828',
  off: '#d6d6d6',
  unknown: '#ffffff',
};
const LABELS: Record<CellState, string> = {
  free: 'free',
  busy: 'busy',
  off: 'outside working hours',
  unknown: 'unknown',
};

interface Span {
  start: number;
  end: number;
}
const spans = (list: IntervalView[]): Span[] =>
  list.map((i) => ({ start: Date.parse(i.start), end: Date.parse(i.end) }));
const overlaps = (list: Span[], s: number, e: number) => list.some((i) => i.start < e && s < i.end);
const covers = (list: Span[], s: number, e: number) => list.some((i) => i.start <= s && e <= i.end);

/** The state of one person over [s, e). */
export function cellState(
  person: { known: boolean; working: Span[]; busy: Span[] },
  s: number,
  e: number,
): CellState {
  if (!person.known) return 'unknown';
  if (overlaps(person.busy, s, e)) return 'busy';
  return covers(person.working, s, e) ? 'free' : 'off';
}

export function WeekGrid({
  people,
  window,
  timeZone,
  days = 7,
  highlight,
}: {
  people: PersonAvailabilityView[];
  window: IntervalView;
  timeZone: string;
  days?: number;
  /** A slot to outline (e.g. the one chosen). */
  highlight?: IntervalView | null;
}) {
  const rows = people.map((p) => ({
    ...p,
    workingSpans: spans(p.working),
    busySpans: spans(p.busy),
  }));
  const first = DateTime.fromISO(window.start, { zone: timeZone }).startOf('day');
  const dayStarts = Array.from({ length: days }, (_, i) => first.plus({ days: i }));
  // Hours shown: the span of anyone's working hours (in the viewer's zone), at least 8–18.
  let lo = 8;
  let hi = 18;
  for (const p of rows) {
    for (const w of p.workingSpans) {
      const s = DateTime.fromMillis(w.start, { zone: timeZone });
      const e = DateTime.fromMillis(w.end, { zone: timeZone });
      if (s.hasSame(e, 'day') || e.hour === 0) {
        lo = Math.min(lo, s.hour);
        hi = Math.max(
          hi,
          e.hour === 0 && !s.hasSame(e, 'day') ? 24 : Math.ceil(e.hour + e.minute / 60),
        );
      } else {
        lo = 0;
        hi = 24;
      }
    }
  }
  const hours = Array.from({ length: hi - lo }, (_, i) => lo + i);
  const hl = highlight
    ? { start: Date.parse(highlight.start), end: Date.parse(highlight.end) }
    : null;
  const cellsOf = (state: (s: number, e: number) => CellState) =>
    dayStarts.flatMap((day) =>
      hours.map((h) => {
        const s = day.plus({ hours: h }).toMillis();
        const e = day.plus({ hours: h + 1 }).toMillis();
        return { s, e, state: state(s, e), chosen: hl ? hl.start < e && s < hl.end : false };
      }),
    );
  const everyone = cellsOf((s, e) => {
    const states = rows
      .filter((r) => r.known)
      .map((r) => cellState({ known: true, working: r.workingSpans, busy: r.busySpans }, s, e));
    if (states.length === 0) return 'unknown';
    return states.every((x) => x === 'free') ? 'free' : states.includes('busy') ? 'busy' : 'off';
  });
  const allRows = [
    { key: '__all', label: 'Everyone', cells: everyone, note: null as string | null },
    ...rows.map((r) => ({
      key: r.email,
      label: r.name ?? r.email,
      note: r.known ? null : r.message,
      cells: cellsOf((s, e) =>
        cellState({ known: r.known, working: r.workingSpans, busy: r.busySpans }, s, e),
      ),
    })),
  ];
  const columns = dayStarts.length * hours.length;
  const grid: CSSProperties = {
    display: 'grid',
    gridTemplateColumns: `minmax(7rem, 10rem) repeat(${columns}, minmax(9px, 1fr))`,
    alignItems: 'stretch',
    minWidth: `${10 + columns * 0.7}rem`,
    rowGap: 4,
  };
  const hourFmt = (h: number) => `${String(h).padStart(2, '0')}:00`;
  const summary = allRows
    .map((r) => `${r.label}: ${r.cells.filter((c) => c.state === 'free').length} free hours`)
    .join('; ');
  return (
    <figure style={{ margin: 0 }} data-testid="week-grid">
      <figcaption>
        <Text weight="semibold">Who is free this week</Text>{' '}
        <Caption1>
          (times in {timeZone}, {hourFmt(lo)}–{hourFmt(hi)})
        </Caption1>
      </figcaption>
      <div style={{ overflowX: 'auto', paddingBottom: 8 }}>
        <div style={grid} role="img" aria-label={`Week grid. ${summary}.`}>
          <div />
          {dayStarts.map((d) => (
            <div
              key={d.toISODate()}
              style={{
                gridColumn: `span ${hours.length}`,
                borderLeft: `2px solid ${tokens.colorNeutralForeground1}`,
                paddingLeft: 4,
                fontSize: 12,
                whiteSpace: 'nowrap',
                overflow: 'hidden',
              }}
            >
              {d.toFormat('ccc d LLL')}
            </div>
          ))}
          {allRows.map((row) => (
            <div key={row.key} style={{ display: 'contents' }} data-person={row.key}>
              <div
                style={{
                  fontSize: 13,
                  paddingRight: 8,
                  overflow: 'hidden',
                  textOverflow: 'ellipsis',
                  whiteSpace: 'nowrap',
                  fontWeight: row.key === '__all' ? 600 : 400,
                }}
                title={row.note ?? row.label}
              >
                {row.label}
              </div>
              {row.cells.map((c, i) => (
                <div
                  key={c.s}
                  data-state={c.state}
                  title={`${row.label}, ${DateTime.fromMillis(c.s, { zone: timeZone }).toFormat('ccc HH:mm')}: ${LABELS[c.state]}`}
                  style={{
                    height: 22,
                    background: COLORS[c.state],
                    backgroundImage:
                      c.state === 'unknown'
                        ? 'repeating-linear-gradient(45deg, #9e9e9e 0 2px, transparent 2px 6px)'
                        : undefined,
                    borderLeft:
                      i % hours.length === 0
                        ? `2px solid ${tokens.colorNeutralForeground1}`
                        : '1px solid #fff',
                    outline: c.chosen ? '2px solid #1a1a1a' : undefined,
                    outlineOffset: -2,
                  }}
                />
              ))}
            </div>
          ))}
        </div>
      </div>
      <ul
        aria-label="Legend"
        style={{
          display: 'flex',
          flexWrap: 'wrap',
          gap: 16,
          listStyle: 'none',
          padding: 0,
          margin: 0,
        }}
      >
        {(Object.keys(COLORS) as CellState[]).map((state) => (
          <li key={state} style={{ display: 'flex', alignItems: 'center', gap: 6 }}>
            <span
              aria-hidden="true"
              style={{
                display: 'inline-block',
                width: 14,
                height: 14,
                border: '1px solid #616161',
                background: COLORS[state],
                backgroundImage:
                  state === 'unknown'
                    ? 'repeating-linear-gradient(45deg, #9e9e9e 0 2px, transparent 2px 6px)'
                    : undefined,
              }}
            />
            <Caption1>{LABELS[state]}</Caption1>
          </li>
        ))}
      </ul>
      {rows
        .filter((r) => !r.known)
        .map((r) => (
          <Caption1 key={r.email} block>
            {r.message}
          </Caption1>
        ))}
    </figure>
  );
}
