import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caldavCalendarProvider } from '../../../infra/providers/caldav/caldav-calendar.ts';
import { startRadicale, type RadicaleServer } from '../../support/radicale.ts';
import {
  changeSeriesAsScenario,
  expectUnknownOccurrenceRefused,
  SERIES_INPUT,
  SERIES_SPAN,
  SERIES_STARTS,
  STARTS_LEFT,
} from '../../support/series-scenario.ts';

let radicale: RadicaleServer;
let calendarUrl: string;
beforeAll(async () => {
  radicale = await startRadicale();
  calendarUrl = await radicale.makeCalendar('work');
});
afterAll(async () => {
  await radicale?.stop();
});

describe('a series on a CalDAV calendar (real Radicale)', () => {
  it('is written as RRULE with a VTIMEZONE; an occurrence moves (RECURRENCE-ID), one is cancelled (EXDATE), the rest ends (UNTIL)', async () => {
    const ana = caldavCalendarProvider({
      serverUrl: radicale.url,
      username: radicale.username,
      password: radicale.password,
      ownerId: 'ana@example.com',
      calendarUrl,
    });
    const busyStarts = async () => {
      const lookup = (await ana.freeBusy({ calendars: ['ana@example.com'], ...SERIES_SPAN }))[
        'ana@example.com'
      ]!;
      if (!lookup.ok) throw new Error(lookup.message);
      return lookup.busy.map((b) => new Date(b.start).toISOString()).sort();
    };
    const { providerEventId } = await ana.createEvent(SERIES_INPUT);
    const stored = async () =>
      new ICAL.Component(ICAL.parse((await radicale.get(providerEventId)).body));
    const first = await stored();
    const master = first.getFirstSubcomponent('vevent')!;
    expect(String(master.getFirstPropertyValue('rrule'))).toBe('FREQ=WEEKLY;COUNT=6');
    expect(master.getFirstProperty('dtstart')!.getParameter('tzid')).toBe('Europe/Berlin');
    const offsets = first
      .getFirstSubcomponent('vtimezone')!
      .getAllSubcomponents()
      .map((c) => String(c.getFirstPropertyValue('tzoffsetto')));
    expect(offsets).toEqual(expect.arrayContaining(['+02:00', '+01:00']));
    expect(await busyStarts()).toEqual(SERIES_STARTS);

    await changeSeriesAsScenario(ana, providerEventId);
    expect(await busyStarts()).toEqual(STARTS_LEFT);

    const after = (await stored()).getAllSubcomponents('vevent');
    const changed = after.find((e) => !e.hasProperty('recurrence-id'))!;
    expect(String(changed.getFirstPropertyValue('rrule'))).toBe(
      'FREQ=WEEKLY;UNTIL=20261103T080000Z',
    );
    expect(changed.getFirstProperty('exdate')!.getParameter('tzid')).toBe('Europe/Berlin');
    expect(Number(changed.getFirstPropertyValue('sequence'))).toBe(3);
    const override = after.find((e) => e.hasProperty('recurrence-id'))!;
    expect(override.getFirstPropertyValue('recurrence-id')!.toString()).toBe('2026-10-27T09:00:00');
    expect(override.getFirstPropertyValue('summary')).toBe('Weekly sync');

    await expectUnknownOccurrenceRefused(ana, providerEventId);
  });
});
