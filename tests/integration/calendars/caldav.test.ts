import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caldavCalendarProvider } from '../../../infra/providers/caldav/caldav-calendar.ts';
import { gatherFreeBusy } from '../../../core/calendars/free-busy.ts';
import {
  ProviderError,
  type CalendarLookup,
  type EventInput,
} from '../../../core/calendars/provider.ts';
import { startRadicale, type RadicaleServer } from '../../support/radicale.ts';

const OWNER = 'ana@example.com';
const RANGE = { start: new Date('2025-03-01T00:00:00Z'), end: new Date('2025-04-06T00:00:00Z') };
const ms = (iso: string) => Date.parse(iso);

/** Europe/Berlin as calendar clients write it: recurring DST rules. */
const BERLIN = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Berlin',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'TZNAME:CEST',
  'DTSTART:19700329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'TZNAME:CET',
  'DTSTART:19701025T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
];

function vcalendar(...parts: string[][]): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Quorum tests//EN',
    ...parts.flat(),
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

function vevent(uid: string, ...lines: string[]): string[] {
  return ['BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20250201T000000Z', ...lines, 'END:VEVENT'];
}

let radicale: RadicaleServer;
let work: string;
let personal: string;
let edge: string;

beforeAll(async () => {
  radicale = await startRadicale();
  work = await radicale.makeCalendar('work');
  personal = await radicale.makeCalendar('personal');
  edge = await radicale.makeCalendar('edge');

  // Weekly on Mondays 10:00 Berlin time, across the switch to summer time on 30 March;
  // 17 March is excluded and 24 March is moved to 15:00.
  await radicale.put(
    `${work}standup.ics`,
    vcalendar(
      BERLIN,
      vevent(
        'standup',
        'SUMMARY:Standup',
        'DTSTART;TZID=Europe/Berlin:20250303T100000',
        'DTEND;TZID=Europe/Berlin:20250303T103000',
        'RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=6',
        'EXDATE;TZID=Europe/Berlin:20250317T100000',
      ),
      vevent(
        'standup',
        'SUMMARY:Standup (moved)',
        'RECURRENCE-ID;TZID=Europe/Berlin:20250324T100000',
        'DTSTART;TZID=Europe/Berlin:20250324T150000',
        'DTEND;TZID=Europe/Berlin:20250324T153000',
      ),
    ),
  );
  await radicale.put(
    `${work}focus.ics`,
    vcalendar(
      vevent(
        'focus',
        'SUMMARY:Focus',
        'DTSTART:20250305T120000Z',
        'DTEND:20250305T130000Z',
        'TRANSP:TRANSPARENT',
      ),
    ),
  );
  await radicale.put(
    `${work}maybe.ics`,
    vcalendar(
      vevent(
        'maybe',
        'SUMMARY:Maybe',
        'DTSTART:20250306T090000Z',
        'DTEND:20250306T100000Z',
        'STATUS:TENTATIVE',
      ),
    ),
  );
  await radicale.put(
    `${work}cancelled.ics`,
    vcalendar(
      vevent(
        'cancelled',
        'SUMMARY:Off',
        'DTSTART:20250306T140000Z',
        'DTEND:20250306T150000Z',
        'STATUS:CANCELLED',
      ),
    ),
  );
  await radicale.put(
    `${work}offsite.ics`,
    vcalendar(
      vevent(
        'offsite',
        'SUMMARY:Offsite',
        'DTSTART;VALUE=DATE:20250307',
        'DTEND;VALUE=DATE:20250308',
      ),
    ),
  );
  await radicale.put(
    `${work}later.ics`,
    vcalendar(
      vevent('later', 'SUMMARY:Later', 'DTSTART:20250410T090000Z', 'DTEND:20250410T100000Z'),
    ),
  );
  await radicale.put(
    `${personal}dentist.ics`,
    vcalendar(
      vevent('dentist', 'SUMMARY:Dentist', 'DTSTART:20250304T080000Z', 'DTEND:20250304T090000Z'),
    ),
  );
  // Many servers and clients name IANA zones without defining them in a VTIMEZONE.
  await radicale.put(
    `${edge}undefined-zone.ics`,
    vcalendar(
      vevent(
        'undefined-zone',
        'SUMMARY:New York call',
        'DTSTART;TZID=America/New_York:20250311T090000',
        'DTEND;TZID=America/New_York:20250311T100000',
      ),
    ),
  );
  // Thursdays in UTC; the 10 April instance (after the range) is moved into it, to 2 April.
  await radicale.put(
    `${edge}review.ics`,
    vcalendar(
      vevent(
        'review',
        'SUMMARY:Review',
        'DTSTART:20250403T160000Z',
        'DTEND:20250403T170000Z',
        'RRULE:FREQ=WEEKLY;COUNT=3',
      ),
      vevent(
        'review',
        'SUMMARY:Review (early)',
        'RECURRENCE-ID:20250410T160000Z',
        'DTSTART:20250402T070000Z',
        'DTEND:20250402T080000Z',
      ),
    ),
  );
}, 30_000);

afterAll(async () => {
  await radicale?.stop();
});

