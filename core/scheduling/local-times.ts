// Each person's own view of a slot: their wall clock in their zone, whether it lies inside their
// working hours, and if not, by how many minutes and on which side ("30 min after hours"). Core
// words it once (`text`) so every surface shows the same line.
import { DateTime } from 'luxon';
import { zoneNamed } from '../time-zones.ts';
import type { IntervalSet } from './availability/interval-set.ts';
import { WEEKDAYS, type WorkingHoursRule } from './availability/types.ts';
import { workingIntervals } from './availability/working-hours.ts';
import { MINUTE_MS, ZoneTimeline } from './availability/zone-timeline.ts';

export interface LocalTime {
  email: string;
  name: string;
  timeZone: string;
  /** Their weekday and wall-clock times, e.g. "Mon", "22:30", "23:00". */
  weekday: string;
  start: string;
  end: string;
  /** Minutes of the slot outside their working hours (0: inside, or they stated none). */
  minutesOutside: number;
  /** Where the slot lies against their working hours. */
  hours: 'inside' | 'before' | 'after' | 'day-off';
  /** "Lee Wong: Mon 22:30–23:00 Sydney, 30 min after hours", plain text. */
  text: string;
}

export interface LocalPerson {
  email: string;
  name: string;
  timeZone: string;
  workingHours: readonly WorkingHoursRule[];
}

/** The city of a zone name, as people say it: Australia/Sydney -> Sydney, UTC stays UTC. */
export function zoneCity(timeZone: string): string {
  return (timeZone.split('/').pop() ?? timeZone).replaceAll('_', ' ');
}

/** "30 min", "1 h", "1 h 30 min". */
export function minutesText(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

const HOURS_TEXT: Record<LocalTime['hours'], (minutes: number) => string> = {
  inside: () => 'in working hours',
  before: (minutes) => `${minutesText(minutes)} before hours`,
  after: (minutes) => `${minutesText(minutes)} after hours`,
  'day-off': () => 'on a day off',
};

/**
 * Builds, per person, what is needed to place any slot of [from, to) on their clock: their
 * working periods over the window, read once.
 */
export function localTimesFor(people: readonly LocalPerson[], from: number, to: number) {
  const placed = people.map((person) => {
    const timeline = new ZoneTimeline(person.timeZone, from, to);
    const hours =
      person.workingHours.length > 0
        ? workingIntervals(person.workingHours, timeline, from, to)
        : undefined;
    const workdays = new Set(person.workingHours.flatMap((rule) => rule.days));
    return { person, hours, workdays };
  });
  return (start: number, end: number): LocalTime[] =>
    placed.map(({ person, hours, workdays }) => localTime(person, hours, workdays, start, end));
}

function localTime(
  person: LocalPerson,
  hours: IntervalSet | undefined,
  workdays: Set<string>,
  start: number,
  end: number,
): LocalTime {
  const zone = zoneNamed(person.timeZone);
  const from = DateTime.fromMillis(start, { zone });
  const to = DateTime.fromMillis(end, { zone });
  const minutesOutside = hours
    ? Math.round((end - start - hours.overlap(start, end)) / MINUTE_MS)
    : 0;
  const side = sideOf(hours, workdays, from, start, end, minutesOutside);
  const weekday = from.setLocale('en-GB').toFormat('ccc');
  const clock = `${from.toFormat('HH:mm')}–${to.toFormat('HH:mm')}`;
  return {
    email: person.email,
    name: person.name,
    timeZone: person.timeZone,
    weekday,
    start: from.toFormat('HH:mm'),
    end: to.toFormat('HH:mm'),
    minutesOutside,
    hours: side,
    text: `${person.name}: ${weekday} ${clock} ${zoneCity(person.timeZone)}, ${HOURS_TEXT[side](minutesOutside)}`,
  };
}

/**
 * Before or after hours by the nearer working period: a slot that starts inside runs over the
 * end (after); one that ends inside starts early (before); one wholly outside is told by the
 * nearer edge. A local day they do not work is a day off.
 */
function sideOf(
  hours: IntervalSet | undefined,
  workdays: Set<string>,
  from: DateTime,
  start: number,
  end: number,
  minutesOutside: number,
): LocalTime['hours'] {
  if (!hours || minutesOutside === 0) return 'inside';
  if (!workdays.has(WEEKDAYS[from.weekday - 1] as string)) return 'day-off';
  if (hours.meets(start, start + MINUTE_MS)) return 'after';
  if (hours.meets(end - MINUTE_MS, end)) return 'before';
  const sinceEnd = start - hours.lastEdgeAtOrBefore(start);
  const untilStart = hours.firstEdgeAtOrAfter(end) - end;
  return untilStart < sinceEnd ? 'before' : 'after';
}
