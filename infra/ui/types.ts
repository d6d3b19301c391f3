// The shapes Quorum's API returns, as the browser pages read them (JSON: dates are ISO strings).

export interface SlotView {
  start: string;
  end: string;
  score?: number;
  /** Optional attendees who are free, when the API says. */
  optionalFree?: string[];
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