function provider(overrides: { password?: string; calendarUrl?: string } = {}) {
  return caldavCalendarProvider({
    serverUrl: radicale.url,
    username: radicale.username,
    password: overrides.password ?? radicale.password,
    ownerId: OWNER,
    floatingTimeZone: 'Europe/Berlin',
    ...(overrides.calendarUrl ? { calendarUrl: overrides.calendarUrl } : {}),
  });
}

const workBusy = [
  { start: ms('2025-03-03T09:00:00Z'), end: ms('2025-03-03T09:30:00Z'), status: 'busy' },
  { start: ms('2025-03-06T09:00:00Z'), end: ms('2025-03-06T10:00:00Z'), status: 'tentative' },
  // The all-day offsite covers the 7th in the owner's zone (Berlin, UTC+1 in March).
  { start: ms('2025-03-06T23:00:00Z'), end: ms('2025-03-07T23:00:00Z'), status: 'busy' },
  { start: ms('2025-03-10T09:00:00Z'), end: ms('2025-03-10T09:30:00Z'), status: 'busy' },
  { start: ms('2025-03-24T14:00:00Z'), end: ms('2025-03-24T14:30:00Z'), status: 'busy' },
  // After the switch to summer time 10:00 in Berlin is 08:00 UTC.
  { start: ms('2025-03-31T08:00:00Z'), end: ms('2025-03-31T08:30:00Z'), status: 'busy' },
];

function busyOf(lookup: CalendarLookup | undefined) {
  if (!lookup?.ok) throw new Error(`expected busy time, got ${JSON.stringify(lookup)}`);
  return lookup.busy;
}

const edgeBusy = [
  // New York is on daylight time (UTC-4) from 9 March.
  { start: ms('2025-03-11T13:00:00Z'), end: ms('2025-03-11T14:00:00Z'), status: 'busy' },
  { start: ms('2025-04-02T07:00:00Z'), end: ms('2025-04-02T08:00:00Z'), status: 'busy' },
  { start: ms('2025-04-03T16:00:00Z'), end: ms('2025-04-03T17:00:00Z'), status: 'busy' },
];

