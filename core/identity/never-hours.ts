// "Never before 07:00, never after 21:00": the two answers a person gives (either may be empty),
// and the acceptable hours Quorum stores and the engine reads (from `start` to `end` each day in
// the person's zone). Pure, so the web page and the Slack modal read and write them alike.

export interface NeverHours {
  /** "HH:MM", or '' for no limit in the morning. */
  before: string;
  /** "HH:MM", or '' for no limit in the evening. */
  after: string;
}

/** The answers → acceptable hours; both empty → null (any time). */
export function acceptableFromNever(never: NeverHours): { start: string; end: string } | null {
  if (!never.before && !never.after) return null;
  return { start: never.before || '00:00', end: never.after || '24:00' };
}

/** Acceptable hours → the answers, a limit at either end of the day shown as none. */
export function neverFromAcceptable(
  hours: { start: string; end: string } | null | undefined,
): NeverHours {
  return {
    before: hours && hours.start !== '00:00' ? hours.start : '',
    after: hours && hours.end !== '24:00' ? hours.end : '',
  };
}

/** "before 07:00, after 21:00", "after 21:00", or '' when Quorum may use any time. */
export function neverText(hours: { start: string; end: string } | null | undefined): string {
  const { before, after } = neverFromAcceptable(hours);
  return [before && `before ${before}`, after && `after ${after}`].filter(Boolean).join(', ');
}
