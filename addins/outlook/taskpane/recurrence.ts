/// <reference types="office-js" />
// Writing a series into the Outlook item with office.js's recurrence API (Mailbox 1.7,
// compose mode, the organizer's appointment): item.recurrence.setAsync with a pattern whose
// SeriesTime holds the first meeting's date and wall-clock time, the last meeting's date and the
// duration, all in the series' own zone, named the Windows way (windows-zones.ts). Quorum found
// the series (every meeting checked by core); this only says it to Outlook.
import { DateTime } from 'luxon';
import { call } from './office.ts';
import { WEEKDAY_CODES, type ApiRule, type WeekdayCode } from './repeat.ts';
import { windowsZoneOf } from './windows-zones.ts';

export interface SeriesToWrite {
  rule: ApiRule;
  /** Each meeting, first to last, as the find API returned them. */
  occurrences: Array<{ start: string; end: string }>;
  /** The zone the series keeps its wall-clock time in (the find API's `timeZone`). */
  timeZone: string;
}

/** Why Quorum cannot write the repeat into this item: shown as it is, the first time inserted. */
export type RepeatRefusal = { title: string; message: string };

export const CANNOT_REPEAT =
  'This Outlook cannot set a repeating meeting; set the repeat in Outlook after inserting the time.';

/**
 * Whether this Outlook can take the series: the recurrence API needs Mailbox 1.7 and an item
 * that has it (an appointment the user organizes, in compose mode), and Outlook needs the zone's
 * Windows name. Asked before anything is written.
 */
export function repeatRefusal(
  item: Office.AppointmentCompose,
  timeZone: string,
): RepeatRefusal | null {
  const recurrence = (item as { recurrence?: Partial<Office.Recurrence> }).recurrence;
  if (
    !Office.context.requirements.isSetSupported('Mailbox', '1.7') ||
    typeof recurrence?.setAsync !== 'function'
  ) {
    return { title: 'Set the repeat in Outlook', message: CANNOT_REPEAT };
  }
  if (!windowsZoneOf(timeZone)) {
    return {
      title: 'Set the repeat in Outlook',
      message:
        `Outlook names time zones its own way, and Quorum has no Outlook name for ${timeZone}, ` +
        'your time zone in Quorum, so it cannot set the repeat. Set the repeat in Outlook after ' +
        'inserting the time, or choose a listed city for your time zone in Quorum’s settings.',
    };
  }
  return null;
}

const DAYS: Record<WeekdayCode, string> = {
  MO: 'mon',
  TU: 'tue',
  WE: 'wed',
  TH: 'thu',
  FR: 'fri',
  SA: 'sat',
  SU: 'sun',
};
const WEEK_NUMBERS: Record<string, string> = {
  '1': 'first',
  '2': 'second',
  '3': 'third',
  '4': 'fourth',
  '-1': 'last',
};

function recurrenceProperties(rule: ApiRule, first: DateTime): Office.RecurrenceProperties {
  if (rule.frequency === 'weekly') {
    // One weekday, the first meeting's; weeks counted from Monday, as an RRULE's WKST default.
    const day = DAYS[WEEKDAY_CODES[first.weekday - 1]!];
    return { interval: rule.interval, days: [day], firstDayOfWeek: 'mon' };
  }
  return {
    interval: rule.interval,
    dayOfWeek: DAYS[rule.weekday],
    weekNumber: WEEK_NUMBERS[String(rule.ordinal)]!,
  };
}

/**
 * office.js builds the pattern's SeriesTime itself and setAsync refuses any other object
 * (it checks `instanceof`); every Outlook host script defines the class as Office.SeriesTime,
 * which the type definitions declare as an interface only.
 */
type OfficeWithSeriesTime = { SeriesTime: new () => Office.SeriesTime };

/** The office.js pattern for a series Quorum found. */
export function recurrencePattern(series: SeriesToWrite): Office.Recurrence {
  const zone = series.timeZone;
  const first = series.occurrences[0]!;
  const last = series.occurrences.at(-1)!;
  const start = DateTime.fromISO(first.start, { zone });
  const lastStart = DateTime.fromISO(last.start, { zone });
  const minutes = Math.round((Date.parse(first.end) - Date.parse(first.start)) / 60_000);
  const seriesTime = new (Office as unknown as OfficeWithSeriesTime).SeriesTime();
  // Months are 0–11 here, as office.js documents for the numeric forms.
  seriesTime.setStartDate(start.year, start.month - 1, start.day);
  seriesTime.setEndDate(lastStart.year, lastStart.month - 1, lastStart.day);
  seriesTime.setStartTime(start.hour, start.minute);
  seriesTime.setDuration(minutes);
  return {
    recurrenceType:
      series.rule.frequency === 'weekly'
        ? Office.MailboxEnums.RecurrenceType.Weekly
        : Office.MailboxEnums.RecurrenceType.Monthly,
    recurrenceProperties: recurrenceProperties(series.rule, start),
    recurrenceTimeZone: { name: windowsZoneOf(zone)! },
    seriesTime,
  } as Office.Recurrence;
}

/** Whether the item repeats now (set in Outlook, or by the pane earlier); false without the API. */
export async function itemRepeats(item: Office.AppointmentCompose): Promise<boolean> {
  const recurrence = (item as { recurrence?: Partial<Office.Recurrence> }).recurrence;
  if (typeof recurrence?.getAsync !== 'function') return false;
  const held = await call<Office.Recurrence | null>((done) => item.recurrence.getAsync(done));
  return held !== null && held !== undefined;
}

/** Sets the item's recurrence; Outlook's refusal (thrown or reported) becomes an Error. */
export async function writeRecurrence(
  item: Office.AppointmentCompose,
  series: SeriesToWrite,
): Promise<void> {
  const pattern = recurrencePattern(series);
  await call<void>((done) => item.recurrence.setAsync(pattern, done));
}
