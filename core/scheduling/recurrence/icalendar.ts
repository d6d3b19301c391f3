// A series in iCalendar parts, shared by the CalDAV event writer (infra/providers/caldav) and the
// iTIP invitations (core/email/itip.ts) so both describe a series the same way: the RRULE, date-times
// with the organizer's TZID, and a VTIMEZONE for that zone built from the zone rules luxon (Intl)
// knows.
//
// RFC 5545 wants every TZID used in an object defined in it. Quorum has no tz database of its
// own, so it writes the "truncated" form RFC 7809 describes: the offsets in force over a window
// around the event, each change as an observance with an explicit onset and no RRULE.
import ICAL from 'ical.js';
import { DateTime, FixedOffsetZone } from 'luxon';
import type { SeriesSpec } from './expand.ts';
import { MAX_HORIZON_DAYS } from './rule.ts';
import { toRRule } from './series.ts';

type Component = InstanceType<typeof ICAL.Component>;
type Property = InstanceType<typeof ICAL.Property>;

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * The VTIMEZONE for an event from `start` to `end` in `zone`: a year either side, and for a
 * series the longest it can run, since it needs every offset its occurrences fall in.
 */
export function vtimezoneFor(zone: string, start: Date, end: Date, recurring: boolean): Component {
  const YEAR = 366 * DAY;
  return truncatedVtimezone(
    zone,
    start.getTime() - YEAR,
    end.getTime() + YEAR + (recurring ? MAX_HORIZON_DAYS * DAY : 0),
  );
}

/** Observances exact for every instant in [from, to] (epoch ms) in `zone`. */
export function truncatedVtimezone(zone: string, from: number, to: number): Component {
  const vtimezone = new ICAL.Component('vtimezone');
  vtimezone.addPropertyWithValue('tzid', zone);
  const offsetAt = (ms: number) => DateTime.fromMillis(ms, { zone }).offset;

  let offset = offsetAt(from);
  vtimezone.addSubcomponent(observance(zone, from, offset, offset));
  // Zones change offset at most once a day, so a daily walk finds every change; a binary
  // search then pins it to the minute.
  for (let day = from; day < to; day += DAY) {
    const next = offsetAt(day + DAY);
    if (next === offset) continue;
    let before = day;
    let after = day + DAY;
    while (after - before > MINUTE) {
      const middle = before + Math.floor((after - before) / MINUTE / 2) * MINUTE;
      if (offsetAt(middle) === offset) before = middle;
      else after = middle;
    }
    vtimezone.addSubcomponent(observance(zone, after, offset, next));
    offset = next;
  }
  return vtimezone;
}

/** A STANDARD or DAYLIGHT observance whose onset is `at`, written in the offset before it. */
function observance(zone: string, at: number, fromMinutes: number, toMinutes: number): Component {
  const inZone = DateTime.fromMillis(at, { zone });
  const onset = DateTime.fromMillis(at, { zone: FixedOffsetZone.instance(fromMinutes) });
  const component = new ICAL.Component(inZone.isInDST ? 'daylight' : 'standard');
  component.addPropertyWithValue(
    'dtstart',
    ICAL.Time.fromData({
      year: onset.year,
      month: onset.month,
      day: onset.day,
      hour: onset.hour,
      minute: onset.minute,
      second: 0,
    }),
  );
  component.addPropertyWithValue('tzoffsetfrom', ICAL.UtcOffset.fromSeconds(fromMinutes * 60));
  component.addPropertyWithValue('tzoffsetto', ICAL.UtcOffset.fromSeconds(toMinutes * 60));
  component.addPropertyWithValue('tzname', inZone.offsetNameShort ?? zone);
  return component;
}

/** The RRULE property of a series. */
export function rruleProperty(spec: SeriesSpec): Property {
  const property = new ICAL.Property('rrule');
  property.setValue(ICAL.Recur.fromString(toRRule(spec)));
  return property;
}

/** A date-time property in the series' zone (UTC zones as UTC), like its DTSTART. */
export function zonedProperty(name: string, instant: Date, zone: string | undefined): Property {
  const property = new ICAL.Property(name);
  if (zone === undefined) {
    property.setValue(ICAL.Time.fromJSDate(instant, true));
    return property;
  }
  const local = DateTime.fromJSDate(instant, { zone });
  property.setParameter('tzid', zone);
  property.setValue(
    ICAL.Time.fromData({
      year: local.year,
      month: local.month,
      day: local.day,
      hour: local.hour,
      minute: local.minute,
      second: local.second,
    }),
  );
  return property;
}

/** Zones written as UTC (no TZID, no VTIMEZONE). */
export function isUtc(zone: string): boolean {
  return /^(utc|etc\/utc|gmt|etc\/gmt|z)$/i.test(zone);
}
