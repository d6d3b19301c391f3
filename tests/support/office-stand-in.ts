// A stand-in for office.js in Chromium tests: the `Office` object with exactly the mailbox APIs
// the Outlook task pane calls, holding an item's state and recording every write, so a test can
// check what the pane put into the item. Served in place of /outlook/office-js/office.js.
// The recurrence API (Mailbox 1.7) follows office.js's own: Office.SeriesTime with its setters
// and checks, item.recurrence.setAsync refusing what office.js refuses (thrown at once, as
// office.js throws its argument errors) and what Outlook itself refuses (an unknown Windows time
// zone, a series with no meeting between its dates: a failed AsyncResult with Outlook's code).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export interface StandInPerson {
  emailAddress: string;
  displayName: string;
}

export interface StandInConfig {
  mode: 'appointment-compose' | 'appointment-read' | 'message-compose';
  /** The highest Mailbox requirement set this "Outlook" supports, e.g. '1.13'. */
  mailboxVersion: string;
  timeZone: string;
  user: StandInPerson;
  /** What Office.auth.getAccessToken returns (Office SSO); without it, SSO fails (13003). */
  accessToken?: string;
  /** false: a compose item without item.recurrence (an Outlook that cannot set a repeat). */
  recurrenceApi?: boolean;
  /** Windows zone names Outlook accepts; by default those office.js lists (RecurrenceTimeZone). */
  knownTimeZones?: string[];
  item: {
    subject: string;
    required?: StandInPerson[];
    optional?: StandInPerson[];
    to?: StandInPerson[];
    cc?: StandInPerson[];
    organizer?: StandInPerson;
    start?: string;
    end?: string;
    location?: string;
    body: string;
    bodyType: 'html' | 'text';
    /** Set when the open item is one meeting of a series (then setAsync is refused). */
    seriesId?: string;
    /** The recurrence as Outlook holds it (office.js's wire form: seriesTimeJson). */
    recurrence?: StandInRecurrence | null;
  };
}

/** A recurrence as office.js hands it to Outlook: the pattern with SeriesTime as JSON. */
export interface StandInRecurrence {
  recurrenceType: string;
  recurrenceProperties?: Record<string, unknown>;
  recurrenceTimeZone?: { name: string };
  seriesTimeJson: {
    startYear: number;
    startMonth: number;
    startDay: number;
    endYear?: number;
    endMonth?: number;
    endDay?: number;
    noEndDate?: boolean;
    startTimeMin: number;
    durationMin?: number;
  };
}

export interface StandInRecord {
  writes: Array<{ op: string; value: unknown; options?: unknown }>;
  forms: unknown[];
  dialogs: string[];
  /** Names given to Office.actions.associate (event-based activation handlers). */
  actions: string[];
  state: StandInConfig['item'];
}

type Callback = ((r: unknown) => void) | undefined;
interface SeriesTimeLike {
  isValid(): boolean;
  isEndAfterStart(): boolean;
  exportToSeriesTimeJson(): StandInRecurrence['seriesTimeJson'];
  importFromSeriesTimeJsonObject(json: StandInRecurrence['seriesTimeJson']): void;
}

/** Runs in the page: office.js's argument errors, worded and named as office.js words them. */
function officeErrors() {
  const make = (kind: string, fallback: string) => (param?: string, message?: string) => {
    const error = new Error(
      `Sys.${kind}: ${message ?? fallback}${param ? `\nParameter name: ${param}` : ''}`,
    );
    error.name = `Sys.${kind}`;
    return error;
  };
  return {
    argument: make('ArgumentException', 'Value does not fall within the expected range.'),
    nullArgument: make('ArgumentNullException', 'Value cannot be null.'),
    argumentType: make('ArgumentTypeException', 'Object cannot be converted to the required type.'),
  };
}

