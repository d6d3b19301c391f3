// Turns the iCalendar objects a CalDAV server returns into the occurrences inside a range.
//
// CalDAV returns a whole resource when any instance of it touches the range: a recurring master
// with its RRULE/RDATE/EXDATE plus overridden instances (RECURRENCE-ID). Expanding them is ours
// to do, with ical.js; servers differ too much in what `expand` they support.
import ICAL from 'ical.js';
import { DateTime, IANAZone } from 'luxon';

type Component = InstanceType<typeof ICAL.Component>;
type IcalEvent = InstanceType<typeof ICAL.Event>;
type IcalTime = InstanceType<typeof ICAL.Time>;

export interface Occurrence {
  start: number;
  end: number;
  /** TRANSP:TRANSPARENT occurrences are `free`; cancelled ones are never returned. */
  status: 'busy' | 'tentative' | 'free';
  title: string;
  attendees: string[];
  joinUrl?: string;
}

/** Guards against endless rules (FREQ=MINUTELY since 1990): expansion stops after this many. */
const MAX_INSTANCES = 20_000;

/**
 * The occurrences of every event in `ics` that overlap [range.start, range.end) (epoch ms).
 * `floatingZone` places floating times, all-day dates and TZIDs that are neither defined in
 * the object nor known IANA names (the calendar owner's zone is the right choice).
 */
export function occurrencesIn(
  ics: string,
  range: { start: number; end: number },
  floatingZone: string,
): Occurrence[] {
  const root = new ICAL.Component(ICAL.parse(ics));
  const series = new Map<string, { master?: Component; overrides: Component[] }>();
  for (const vevent of root.getAllSubcomponents('vevent')) {
    const uid = String(vevent.getFirstPropertyValue('uid') ?? '');
    const entry = series.get(uid) ?? { overrides: [] };
    if (vevent.hasProperty('recurrence-id')) entry.overrides.push(vevent);
    else entry.master = vevent;
    series.set(uid, entry);
  }

  const found: Occurrence[] = [];
  const keep = (item: IcalEvent, start: IcalTime, end: IcalTime) => {
    const occurrence = toOccurrence(item, start, end, floatingZone);
    if (occurrence && occurrence.start < range.end && occurrence.end > range.start) {
      found.push(occurrence);
    }
  };
  for (const { master, overrides } of series.values()) {
    if (!master) {
      // Only some instances were shared with this user: each stands alone.
      for (const override of overrides) {
        const event = new ICAL.Event(override);
        keep(event, event.startDate, event.endDate);
      }
      continue;
    }
    const event = new ICAL.Event(master, { exceptions: overrides });
    if (event.isRecurring()) expandSeries(event, range, floatingZone, keep);
    else keep(event, event.startDate, event.endDate);
  }
  return found.sort((a, b) => a.start - b.start);
}

function expandSeries(
  event: IcalEvent,
  range: { end: number },
  floatingZone: string,
  keep: (item: IcalEvent, start: IcalTime, end: IcalTime) => void,
): void {
  const tzid = parameter(event.component, 'dtstart', 'tzid');
  const visited = new Set<string>();
  const iterator = event.iterator();
  for (let n = 0; n < MAX_INSTANCES; n++) {
    const next = iterator.next();
    if (!next || instant(next, tzid, floatingZone) >= range.end) break;
    visited.add(next.toString());
    visited.add(next.convertToZone(ICAL.Timezone.utcTimezone).toString());
    const details = event.getOccurrenceDetails(next);
    keep(details.item, details.startDate, details.endDate);
  }
  // An override can move an instance from beyond the range (not iterated) into it.
  for (const override of Object.values(event.exceptions)) {
    if (!visited.has(override.recurrenceId.toString())) {
      keep(override, override.startDate, override.endDate);
    }
  }
}

function toOccurrence(
  item: IcalEvent,
  startTime: IcalTime,
  endTime: IcalTime,
  floatingZone: string,
): Occurrence | undefined {
  const component = item.component;
  const status = String(component.getFirstPropertyValue('status') ?? '').toUpperCase();
  if (status === 'CANCELLED') return undefined;
  const startTzid = parameter(component, 'dtstart', 'tzid');
  const start = instant(startTime, startTzid, floatingZone);
  const end = instant(endTime, parameter(component, 'dtend', 'tzid') ?? startTzid, floatingZone);
  if (!(end > start)) return undefined;
  const transparent =
    String(component.getFirstPropertyValue('transp') ?? '').toUpperCase() === 'TRANSPARENT';
  const joinUrl = meetingLink(component);
  return {
    start,
    end,
    status: transparent ? 'free' : status === 'TENTATIVE' ? 'tentative' : 'busy',
    title: item.summary ?? '',
    attendees: component
      .getAllProperties('attendee')
      .map((p) => String(p.getFirstValue()).replace(/^mailto:/i, ''))
      .filter((email) => email !== ''),
    ...(joinUrl ? { joinUrl } : {}),
  };
}

/**
 * Epoch ms of an iCalendar time. Times in UTC or in a VTIMEZONE of the object are exact in
 * ical.js; others carry their wall clock, placed in the TZID if it is an IANA name (many servers
 * omit VTIMEZONE for those) or else in the floating zone. Dates start at midnight there.
 */
function instant(time: IcalTime, tzid: string | undefined, floatingZone: string): number {
  if (!time.isDate && time.zone && time.zone !== ICAL.Timezone.localTimezone) {
    return time.toUnixTime() * 1000;
  }
  const zone = !time.isDate && tzid && IANAZone.isValidZone(tzid) ? tzid : floatingZone;
  const wallClock = { year: time.year, month: time.month, day: time.day };
  return DateTime.fromObject(
    time.isDate
      ? wallClock
      : { ...wallClock, hour: time.hour, minute: time.minute, second: time.second },
    { zone },
  ).toMillis();
}

function parameter(component: Component, property: string, name: string): string | undefined {
  const value = component.getFirstProperty(property)?.getParameter(name);
  return typeof value === 'string' ? value : undefined;
}

/** The URL property, or a LOCATION that is a link (how most clients store a meeting link). */
function meetingLink(component: Component): string | undefined {
  for (const name of ['url', 'location']) {
    const value = component.getFirstPropertyValue(name);
    if (typeof value === 'string' && /^https:\/\/\S+$/i.test(value.trim())) return value.trim();
  }
  return undefined;
}
