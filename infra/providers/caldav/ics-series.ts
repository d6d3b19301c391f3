// A series in iCalendar terms: RRULE on the master VEVENT, EXDATE for a cancelled occurrence,
// an overriding VEVENT with RECURRENCE-ID for a moved one, and UNTIL for ending the series early.
// Occurrences are named in the same form as DTSTART (wall clock with the TZID), as RFC 5545 asks.
import ICAL from 'ical.js';
import {
  ProviderError,
  type SeriesChange,
  type SeriesOnCalendar,
} from '../../../core/calendars/provider.ts';
import {
  occurrenceAt,
  ruleEndingBefore,
  type SeriesSpec,
} from '../../../core/scheduling/recurrence/index.ts';
import { rruleProperty, zonedProperty } from '../../../core/scheduling/recurrence/icalendar.ts';

type Component = InstanceType<typeof ICAL.Component>;

export function specOf(series: SeriesOnCalendar): SeriesSpec {
  return {
    rule: series.rule,
    timeZone: series.timeZone,
    start: series.start,
    durationMinutes: (series.end.getTime() - series.start.getTime()) / 60_000,
  };
}

/**
 * Applies `change` to a stored series object (its VCALENDAR, changed in place). `zone` is the TZID
 * its DTSTART uses (undefined when in UTC).
 */
export function applySeriesChange(
  calendar: Component,
  series: SeriesOnCalendar,
  change: SeriesChange,
  zone: string | undefined,
): void {
  const spec = specOf(series);
  if (!occurrenceAt(spec, change.original)) {
    throw new ProviderError(
      `the series has no occurrence starting ${change.original.toISOString()}`,
      404,
    );
  }
  const events = calendar.getAllSubcomponents('vevent');
  const master = events.find((e) => !e.hasProperty('recurrence-id'));
  if (!master?.hasProperty('rrule'))
    throw new ProviderError('the stored CalDAV object is not a series', 400);
  const at = change.original.getTime();
  const overrideAt = (from: number, inclusiveAfter: boolean) =>
    events.filter((e) => {
      const id = e.getFirstPropertyValue('recurrence-id') as InstanceType<typeof ICAL.Time> | null;
      if (!id) return false;
      const t = id.toJSDate().getTime();
      return inclusiveAfter ? t >= from : t === from;
    });
  bump(master);
  if (change.kind === 'cancel-occurrence') {
    for (const e of overrideAt(at, false)) calendar.removeSubcomponent(e);
    master.addProperty(zonedProperty('exdate', change.original, zone));
    return;
  }
  if (change.kind === 'move-occurrence') {
    for (const e of overrideAt(at, false)) calendar.removeSubcomponent(e);
    const moved = new ICAL.Component('vevent');
    for (const property of master.getAllProperties()) {
      if (!['rrule', 'exdate', 'dtstart', 'dtend'].includes(property.name)) {
        moved.addProperty(ICAL.Property.fromString(property.toICALString()));
      }
    }
    moved.addProperty(zonedProperty('recurrence-id', change.original, zone));
    moved.addProperty(zonedProperty('dtstart', change.start, zone));
    moved.addProperty(zonedProperty('dtend', change.end, zone));
    calendar.addSubcomponent(moved);
    return;
  }
  if (at === series.start.getTime()) {
    throw new ProviderError(
      'ending a series at its first occurrence cancels it: delete the event',
      400,
    );
  }
  for (const e of overrideAt(at, true)) calendar.removeSubcomponent(e);
  const cut = { ...spec, rule: ruleEndingBefore(spec, change.original) };
  master.removeAllProperties('rrule');
  master.addProperty(rruleProperty(cut));
}

/** SEQUENCE one more and a new DTSTAMP, so clients take the change. */
function bump(event: Component) {
  const sequence = Number(event.getFirstPropertyValue('sequence') ?? 0);
  event.updatePropertyWithValue('sequence', (Number.isFinite(sequence) ? sequence : 0) + 1);
  event.updatePropertyWithValue('dtstamp', ICAL.Time.fromJSDate(new Date(), true));
}
