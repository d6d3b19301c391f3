// A stand-in for office.js in Chromium tests: the `Office` object with exactly the mailbox APIs
// the Outlook task pane calls, holding an item's state and recording every write, so a test can
// check what the pane put into the item. Served in place of /outlook/office-js/office.js.

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
  const appointmentCompose = {
    itemType: 'appointment',
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
    },
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

/** The script to serve instead of office.js. */
export function officeStandInScript(config: StandInConfig): string {
  return `(${install.toString()})(${JSON.stringify(config)});`;
}
