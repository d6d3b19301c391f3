// One weekly series used by every calendar kind's series test: Tuesdays 09:00-09:30 in Berlin
// from 13 October 2026, six times, across Berlin's return to standard time on 25 October.
import { expect } from 'vitest';
import {
  ProviderError,
  type CalendarProvider,
  type EventInput,
  type SeriesOnCalendar,
} from '../../core/calendars/provider.ts';

export const SERIES_INPUT: EventInput = {
  title: 'Weekly sync',
  start: new Date('2026-10-13T07:00:00Z'),
  end: new Date('2026-10-13T07:30:00Z'),
  timeZone: 'Europe/Berlin',
  attendees: [{ email: 'raj@example.com' }],
  onlineMeeting: 'none',
  requestId: 'series-1',
  recurrence: { frequency: 'weekly', interval: 1, count: 6 },
};

export const SERIES_ON_CALENDAR: SeriesOnCalendar = {
  rule: SERIES_INPUT.recurrence!,
  timeZone: SERIES_INPUT.timeZone,
  start: SERIES_INPUT.start,
  end: SERIES_INPUT.end,
};

/** Where the six occurrences start (09:00 Berlin: 07:00Z in summer time, 08:00Z after). */
export const SERIES_STARTS = [
  '2026-10-13T07:00:00.000Z',
  '2026-10-20T07:00:00.000Z',
  '2026-10-27T08:00:00.000Z',
  '2026-11-03T08:00:00.000Z',
  '2026-11-10T08:00:00.000Z',
  '2026-11-17T08:00:00.000Z',
];

/** The third occurrence moves to Wednesday 28 October 14:00 Berlin. */
export const MOVED = {
  original: new Date(SERIES_STARTS[2]!),
  start: new Date('2026-10-28T13:00:00Z'),
  end: new Date('2026-10-28T13:30:00Z'),
};

/** After: the second cancelled, the third moved, the rest ended from the fifth. */
export const STARTS_LEFT = [SERIES_STARTS[0]!, MOVED.start.toISOString(), SERIES_STARTS[3]!];

export const SERIES_SPAN = {
  start: new Date('2026-10-12T00:00:00Z'),
  end: new Date('2026-11-30T00:00:00Z'),
};

/**
 * The scenario's three changes, in the order every calendar kind is tested with: move the third
 * occurrence, cancel the second, end the series from the fifth (leaving STARTS_LEFT). Shared so
 * each calendar's test checks only what that calendar writes for them.
 */
export async function changeSeriesAsScenario(
  calendar: Pick<CalendarProvider, 'changeSeries'>,
  providerEventId: string,
) {
  await calendar.changeSeries(providerEventId, SERIES_ON_CALENDAR, {
    kind: 'move-occurrence',
    ...MOVED,
  });
  await calendar.changeSeries(providerEventId, SERIES_ON_CALENDAR, {
    kind: 'cancel-occurrence',
    original: new Date(SERIES_STARTS[1]!),
  });
  await calendar.changeSeries(providerEventId, SERIES_ON_CALENDAR, {
    kind: 'end-series',
    original: new Date(SERIES_STARTS[4]!),
  });
}

/** Cancelling a time the series never had (a Wednesday) must fail as a ProviderError. */
export async function expectUnknownOccurrenceRefused(
  calendar: Pick<CalendarProvider, 'changeSeries'>,
  providerEventId: string,
) {
  await expect(
    calendar.changeSeries(providerEventId, SERIES_ON_CALENDAR, {
      kind: 'cancel-occurrence',
      original: new Date('2026-10-14T07:00:00Z'),
    }),
  ).rejects.toThrow(ProviderError);
}