/** Runs in the page: Office.SeriesTime as office.js defines it (fields, setters, checks). */
function defineSeriesTime() {
  const errors = officeErrors();
  const INVALID_DATE = "The input doesn't resolve to a valid date.";
  const INVALID_TIME = "The input doesn't resolve to a valid time.";
  const validDate = (y: number, m: number, d: number) =>
    !(y < 1601 || m < 1 || m > 12 || d < 1 || d > 31);
  const two = (n: number) => (n < 0 ? '01' : n < 10 ? `0${n}` : String(n));
  const dateOf = (year: unknown, month?: number, day?: number): [number, number, number] => {
    if (year !== null && month !== null && month !== undefined && day !== null) {
      if (!validDate(year as number, month + 1, day!))
        throw errors.argument('seriesTime', INVALID_DATE);
      return [year as number, month + 1, day!];
    }
    const text = String(year);
    if (!/^\d{4}-(?:[0]\d|1[0-2])-(?:[0-2]\d|3[01])$/.test(text))
      throw errors.argument('seriesTime', INVALID_DATE);
    const at = new Date(text);
    if (!validDate(at.getUTCFullYear(), at.getUTCMonth() + 1, at.getUTCDate()))
      throw errors.argument('seriesTime', INVALID_DATE);
    return [at.getUTCFullYear(), at.getUTCMonth() + 1, at.getUTCDate()];
  };
  return class SeriesTime {
    startYear = 0;
    startMonth = 0;
    startDay = 0;
    endYear = 0;
    endMonth = 0;
    endDay = 0;
    startTimeMinutes = 0;
    durationMinutes = 0;
    getDuration() {
      return this.durationMinutes;
    }
    getStartDate() {
      return `${this.startYear}-${two(this.startMonth)}-${two(this.startDay)}`;
    }
    getEndDate() {
      if (this.endYear === 0 && this.endMonth === 0 && this.endDay === 0) return null;
      return `${this.endYear}-${two(this.endMonth)}-${two(this.endDay)}`;
    }
    getStartTime() {
      const m = this.startTimeMinutes;
      return `T${two(Math.floor(m / 60))}:${two(m % 60)}:00.000`;
    }
    getEndTime() {
      const m = this.startTimeMinutes + this.durationMinutes;
      return `T${two(Math.floor(m / 60) % 24)}:${two(m % 60)}:00.000`;
    }
    setDuration(minutes: number) {
      if (!(minutes >= 0)) throw errors.argument(undefined, INVALID_TIME);
      this.durationMinutes = minutes;
    }
    setStartDate(year: unknown, month?: number, day?: number) {
      if (year === null) return;
      [this.startYear, this.startMonth, this.startDay] = dateOf(year, month, day);
    }
    setEndDate(year: unknown, month?: number, day?: number) {
      if (year === null || year === undefined) {
        [this.endYear, this.endMonth, this.endDay] = [0, 0, 0];
        return;
      }
      [this.endYear, this.endMonth, this.endDay] = dateOf(year, month, day);
    }
    setStartTime(hours: unknown, minutes?: number) {
      if (hours === null || hours === undefined) return;
      if (minutes !== null && minutes !== undefined) {
        const total = (hours as number) * 60 + minutes;
        if (!(total >= 0)) throw errors.argument(undefined, INVALID_TIME);
        this.startTimeMinutes = total;
        return;
      }
      if (!/^T[0-2]\d:[0-5]\d:[0-5]\d\.\d{3}$/.test(String(hours)))
        throw errors.argument(undefined, INVALID_TIME);
      const at = new Date(`2017-01-15${String(hours)}Z`);
      this.startTimeMinutes = at.getUTCHours() * 60 + at.getUTCMinutes();
    }
    isValid() {
      if (!validDate(this.startYear, this.startMonth, this.startDay)) return false;
      if (this.endDay !== 0 && this.endMonth !== 0 && this.endYear !== 0) {
        if (!validDate(this.endYear, this.endMonth, this.endDay)) return false;
      }
      return this.startTimeMinutes >= 0 && this.durationMinutes > 0;
    }
    isEndAfterStart() {
      if (this.endYear === 0 && this.endMonth === 0 && this.endDay === 0) return true;
      const start = Date.UTC(this.startYear, this.startMonth - 1, this.startDay);
      return Date.UTC(this.endYear, this.endMonth - 1, this.endDay) >= start;
    }
    exportToSeriesTimeJson() {
      const open = this.endYear === 0 && this.endMonth === 0 && this.endDay === 0;
      return {
        startYear: this.startYear,
        startMonth: this.startMonth,
        startDay: this.startDay,
        ...(open
          ? { noEndDate: true }
          : { endYear: this.endYear, endMonth: this.endMonth, endDay: this.endDay }),
        startTimeMin: this.startTimeMinutes,
        ...(this.durationMinutes > 0 ? { durationMin: this.durationMinutes } : {}),
      };
    }
    importFromSeriesTimeJsonObject(json: StandInRecurrence['seriesTimeJson']) {
      [this.startYear, this.startMonth, this.startDay] = [
        json.startYear,
        json.startMonth,
        json.startDay,
      ];
      [this.endYear, this.endMonth, this.endDay] = json.noEndDate
        ? [0, 0, 0]
        : [json.endYear!, json.endMonth!, json.endDay!];
      this.startTimeMinutes = json.startTimeMin;
      this.durationMinutes = json.durationMin ?? 0;
    }
  };
}

