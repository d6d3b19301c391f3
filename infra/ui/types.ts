// The shapes Quorum's API returns, as the browser pages read them (JSON: dates are ISO strings).

export interface SlotView {
  start: string;
  end: string;
  score?: number;
  /** Optional attendees who are free, when the API says. */
  optionalFree?: string[];
  /** Each person whose calendar was read, on their own clock (core/scheduling/local-times.ts). */
  people?: PersonTimeView[];
}

export interface PersonTimeView {
  email: string;
  name: string;
  timeZone: string;
  weekday: string;
  start: string;
  end: string;
  minutesOutside: number;
  hours: 'inside' | 'before' | 'after' | 'day-off';
  /** "Lee Wong: Mon 22:30–23:00 Sydney, 30 min after hours" */
  text: string;
}

export interface UnknownAttendee {
  email: string;
  reason: 'guest' | 'timeout' | 'forbidden' | 'error' | 'not-found' | 'needs-reconnect';
  message: string;
}

/** POST /api/scheduling/find */
export interface FindTimesView {
  timeZone: string;
  slots: SlotView[];
  /** No time lay inside everyone's working hours: these cost the least time outside them. */
  leastBurden?: boolean;
  /** What to say above least-burden times, worded by core (the same on every surface). */
  leastBurdenNote?: string;
  unknown: UnknownAttendee[];
  required: string[];
  optional: string[];
}

export interface AgendaItemView {
  topic: string;
  owner: string | null;
  source: 'invite' | 'open-action-item';
}

export interface ActionItemView {
  index: number;
  task: string;
  owner: string | null;
  due: string | null;
  done: boolean;
}

export interface SummaryView {
  summary: string[];
  decisions: string[];
  openQuestions: string[];
  engine: string;
}
