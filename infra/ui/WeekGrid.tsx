// A picture of the week: one row per person, one cell per hour of each day (in the viewer's
// zone), coloured free, busy, outside working hours, unknown, or past (already begun) — and a
// first row where everyone is free. Shared by the web app's Schedule page and the meeting panels.
import { Caption1, Text, tokens } from '@fluentui/react-components';
import { DateTime } from 'luxon';
import type { CSSProperties } from 'react';
import {
  gridModel,
  type CellState,
  type IntervalView,
  type PersonAvailabilityView,
} from './availability-cells.ts';

export type { IntervalView, PersonAvailabilityView, CellState } from './availability-cells.ts';

const COLORS: Record<CellState, string> = {
  free: '#2e7d32',
  busy: '#c62828',
  off: '#d6d6d6',
  unknown: '#ffffff',
  past: '#eeeeee',
};
/** Hatching, so unknown and past are told apart from the plain greys without relying on colour. */
const PATTERNS: Partial<Record<CellState, string>> = {
  unknown: 'repeating-linear-gradient(45deg, #9e9e9e 0 2px, transparent 2px 6px)',
  past: 'repeating-linear-gradient(0deg, #bdbdbd 0 1px, transparent 1px 4px)',
};
const LABELS: Record<CellState, string> = {
  free: 'free',
  busy: 'busy',
  off: 'outside working hours',
  unknown: 'unknown',
  past: 'past (not offered)',
};

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
  const model = gridModel(people, window, timeZone, days);
  const dayStarts = model.days;
  const hours = model.hours;
  const lo = hours[0] ?? 0;
  const hi = (hours.at(-1) ?? 23) + 1;
  const hl = highlight
    ? { start: Date.parse(highlight.start), end: Date.parse(highlight.end) }
    : null;
  const allRows = model.rows.map((row) => ({
    ...row,
    cells: row.cells.map((c) => ({
      s: c.start,
      e: c.end,
      state: c.state,
      chosen: hl ? hl.start < c.end && c.start < hl.end : false,
    })),
  }));
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
      {/* Focusable: a wide week (a day of 24 hours) scrolls, and the keyboard must reach it too. */}
      <div style={{ overflowX: 'auto', paddingBottom: 8 }} tabIndex={0}>
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
          {/* Hour marks every three hours, so a cell can be read as a time of day. */}
          <div />
          {dayStarts.flatMap((d) =>
            hours.map((h, i) => (
              <div
                key={`${d.toISODate()}-${h}`}
                style={{
                  fontSize: 10,
                  lineHeight: '12px',
                  whiteSpace: 'nowrap',
                  overflow: 'visible',
                  borderLeft: i === 0 ? `2px solid ${tokens.colorNeutralForeground1}` : undefined,
                  paddingLeft: 1,
                  color: tokens.colorNeutralForeground2,
                }}
              >
                {h % 3 === 0 ? h : ''}
              </div>
            )),
          )}
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
                    backgroundImage: PATTERNS[c.state],
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
                backgroundImage: PATTERNS[state],
              }}
            />
            <Caption1>{LABELS[state]}</Caption1>
          </li>
        ))}
      </ul>
      {allRows
        .filter((r) => r.note)
        .map((r) => (
          <Caption1 key={r.key} block>
            {r.note}
          </Caption1>
        ))}
    </figure>
  );
}