/** Runs in the page: office.js's checks of a pattern before it reaches Outlook (thrown). */
function checkRecurrencePattern(pattern: Record<string, unknown>, SeriesTime: unknown) {
  const errors = officeErrors();
  const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  const WEEKS = ['first', 'second', 'third', 'fourth', 'last'];
  const MONTHS = [
    'jan',
    'feb',
    'mar',
    'apr',
    'may',
    'jun',
    'jul',
    'aug',
    'sep',
    'oct',
    'nov',
    'dec',
  ];
  const none = (v: unknown) => v === null || v === undefined;
  if (none(pattern.recurrenceType)) throw errors.nullArgument('recurrenceType');
  const seriesTime = pattern.seriesTime as SeriesTimeLike | undefined;
  if (none(seriesTime)) throw errors.nullArgument('seriesTime');
  if (!(seriesTime instanceof (SeriesTime as new () => object)) || !seriesTime!.isValid())
    throw errors.argument('seriesTime');
  if (!seriesTime!.isEndAfterStart())
    throw errors.argument('seriesTime', 'The end date occurs before the start date.');
  const type = pattern.recurrenceType;
  if (!['daily', 'weekly', 'weekday', 'monthly', 'yearly'].includes(type as string))
    throw errors.argument('recurrenceType');
  const props = pattern.recurrenceProperties as Record<string, unknown> | undefined;
  if (type !== 'weekday' && none(props)) throw errors.nullArgument('recurrenceType');
  const zone = pattern.recurrenceTimeZone as { name?: unknown } | undefined;
  if (!none(zone)) {
    if (none(zone!.name)) throw errors.nullArgument('name');
    if (typeof zone!.name !== 'string') throw errors.argumentType('name');
  }
  if (type === 'weekday') return;
  if (none(props!.interval)) throw errors.nullArgument('interval');
  if (typeof props!.interval !== 'number') throw errors.argumentType('interval');
  if (type === 'daily' || type === 'weekly') {
    if ((props!.interval as number) <= 0) throw errors.argument('interval');
  }
  if (type === 'weekly') {
    if (!Array.isArray(props!.days)) throw errors.argumentType('days');
    if (!(props!.days as unknown[]).every((d) => DAYS.includes(d as string)))
      throw errors.argument('days');
    const first = props!.firstDayOfWeek;
    if (!none(first) && (typeof first !== 'string' || !DAYS.includes(first)))
      throw errors.argument('firstDayOfWeek');
  }
  if (type === 'yearly' && !MONTHS.includes(props!.month as string)) throw errors.argument('month');
  if (type === 'monthly' || type === 'yearly') {
    const day = props!.dayOfMonth;
    const relative = !none(props!.dayOfWeek) && !none(props!.weekNumber);
    if (!none(day)) {
      if (typeof day !== 'number' || day < 1 || day > 31) throw errors.argument('dayOfMonth');
    } else if (relative) {
      const grouped = ['weekday', 'weekendDay', 'day'];
      if (![...DAYS, ...grouped].includes(props!.dayOfWeek as string))
        throw errors.argument('dayOfWeek');
      if (!WEEKS.includes(props!.weekNumber as string)) throw errors.argument('weekNumber');
    } else {
      throw errors.argument(
        undefined,
        "The recurrence pattern isn't valid. Please check that the specified recurrence properties align with the recurrence type.",
      );
    }
  }
}

