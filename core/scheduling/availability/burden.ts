// How much a slot asks of people outside their working hours, and the order of least burden:
// the total minutes outside the hours of required attendees, then the most any one of them
// gives, then how far past the edge of anyone's hours it reaches (16:30 beats midnight for the
// same 30 minutes), then the earlier start. Plain figures a person can check, not a score.
// For a series the minutes are summed over its occurrences (each person's share of the whole
// series), and the reach is the farthest any occurrence goes.
import type { AttendeePlan } from './attendee-plan.ts';
import type { OutsideHours } from './types.ts';
import { MINUTE_MS } from './zone-timeline.ts';

export interface Burden {
  /** Every attendee (request order) with at least one minute outside their hours. */
  outside: OutsideHours[];
  /** Minutes outside hours summed over required attendees. */
  total: number;
  /** The most minutes outside hours of any one required attendee. */
  most: number;
  /** How far (minutes) the slot reaches from the nearest hours of any required attendee. */
  reach: number;
}

/** Minutes of [start, end) outside the attendee's working hours; 0 when they stated none. */
export function minutesOutside(plan: AttendeePlan, start: number, end: number): number {
  if (!plan.hours) return 0;
  return Math.round((end - start - plan.hours.overlap(start, end)) / MINUTE_MS);
}

/** The burden of a meeting's occurrences (one, unless it is a series). */
export function burdenOf(
  plans: readonly AttendeePlan[],
  occurrences: ReadonlyArray<{ start: number; end: number }>,
): Burden {
  const outside: OutsideHours[] = [];
  let total = 0;
  let most = 0;
  let reach = 0;
  for (const plan of plans) {
    let minutes = 0;
    for (const o of occurrences) minutes += minutesOutside(plan, o.start, o.end);
    if (minutes === 0) continue;
    outside.push({ id: plan.id, minutes });
    const hours = plan.hours;
    if (plan.optional || !hours) continue;
    total += minutes;
    most = Math.max(most, minutes);
    for (const o of occurrences) {
      reach = Math.max(reach, Math.round(hours.farthestDistance(o.start, o.end) / MINUTE_MS));
    }
  }
  return { outside, total, most, reach };
}

export function byLeastBurden(
  a: { start: number; burden: Burden },
  b: { start: number; burden: Burden },
): number {
  return (
    a.burden.total - b.burden.total ||
    a.burden.most - b.burden.most ||
    a.burden.reach - b.burden.reach ||
    a.start - b.start
  );
}
