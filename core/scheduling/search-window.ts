// The days a person asks Quorum to search for free times, as every surface must treat them.
//
// Calendar apps never offer a time that is already over: Google Calendar's "Find a time" and
// Outlook's Scheduling Assistant start at the present and grey out the past. So a window that
// has begun is searched from now on, and a window that is over entirely is refused with a
// sentence saying so; answered with "no common time" instead, it read as if everyone were busy,
// under a week grid showing them free.

export interface SearchWindow {
  start: Date;
  end: Date;
}

export const WINDOW_OVER =
  'These days are over: Quorum only finds times from now on. Choose a last day from today on.';

/** True when nothing of the window is left to search at `now`. */
export function windowIsOver(window: SearchWindow, now: number): boolean {
  return window.end.getTime() <= now;
}

/** The part of the window still ahead: it starts at `now` when it has begun. */
export function remainingWindow(window: SearchWindow, now: number): SearchWindow {
  return window.start.getTime() >= now ? window : { start: new Date(now), end: window.end };
}