/** Runs in the page: whether a weekly or relative-monthly series has a meeting between its dates. */
function hasOccurrence(recurrence: StandInRecurrence): boolean {
  const t = recurrence.seriesTimeJson;
  if (t.noEndDate) return true;
  const start = Date.UTC(t.startYear, t.startMonth - 1, t.startDay);
  const end = Date.UTC(t.endYear!, t.endMonth! - 1, t.endDay!);
  const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
  const props = recurrence.recurrenceProperties ?? {};
  for (let at = start; at <= end; at += 86_400_000) {
    const date = new Date(at);
    const day = DAYS[date.getUTCDay()];
    if (recurrence.recurrenceType === 'weekly' && (props.days as string[]).includes(day!))
      return true;
    if (recurrence.recurrenceType === 'monthly' && props.dayOfWeek === day) {
      const nth = Math.ceil(date.getUTCDate() / 7);
      const last = new Date(at + 7 * 86_400_000).getUTCMonth() !== date.getUTCMonth();
      const week = props.weekNumber as string;
      if (week === ['first', 'second', 'third', 'fourth'][nth - 1] || (week === 'last' && last))
        return true;
    }
    if (!['weekly', 'monthly'].includes(recurrence.recurrenceType)) return true;
  }
  return false;
}

/** Runs in the page: item.recurrence of an appointment being composed by its organizer. */
function recurrenceSurface(
  state: { seriesId?: string; recurrence?: StandInRecurrence | null },
  record: { writes: Array<Record<string, unknown>> },
  knownTimeZones: string[],
  SeriesTime: new () => SeriesTimeLike,
) {
  const lastCallback = (args: unknown[]) =>
    [...args].reverse().find((a) => typeof a === 'function') as Callback;
  const answer = (cb: Callback, result: unknown) => setTimeout(() => cb?.(result), 0);
  const failed = (code: number, name: string, message: string) => ({
    status: 'failed',
    error: { code, name, message },
  });
  return {
    getAsync: (...args: unknown[]) => {
      const held = state.recurrence;
      let value = null;
      if (held) {
        const seriesTime = new SeriesTime();
        seriesTime.importFromSeriesTimeJsonObject(held.seriesTimeJson);
        const { seriesTimeJson: _json, ...rest } = structuredClone(held);
        value = { ...rest, seriesTime };
      }
      answer(lastCallback(args), { status: 'succeeded', value });
    },
    setAsync: (pattern: Record<string, unknown> | null, ...rest: unknown[]) => {
      if (state.seriesId) {
        throw officeErrors().argument(
          undefined,
          "A recurrence pattern can't be set for a single occurrence in a series.",
        );
      }
      const cb = lastCallback(rest);
      if (pattern === null || pattern === undefined) {
        state.recurrence = null;
        record.writes.push({ op: 'recurrence', value: null });
        answer(cb, { status: 'succeeded' });
        return;
      }
      checkRecurrencePattern(pattern, SeriesTime);
      const recurrence = structuredClone({
        recurrenceType: pattern.recurrenceType,
        recurrenceProperties: pattern.recurrenceProperties,
        recurrenceTimeZone: pattern.recurrenceTimeZone,
      }) as StandInRecurrence;
      recurrence.seriesTimeJson = (pattern.seriesTime as SeriesTimeLike).exportToSeriesTimeJson();
      const zone = recurrence.recurrenceTimeZone?.name;
      if (zone !== undefined && !knownTimeZones.includes(zone)) {
        answer(
          cb,
          failed(9037, 'RecurrenceInvalidTimeZone', 'The specified time zone is not supported.'),
        );
        return;
      }
      if (!hasOccurrence(recurrence)) {
        const message = 'The recurring series has no occurrences in the specified date range.';
        answer(cb, failed(9035, 'RecurrenceZeroOccurrences', message));
        return;
      }
      state.recurrence = recurrence;
      record.writes.push({ op: 'recurrence', value: structuredClone(recurrence) });
      answer(cb, { status: 'succeeded' });
    },
  };
}

