// Whether a series' later occurrences keep to people's hours, for series found outside the
// engine's own search (series-times.ts checks the first times find-times offered). Another
// zone's clock change can move the fifth occurrence of a 15:00 Berlin meeting from 10:00 to
// 09:00 in New York, before someone's day: the engine's plans say so, as for a single slot.
import { planAttendees } from './attendee-plan.ts';
import { burdenOf } from './burden.ts';
import type { Interval } from './series.ts';
import type { AttendeeAvailability, OutsideHours, WorkingHoursMode } from './types.ts';
import { ZoneTimeline } from './zone-timeline.ts';

export interface SeriesHours {
  /** Every occurrence lies where every required attendee allows (hours per the mode). */
  fits: boolean;
  /** Minutes outside each attendee's working hours, summed over the occurrences. */
  outsideHours: OutsideHours[];
}

/**
 * For each series (its occurrences), whether it keeps to the required attendees' working hours
 * (mode `required`) and acceptable hours (both modes), and who it asks to meet outside their
 * working hours, for how long in all. Busy time is not looked at here.
 */
export function seriesHours(
  attendees: readonly AttendeeAvailability[],
  mode: WorkingHoursMode,
  series: ReadonlyArray<readonly Interval[]>,
): SeriesHours[] {
  const all = series.flat();
  if (all.length === 0) return series.map(() => ({ fits: true, outsideHours: [] }));
  const from = Math.min(...all.map((o) => o.start));
  const to = Math.max(...all.map((o) => o.end));
  const timelines = new Map<string, ZoneTimeline>();
  const plans = planAttendees(
    attendees.map((attendee) => ({ ...attendee, busy: [] })),
    {
      timelineOf(zone) {
        let timeline = timelines.get(zone);
        if (!timeline) timelines.set(zone, (timeline = new ZoneTimeline(zone, from, to)));
        return timeline;
      },
      from,
      to,
      bufferMs: 0,
      mode,
    },
  );
  const required = plans.filter((plan) => !plan.optional && plan.allowed);
  return series.map((occurrences) => ({
    fits: occurrences.every((o) => required.every((plan) => plan.allowed?.covers(o.start, o.end))),
    outsideHours: burdenOf(plans, occurrences).outside,
  }));
}
