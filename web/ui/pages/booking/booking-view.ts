// A booking as GET /api/bookings/:id returns it (JSON: dates are ISO strings).
import type { LinkType } from '../schedule/LinkChoice.tsx';

export interface BookingView {
  _id: string;
  title: string;
  start: string;
  end: string;
  status: 'pending' | 'confirmed' | 'cancelled';
  attendees: Array<{ email: string; name?: string; optional: boolean }>;
  linkType: LinkType;
  joinUrl: string | null;
}

/** One meeting of a series as GET /api/bookings/:id lists it (`occurrences`). */
export interface SeriesMeeting {
  /** Where the rule put it: its name when moving or cancelling it. */
  original: string;
  start: string;
  end: string;
  status: 'scheduled' | 'moved' | 'cancelled';
}

/** A date-time input's value (the browser's local time, minutes) for an ISO instant. */
export function localInput(iso: string): string {
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}
