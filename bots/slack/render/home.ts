// App Home: connected calendars, upcoming meetings booked through Quorum, recent summaries and
// the person's settings, with a modal to change those.
import type { types } from '@slack/bolt';
import type { ConnectionSummary } from '../../../core/calendars/connections/connection-model.ts';
import type { BookingDoc } from '../../../core/scheduling/booking/booking-model.ts';
import type { UserSettings } from '../../../core/identity/user-settings.ts';
import { neverFromAcceptable, neverText } from '../../../core/identity/never-hours.ts';
import { LINK_NAMES, input, linkSelect, option, selectInput } from './inputs.ts';
import {
  LIMITS,
  actions,
  button,
  capBlocks,
  context,
  divider,
  escapeText,
  fit,
  header,
  section,
  type Block,
} from './limits.ts';
import { connectCalendarButtons } from './notices.ts';
import { slotText } from './time.ts';

export const SETTINGS_VIEW = 'quorum.settings';
export const EDIT_SETTINGS_ACTION = 'quorum.settings.edit';
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const DAY_NAMES: Record<(typeof WEEKDAYS)[number], string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

export interface HomeData {
  name: string;
  calendars: ConnectionSummary[];
  providers: readonly string[];
  upcoming: BookingDoc[];
  /** Null when this Quorum records no meetings. */
  summaries: Array<{ title: string; startsAt: string; summary: string[] }> | null;
  settings: UserSettings;
  baseUrl: string;
}

function hoursText(settings: UserSettings): string {
  if (settings.workingHours.length === 0) return 'any time';
  return settings.workingHours
    .map(
      (r) =>
        `${r.days.map((d) => d.charAt(0).toUpperCase() + d.slice(1)).join(', ')} ${r.start}–${r.end}`,
    )
    .join('; ');
}

export function homeView(data: HomeData): types.HomeView {
  const blocks: Block[] = [header(fit(`Quorum for ${data.name}`, LIMITS.headerText))];

  blocks.push(section('*Calendars*'));
  if (data.calendars.length === 0) {
    blocks.push(
      section('No calendar connected: Quorum uses its own calendar for you until you connect one.'),
    );
  }
  for (const calendar of data.calendars.slice(0, 5)) {
    const problem =
      calendar.status === 'connected'
        ? ''
        : ` — :warning: ${escapeText(calendar.problem ?? 'needs reconnecting')}`;
    blocks.push(section(`• ${calendar.provider}: ${escapeText(calendar.accountEmail)}${problem}`));
  }
  const connect = connectCalendarButtons(data.baseUrl, data.providers);
  if (connect.length > 0) blocks.push(actions(connect));

  blocks.push(divider(), section('*Upcoming meetings booked through Quorum*'));
  if (data.upcoming.length === 0) blocks.push(context('None. Book one with `/meet find`.'));
  for (const booking of data.upcoming.slice(0, 10)) {
    const join = booking.joinUrl ? ` · <${booking.joinUrl}|join>` : '';
    blocks.push(
      section(`*${escapeText(booking.title)}* · ${slotText(booking.start, booking.end)}${join}`),
    );
  }

  blocks.push(divider(), section('*Recent summaries*'));
  if (data.summaries === null || data.summaries.length === 0) {
    blocks.push(context('No meetings are recorded yet.'));
  }
  for (const item of data.summaries ?? []) {
    blocks.push(
      section(
        fit(
          `*${escapeText(item.title)}* (${slotText(Date.parse(item.startsAt), Date.parse(item.startsAt))})\n${escapeText(item.summary.slice(0, 2).join(' '))}`,
          LIMITS.sectionText,
        ),
      ),
    );
  }

  blocks.push(
    divider(),
    section(
      `*Settings*\nTime zone: ${escapeText(data.settings.timeZone)}\nWorking hours: ${escapeText(hoursText(data.settings))}\nNever schedule: ${neverText(data.settings.acceptableHours) || 'no limit'}\nDefault meeting link: ${LINK_NAMES[data.settings.defaultLinkType]}`,
      { accessory: button('Edit settings', EDIT_SETTINGS_ACTION) },
    ),
  );
  return { type: 'home', blocks: capBlocks(blocks, LIMITS.viewBlocks) };
}

