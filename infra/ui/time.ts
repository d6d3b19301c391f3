// Times shown in the viewer's own time zone (the browser's, unless the page knows better), and
// every date in one format, the person's locale's ("Tue 8 Dec" in en-GB, "Tue, Dec 8" in en-US):
// pages call these helpers instead of their own toLocaleString or ISO slices, so a due date, a
// meeting time and an audit entry never show three formats side by side.

export function viewerTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

const HALF_YEAR_MS = 182 * 86_400_000;

/**
 * The day part: weekday, day and month; with the year for a day more than half a year away
 * (an old audit entry), where "Tue 8 Dec" alone would be ambiguous. Days near today (next week,
 * across New Year) read as people say them, without the year.
 */
function dayFormat(date: Date, timeZone: string): Intl.DateTimeFormat {
  const far = Math.abs(date.getTime() - Date.now()) > HALF_YEAR_MS;
  return new Intl.DateTimeFormat(undefined, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    ...(far ? { year: 'numeric' } : {}),
    timeZone,
  });
}

function timeFormat(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', timeZone });
}

/** "Tue 1 Dec, 14:30–15:00" in the given zone. */
export function formatRange(startIso: string, endIso: string, timeZone = viewerTimeZone()): string {
  const start = new Date(startIso);
  const time = timeFormat(timeZone);
  return `${dayFormat(start, timeZone).format(start)}, ${time.format(start)}–${time.format(new Date(endIso))}`;
}

/** "Tue 1 Dec, 14:30": one moment (an audit entry, a deletion). */
export function formatMoment(iso: string | number, timeZone = viewerTimeZone()): string {
  const at = new Date(iso);
  return `${dayFormat(at, timeZone).format(at)}, ${timeFormat(timeZone).format(at)}`;
}

/**
 * "Fri 11 Dec": a calendar day. A date without a time (`2026-12-11`, as a due date is written)
 * is that day wherever the viewer is, so it is read and shown in UTC, never shifted a day.
 */
export function formatDay(value: string, timeZone = viewerTimeZone()): string {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const at = new Date(dateOnly ? `${value}T12:00:00Z` : value);
  if (Number.isNaN(at.getTime())) return value;
  const zone = dateOnly ? 'UTC' : timeZone;
  return dayFormat(at, zone).format(at);
}
