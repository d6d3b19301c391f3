// Times shown in the viewer's own time zone (the browser's, unless the page knows better).

export function viewerTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** "Tue 1 Dec, 14:30–15:00" in the given zone. */
export function formatRange(startIso: string, endIso: string, timeZone = viewerTimeZone()): string {
  const day = new Intl.DateTimeFormat(undefined, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    timeZone,
  });
  const time = new Intl.DateTimeFormat(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
  });
  const start = new Date(startIso);
  return `${day.format(start)}, ${time.format(start)}–${time.format(new Date(endIso))}`;
}