describe('CalDAV provider against a real Radicale', () => {
  it('expands recurrences, exceptions, transparency and status into busy time', async () => {
    const result = await provider().freeBusy({ calendars: [work], ...RANGE });
    expect(result[work]).toEqual({ ok: true, busy: workBusy });
  });

  it("reads every event calendar for the owner's id and says which ids it does not know", async () => {
    const result = await provider().freeBusy({
      calendars: [OWNER, 'raj@example.com', `${radicale.url}ana/nope/`],
      ...RANGE,
    });
    const dentist = {
      start: ms('2025-03-04T08:00:00Z'),
      end: ms('2025-03-04T09:00:00Z'),
      status: 'busy',
    };
    const everything = [...workBusy, dentist, ...edgeBusy].sort((a, b) => a.start - b.start);
    expect(busyOf(result[OWNER])).toEqual(everything);
    expect(result['raj@example.com']).toMatchObject({ ok: false, reason: 'not-found' });
    expect(result[`${radicale.url}ana/nope/`]).toMatchObject({ ok: false, reason: 'not-found' });
  });

  it('places undefined IANA TZIDs in their zone and finds instances moved into the range', async () => {
    const result = await provider().freeBusy({ calendars: [edge], ...RANGE });
    expect(result[edge]).toEqual({ ok: true, busy: edgeBusy });
  });

  it('clips to the asked range', async () => {
    const result = await provider().freeBusy({
      calendars: [work],
      start: new Date('2025-03-03T09:15:00Z'),
      end: new Date('2025-03-06T09:30:00Z'),
    });
    expect(result[work]).toEqual({
      ok: true,
      busy: [
        { start: ms('2025-03-03T09:15:00Z'), end: ms('2025-03-03T09:30:00Z'), status: 'busy' },
        { start: ms('2025-03-06T09:00:00Z'), end: ms('2025-03-06T09:30:00Z'), status: 'tentative' },
      ],
    });
  });

  it('refuses a wrong app password loudly instead of reporting free time', async () => {
    const wrong = provider({ password: 'not-the-password' });
    await expect(wrong.freeBusy({ calendars: [work], ...RANGE })).rejects.toMatchObject({
      name: 'ProviderError',
      status: 401,
    });
    const gathered = await gatherFreeBusy([{ provider: wrong, calendars: [OWNER] }], RANGE, {
      deadlineMs: 5000,
    });
    expect(gathered[OWNER]).toMatchObject({ ok: false, reason: 'error' });
    expect(gathered[OWNER]?.ok === false && gathered[OWNER].message).toMatch(
      /refused the username or app password/,
    );
  });

  it('creates, retries, updates and deletes an event as an iCalendar object', async () => {
    const caldav = provider({ calendarUrl: personal });
    const input: EventInput = {
      title: 'Design review',
      start: new Date('2025-03-12T13:00:00Z'),
      end: new Date('2025-03-12T14:00:00Z'),
      timeZone: 'Europe/Berlin',
      attendees: [
        { email: 'raj@example.com', name: 'Raj' },
        { email: 'lee@example.com', optional: true },
      ],
      description: 'Bring the mock-ups.',
      onlineMeeting: 'zoom',
      joinUrl: 'https://zoom.us/j/987654321',
      requestId: 'booking-42',
    };
    const made = await caldav.createEvent(input);
    expect(made.providerEventId.startsWith(personal)).toBe(true);
    expect(made.joinUrl).toBe(input.joinUrl);

    const stored = await radicale.get(made.providerEventId);
    expect(stored.status).toBe(200);
    const vevent = new ICAL.Component(ICAL.parse(stored.body)).getFirstSubcomponent('vevent')!;
    expect(vevent.getFirstPropertyValue('uid')).toBe(made.iCalUid);
    expect(vevent.getFirstProperty('dtstart')?.getParameter('tzid')).toBe('Europe/Berlin');
    expect(String(vevent.getFirstPropertyValue('dtstart'))).toBe('2025-03-12T14:00:00');
    expect(vevent.getFirstPropertyValue('organizer')).toBe(`mailto:${OWNER}`);
    expect(vevent.getFirstPropertyValue('url')).toBe(input.joinUrl);
    expect(vevent.getFirstPropertyValue('sequence')).toBe(0);
    const attendees = vevent.getAllProperties('attendee');
    expect(attendees.map((a) => [a.getFirstValue(), a.getParameter('role')])).toEqual([
      ['mailto:raj@example.com', 'REQ-PARTICIPANT'],
      ['mailto:lee@example.com', 'OPT-PARTICIPANT'],
    ]);

    // A retried create PUTs onto the same resource: still one object.
    const again = await caldav.createEvent(input);
    expect(again.providerEventId).toBe(made.providerEventId);
    expect((await radicale.list(personal)).filter((u) => u === made.providerEventId)).toHaveLength(
      1,
    );

    const busy = await caldav.freeBusy({ calendars: [personal], ...RANGE });
    expect(busyOf(busy[personal])).toContainEqual({
      start: input.start.getTime(),
      end: input.end.getTime(),
      status: 'busy',
    });

    const moved = {
      ...input,
      title: 'Design review (moved)',
      start: new Date('2025-03-13T08:00:00Z'),
      end: new Date('2025-03-13T09:00:00Z'),
    };
    const updated = await caldav.updateEvent(made.providerEventId, moved);
    expect(updated.providerEventId).toBe(made.providerEventId);
    const after = new ICAL.Component(
      ICAL.parse((await radicale.get(made.providerEventId)).body),
    ).getFirstSubcomponent('vevent')!;
    expect(after.getFirstPropertyValue('uid')).toBe(made.iCalUid);
    expect(after.getFirstPropertyValue('sequence')).toBe(1);
    expect(after.getFirstPropertyValue('summary')).toBe('Design review (moved)');

    const upcoming = await caldav.upcoming({
      start: new Date('2025-03-13T00:00:00Z'),
      end: new Date('2025-03-14T00:00:00Z'),
    });
    expect(upcoming).toEqual([
      {
        providerEventId: made.providerEventId,
        title: 'Design review (moved)',
        start: moved.start,
        end: moved.end,
        attendees: ['raj@example.com', 'lee@example.com'],
        joinUrl: input.joinUrl,
      },
    ]);

    await caldav.deleteEvent(made.providerEventId);
    expect((await radicale.get(made.providerEventId)).status).toBe(404);
    await expect(caldav.deleteEvent(made.providerEventId)).resolves.toBeUndefined();
    await expect(caldav.updateEvent(made.providerEventId, moved)).rejects.toMatchObject({
      status: 404,
    });
  });

  it('lists upcoming occurrences of recurring events in order, with a limit', async () => {
    const upcoming = await provider().upcoming({ ...RANGE, limit: 3 });
    expect(upcoming.map((e) => [e.title, e.start.toISOString()])).toEqual([
      ['Standup', '2025-03-03T09:00:00.000Z'],
      ['Dentist', '2025-03-04T08:00:00.000Z'],
      ['Focus', '2025-03-05T12:00:00.000Z'],
    ]);
  });

  it('never sends the credentials to another host', async () => {
    await expect(provider().deleteEvent('https://evil.example/ana/work/x.ics')).rejects.toThrow(
      /is not on/,
    );
  });

  it('needs a join URL for meetings it cannot create, and honours an aborted signal', async () => {
    const caldav = provider();
    await expect(
      caldav.createEvent({
        title: 'x',
        start: new Date('2025-03-12T13:00:00Z'),
        end: new Date('2025-03-12T14:00:00Z'),
        timeZone: 'UTC',
        attendees: [],
        onlineMeeting: 'teams',
        requestId: 'r',
      }),
    ).rejects.toThrow(ProviderError);
    const controller = new AbortController();
    controller.abort(new Error('caller gave up'));
    await expect(
      caldav.freeBusy({ calendars: [work], ...RANGE }, controller.signal),
    ).rejects.toThrow('caller gave up');
  });
});