/** Runs in the page (stringified): defines window.Office and window.__office. */
function install(config: StandInConfig): void {
  const w = globalThis as unknown as Record<string, unknown>;
  const state = structuredClone(config.item);
  const record = {
    writes: [] as Array<Record<string, unknown>>,
    forms: [] as unknown[],
    dialogs: [] as string[],
    actions: [] as string[],
    state,
  };
  // Office dialogs: a popup window; messageParent reaches the pane over a BroadcastChannel.
  const DIALOG_CHANNEL = 'quorum-office-stand-in-dialog';
  const displayDialogAsync = (url: string, _options: unknown, cb?: (r: unknown) => void) => {
    record.dialogs.push(url);
    const popup = (w.open as (u: string, t: string) => { close(): void } | null)(url, '_blank');
    const dialogHandlers = new Map<string, (arg: unknown) => void>();
    const channel = new BroadcastChannel(DIALOG_CHANNEL);
    channel.onmessage = (e) =>
      dialogHandlers.get('dialogMessageReceived')?.({ message: e.data as string, origin: null });
    const dialog = {
      addEventHandler: (type: string, handler: (arg: unknown) => void) =>
        dialogHandlers.set(type, handler),
      close: () => {
        channel.close();
        popup?.close();
      },
    };
    setTimeout(() => cb?.(ok(dialog)), 0);
  };
  const messageParent = (message: string) => {
    const channel = new BroadcastChannel(DIALOG_CHANNEL);
    channel.postMessage(message);
    channel.close();
  };
  const handlers = new Map<string, () => void>();
  const ok = (value?: unknown) => ({ status: 'succeeded', value });
  const later = (cb: ((r: unknown) => void) | undefined, value?: unknown) =>
    setTimeout(() => cb?.(ok(value)), 0);
  const lastCallback = (args: unknown[]) =>
    [...args].reverse().find((a) => typeof a === 'function') as ((r: unknown) => void) | undefined;
  const getter = (read: () => unknown, write?: (v: unknown) => void, op?: string) => ({
    getAsync: (...args: unknown[]) => later(lastCallback(args), read()),
    ...(write
      ? {
          setAsync: (value: unknown, ...rest: unknown[]) => {
            write(value);
            record.writes.push({
              op: op!,
              value: value instanceof Date ? value.toISOString() : value,
            });
            later(lastCallback(rest));
          },
        }
      : {}),
  });
  const people = (key: 'required' | 'optional' | 'to' | 'cc') =>
    getter(() => structuredClone(state[key] ?? []));
  const body = {
    getTypeAsync: (...args: unknown[]) => later(lastCallback(args), state.bodyType),
    getAsync: (type: string, ...rest: unknown[]) => later(lastCallback(rest), state.body),
    prependAsync: (data: string, options: unknown, cb?: unknown) => {
      state.body = data + state.body;
      record.writes.push({ op: 'body.prepend', value: data, options });
      later(lastCallback([options, cb]));
    },
    setSelectedDataAsync: (data: string, options: unknown, cb?: unknown) => {
      // The cursor stands at the end of what the user wrote.
      state.body = state.body + data;
      record.writes.push({ op: 'body.setSelectedData', value: data, options });
      later(lastCallback([options, cb]));
    },
  };
  const SeriesTime = defineSeriesTime();
  const appointmentCompose = {
    itemType: 'appointment',
    seriesId: state.seriesId ?? '',
    ...(config.recurrenceApi === false
      ? {}
      : {
          recurrence: recurrenceSurface(
            state,
            record,
            config.knownTimeZones ?? [],
            SeriesTime as unknown as new () => SeriesTimeLike,
          ),
        }),
    subject: getter(() => state.subject),
    requiredAttendees: people('required'),
    optionalAttendees: people('optional'),
    start: getter(
      () => new Date(state.start!),
      (v) => (state.start = (v as Date).toISOString()),
      'start',
    ),
    end: getter(
      () => new Date(state.end!),
      (v) => (state.end = (v as Date).toISOString()),
      'end',
    ),
    location: getter(
      () => state.location ?? '',
      (v) => (state.location = String(v)),
      'location',
    ),
    body,
    notificationMessages: {
      replaceAsync: (key: string, message: unknown, ...rest: unknown[]) => {
        record.writes.push({ op: 'notification', value: { key, ...(message as object) } });
        later(lastCallback(rest));
      },
    },
    addHandlerAsync: (type: string, handler: () => void, ...rest: unknown[]) => {
      handlers.set(type, handler);
      later(lastCallback(rest));
    },
    removeHandlerAsync: (type: string, ...rest: unknown[]) => {
      handlers.delete(type);
      later(lastCallback(rest));
    },
  };
  const appointmentRead = {
    itemType: 'appointment',
    subject: state.subject,
    organizer: state.organizer,
    requiredAttendees: state.required ?? [],
    optionalAttendees: state.optional ?? [],
    start: new Date(state.start!),
    end: new Date(state.end!),
    location: state.location ?? '',
  };
  const messageCompose = {
    itemType: 'message',
    subject: getter(() => state.subject),
    to: people('to'),
    cc: people('cc'),
    body,
  };
  const item =
    config.mode === 'appointment-compose'
      ? appointmentCompose
      : config.mode === 'message-compose'
        ? messageCompose
        : appointmentRead;
  const newer = (a: string, b: string) => {
    const [a1, a2] = a.split('.').map(Number);
    const [b1, b2] = b.split('.').map(Number);
    return a1! > b1! || (a1 === b1 && a2! >= b2!);
  };
  const info = { host: 'Outlook', platform: 'OfficeOnline' };
  w.Office = {
    AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' },
    CoercionType: { Html: 'html', Text: 'text' },
    EventType: {
      RecipientsChanged: 'olkRecipientsChanged',
      DialogMessageReceived: 'dialogMessageReceived',
      DialogEventReceived: 'dialogEventReceived',
    },
    HostType: { Outlook: 'Outlook' },
    MailboxEnums: {
      ItemType: { Appointment: 'appointment', Message: 'message' },
      ItemNotificationMessageType: { InformationalMessage: 'informationalMessage' },
      RecurrenceType: {
        Daily: 'daily',
        Weekday: 'weekday',
        Weekly: 'weekly',
        Monthly: 'monthly',
        Yearly: 'yearly',
      },
      Days: {
        Mon: 'mon',
        Tue: 'tue',
        Wed: 'wed',
        Thu: 'thu',
        Fri: 'fri',
        Sat: 'sat',
        Sun: 'sun',
        Weekday: 'weekday',
        WeekendDay: 'weekendDay',
        Day: 'day',
      },
      WeekNumber: {
        First: 'first',
        Second: 'second',
        Third: 'third',
        Fourth: 'fourth',
        Last: 'last',
      },
    },
    SeriesTime,
    onReady: (cb?: (i: unknown) => void) => {
      setTimeout(() => cb?.(info), 0);
      return Promise.resolve(info);
    },
    actions: {
      associate: (name: string, handler: (event: { completed(): void }) => void) => {
        record.actions.push(name);
        handlers.set(`action:${name}`, () =>
          handler({ completed: () => record.writes.push({ op: 'completed', value: name }) }),
        );
      },
    },
    context: {
      requirements: {
        isSetSupported: (name: string, version = '1.1') =>
          name === 'Mailbox' && newer(config.mailboxVersion, version),
      },
      mailbox: {
        item,
        userProfile: {
          timeZone: config.timeZone,
          emailAddress: config.user.emailAddress,
          displayName: config.user.displayName,
        },
        displayNewAppointmentForm: (params: unknown) => record.forms.push(params),
      },
      ui: { displayDialogAsync, messageParent },
    },
    auth: {
      getAccessToken: () =>
        config.accessToken
          ? Promise.resolve(config.accessToken)
          : Promise.reject({ code: 13003, message: 'SSO is not supported for this account.' }),
    },
  };
  w.__office = {
    record,
    /** As Outlook runs an event-based activation handler. */
    runAction(name: string) {
      handlers.get(`action:${name}`)?.();
    },
    /** As if the user changed the invite's required attendees. */
    setRequired(list: StandInPerson[]) {
      state.required = list;
      handlers.get('olkRecipientsChanged')?.();
    },
  };
}

/** The Windows zone names office.js lists in Office.MailboxEnums.RecurrenceTimeZone. */
export function outlookTimeZoneNames(): string[] {
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve('@types/office-js/package.json'));
  const types = readFileSync(path.join(dir, 'index.d.ts'), 'utf8');
  const block = /enum RecurrenceTimeZone \{([\s\S]*?)\n {8}\}/.exec(types)?.[1] ?? '';
  const names = [...block.matchAll(/= "([^"]+)"/g)].map((m) => m[1]!);
  if (names.length < 100) throw new Error('RecurrenceTimeZone not found in @types/office-js');
  return names;
}

/** The script to serve instead of office.js. */
export function officeStandInScript(config: StandInConfig): string {
  const withZones = { ...config, knownTimeZones: config.knownTimeZones ?? outlookTimeZoneNames() };
  const helpers = [
    officeErrors,
    defineSeriesTime,
    checkRecurrencePattern,
    hasOccurrence,
    recurrenceSurface,
  ].map((f) => f.toString());
  return `${helpers.join('\n')}\n(${install.toString()})(${JSON.stringify(withZones)});`;
}