export function notLinkedHome(connectUrl: string): types.HomeView {
  return {
    type: 'home',
    blocks: [
      header('Quorum'),
      section(
        'Quorum finds meeting times across everyone’s calendars and books them. Connect your Quorum account to see your calendars, meetings and settings here.',
      ),
      actions([
        button('Connect Quorum', 'quorum.connect.open', { url: connectUrl, style: 'primary' }),
      ]),
    ],
  };
}

type ModalBlock = types.ModalView['blocks'][number];
type WorkingHours = UserSettings['workingHours'][number];

/** Edits the time zone, one working-hours period and the default link. */
export function settingsModal(settings: UserSettings): types.ModalView {
  const first = settings.workingHours[0] ?? {
    days: ['mon', 'tue', 'wed', 'thu', 'fri'],
    start: '09:00',
    end: '17:00',
  };
  return {
    type: 'modal',
    callback_id: SETTINGS_VIEW,
    title: { type: 'plain_text', text: 'Quorum settings' },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      timeZoneInput(settings),
      ...workingHoursInputs(first),
      ...neverHoursInputs(settings),
      defaultLinkInput(settings),
      ...(settings.workingHours.length > 1
        ? [context('You have several working-hours periods; saving here keeps only this one.')]
        : []),
    ],
  };
}

function timeZoneInput(settings: UserSettings): ModalBlock {
  return input(
    'tz',
    'Time zone',
    { type: 'plain_text_input', initial_value: settings.timeZone, max_length: 64 },
    { hint: 'An IANA time zone, such as Europe/Berlin or America/New_York.' },
  );
}

/** Slack's time picker knows no 24:00: the end of the day shows as 23:59. */
const pickerTime = (time: string) => (time === '24:00' ? '23:59' : time);

function workingHoursInputs(first: Pick<WorkingHours, 'days' | 'start' | 'end'>): ModalBlock[] {
  const dayOptions = WEEKDAYS.map((d) => option(DAY_NAMES[d], d));
  const selectedDays = dayOptions.filter((o) =>
    (first.days as readonly string[]).includes(o.value!),
  );
  return [
    input('days', 'Working days', {
      type: 'checkboxes',
      options: dayOptions,
      ...(selectedDays.length > 0 && { initial_options: selectedDays }),
    }),
    input('start', 'Working hours start', {
      type: 'timepicker',
      initial_time: pickerTime(first.start),
    }),
    input('end', 'Working hours end', { type: 'timepicker', initial_time: pickerTime(first.end) }),
  ];
}

/** The value of "no limit" in the never-hours menus. */
export const ANY_TIME = 'any';

/**
 * "Never before" / "never after" as menus of half hours with "No limit" first (a time picker
 * cannot be emptied again once set). A time set elsewhere off the half hour is offered too.
 */
function neverHoursInputs(settings: UserSettings): ModalBlock[] {
  const never = neverFromAcceptable(settings.acceptableHours);
  const menu = (blockId: string, label: string, chosen: string, hint?: string) => {
    const times = new Set(
      Array.from(
        { length: 48 },
        (_, i) => `${String(Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`,
      ),
    );
    if (chosen) times.add(chosen);
    const options = [option('No limit', ANY_TIME), ...[...times].sort().map((t) => option(t, t))];
    const initial = chosen ? option(chosen, chosen) : options[0]!;
    const block = selectInput(blockId, label, options, initial);
    return hint ? { ...block, hint: { type: 'plain_text' as const, text: hint } } : block;
  };
  return [
    menu(
      'never_before',
      'Never schedule before',
      never.before,
      'Quorum never offers times outside these, even when nobody’s working hours overlap.',
    ),
    menu('never_after', 'Never schedule after', never.after),
  ];
}

function defaultLinkInput(settings: UserSettings): ModalBlock {
  return linkSelect('link', 'Default meeting link', settings.defaultLinkType);
}
