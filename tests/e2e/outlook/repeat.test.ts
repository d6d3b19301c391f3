/// <reference types="office-js" />
// The Outlook task pane's "repeat", in real Chromium with the office.js stand-in: the demo
// organization's four-zone question (Berlin, Kolkata, New York, Sydney) as a weekly series of 8
// and as a monthly one on the first Tuesday. The times offered are those core found with every
// meeting free (series-times.ts), with each person's clock; the chosen series goes into the item
// through item.recurrence.setAsync, and the test reads it back as Outlook holds it and expands it
// itself to compare with the meetings Quorum checked. Where Outlook cannot take the repeat (no
// recurrence API, a zone without a Windows name) the first meeting is written and the pane says so.
import { AxeBuilder } from '@axe-core/playwright';
import { DateTime } from 'luxon';
import type { Browser as Chromium, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PEOPLE } from '../../../infra/cli/demo-data.ts';
import { launchChromium } from '../../support/chromium.ts';
import {
  officeStandInScript,
  type StandInConfig,
  type StandInPerson,
  type StandInRecord,
  type StandInRecurrence,
} from '../../support/office-stand-in.ts';
import { startTestQuorum, type Browser, type TestQuorum } from '../../support/quorum-app.ts';
import { organization } from '../../integration/meetings/people.ts';

let app: TestQuorum;
let chromium: Chromium;
let ana: Browser;
const demo = (first: string) => DEMO_PEOPLE.find((p) => p.name.startsWith(first))!;
const person = (first: string): StandInPerson => ({
  emailAddress: `${first.toLowerCase()}@acme.example`,
  displayName: demo(first).name,
});
const ANA = person('Ana');
const OTHERS = [person('Raj'), person('Maya'), person('Lee')];
const BERLIN = 'Europe/Berlin';

beforeAll(async () => {
  app = await startTestQuorum();
  chromium = await launchChromium();
  const org = await organization(
    app,
    'Acme',
    { name: ANA.displayName, email: ANA.emailAddress },
    OTHERS.map((p) => ({ name: p.displayName, email: p.emailAddress })),
  );
  ana = org.admin;
  for (const [who, first] of [
    [ana, 'Ana'],
    ...OTHERS.map((p) => [org.members[p.emailAddress]!, p.displayName.split(' ')[0]!] as const),
  ] as Array<[Browser, string]>) {
    const res = await who.request('/api/me/settings', {
      method: 'PUT',
      json: demo(first).settings,
    });
    expect(res.status, await res.clone().text()).toBe(200);
  }
}, 60_000);

afterAll(async () => {
  await chromium?.close();
  await app?.stop();
});

function invite(overrides: Partial<StandInConfig> = {}): StandInConfig {
  const start = new Date(Date.now() + 86_400_000);
  start.setUTCHours(9, 0, 0, 0);
  return {
    mode: 'appointment-compose',
    mailboxVersion: '1.13',
    timeZone: BERLIN,
    user: ANA,
    item: {
      subject: 'Roadmap sync',
      required: OTHERS,
      optional: [],
      start: start.toISOString(),
      end: new Date(start.getTime() + 30 * 60_000).toISOString(),
      location: '',
      body: '',
      bodyType: 'html',
    },
    ...overrides,
  };
}

async function openPane(config: StandInConfig): Promise<Page> {
  const context = await chromium.newContext({ locale: 'en-GB', timezoneId: config.timeZone });
  await context.addCookies([
    { name: 'quorum_session', value: ana.cookies.get('quorum_session')!, url: app.url },
  ]);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.route('**/outlook/office-js/office.js', (route) =>
    route.fulfill({ contentType: 'text/javascript', body: officeStandInScript(config) }),
  );
  expect((await page.goto(`${app.url}/outlook/taskpane`))?.status()).toBe(200);
  await page.locator('[data-slot-start]').first().waitFor();
  return page;
}

interface SeriesAnswer {
  timeZone: string;
  slots: Array<{ start: string; end: string; occurrences: Array<{ start: string; end: string }> }>;
}

/** Chooses a repeat and returns the series times Quorum answered with for `rule`. */
async function repeat(
  page: Page,
  rule: Record<string, unknown>,
  said: string,
  choose: () => Promise<unknown>,
): Promise<SeriesAnswer> {
  const answered = page.waitForResponse(
    (r) =>
      r.url().endsWith('/api/scheduling/find') &&
      JSON.stringify((r.request().postDataJSON() as { recurrence?: unknown }).recurrence) ===
        JSON.stringify(rule),
  );
  // Awaited below; if choosing fails first, that failure is the one the test reports.
  answered.catch(() => undefined);
  await choose();
  const answer = (await (await answered).json()) as SeriesAnswer;
  // The list shown is this answer's (an earlier search's answer names another rule).
  await page.getByText(new RegExp(`^Times when every meeting works.*, ${said}:$`)).waitFor();
  return answer;
}

async function record(page: Page): Promise<StandInRecord> {
  return page.evaluate(
    () => (globalThis as unknown as { __office: { record: StandInRecord } }).__office.record,
  );
}

/** The item's recurrence read back through office.js's getAsync, SeriesTime's getters and all. */
async function readBack(page: Page) {
  return page.evaluate(
    () =>
      new Promise((resolve) => {
        const office = (globalThis as unknown as { Office: typeof Office }).Office;
        const item = office.context.mailbox.item as Office.AppointmentCompose;
        item.recurrence.getAsync((result) => {
          const r = result.value;
          resolve({
            recurrenceType: r.recurrenceType,
            recurrenceProperties: r.recurrenceProperties,
            recurrenceTimeZone: r.recurrenceTimeZone,
            startDate: r.seriesTime.getStartDate(),
            startTime: r.seriesTime.getStartTime(),
            endDate: r.seriesTime.getEndDate(),
            duration: r.seriesTime.getDuration(),
          });
        });
      }),
  );
}

/**
 * The meeting dates Outlook makes of a written pattern, expanded here independently of the
 * pane: weekly on its days every `interval` weeks, or monthly on the Nth weekday, from the start
 * date to the end date.
 */
function outlookDates(recurrence: StandInRecurrence): string[] {
  const t = recurrence.seriesTimeJson;
  const start = DateTime.utc(t.startYear, t.startMonth, t.startDay);
  const end = DateTime.utc(t.endYear!, t.endMonth!, t.endDay!);
  const props = recurrence.recurrenceProperties as Record<string, unknown>;
  const names = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  const dates: string[] = [];
  for (let day = start; day <= end; day = day.plus({ days: 1 })) {
    const name = names[day.weekday - 1]!;
    if (recurrence.recurrenceType === 'weekly') {
      const week = Math.floor(day.diff(start.startOf('week'), 'weeks').weeks);
      if ((props.days as string[]).includes(name) && week % (props.interval as number) === 0)
        dates.push(day.toISODate()!);
    } else if (name === props.dayOfWeek) {
      const nth = ['first', 'second', 'third', 'fourth'][Math.ceil(day.day / 7) - 1];
      const last = day.plus({ weeks: 1 }).month !== day.month;
      if (props.weekNumber === nth || (props.weekNumber === 'last' && last))
        dates.push(day.toISODate()!);
    }
  }
  return dates;
}

function local(iso: string, zone = BERLIN): DateTime {
  return DateTime.fromISO(iso, { zone });
}

describe('a repeating meeting from the Outlook pane', () => {
  it('finds a weekly series of 8 for the four zones and writes it as a weekly recurrence', async () => {
    const page = await openPane(invite());
    const weekly = { frequency: 'weekly', interval: 1, count: 8 };
    const answer = await repeat(page, weekly, 'weekly, 8 times', () =>
      page.getByLabel('Repeat').selectOption({ label: 'Every week' }),
    );
    expect(answer.timeZone).toBe(BERLIN);
    expect(answer.slots.length).toBeGreaterThan(0);
    // Each time shows every person's own clock and the time asked outside their hours.
    const lines = await page
      .getByRole('list', { name: "Each person's time" })
      .first()
      .locator('li')
      .allTextContents();
    ['Ana Lopez', 'Raj Patel', 'Maya Chen', 'Lee Wong'].forEach((name, i) => {
      const city = ['Berlin', 'Kolkata', 'New York', 'Sydney'][i];
      expect(lines[i]).toMatch(
        new RegExp(`^${name}: \\w{3} \\d\\d:\\d\\d–\\d\\d:\\d\\d ${city}, `),
      );
    });
    expect(lines.join('\n')).toMatch(/\d+ min (before|after) hours/);

    const first = page.locator('[data-slot-start]').first();
    const firstStart = await first.getAttribute('data-slot-start');
    const chosen = answer.slots.find((s) => s.start === firstStart)!;
    expect(chosen.occurrences).toHaveLength(8);
    await first.click();
    await page.getByText(/^Weekly, 8 times, from .* is now in the invite/).waitFor();

    const startsAt = local(chosen.start);
    const written = await record(page);
    expect(written.writes.map((w) => w.op)).toEqual(['start', 'end', 'body.prepend', 'recurrence']);
    expect(written.state.start).toBe(new Date(chosen.start).toISOString());
    expect(await readBack(page)).toEqual({
      recurrenceType: 'weekly',
      recurrenceProperties: {
        interval: 1,
        days: [startsAt.toFormat('ccc').toLowerCase()],
        firstDayOfWeek: 'mon',
      },
      recurrenceTimeZone: { name: 'W. Europe Standard Time' },
      startDate: startsAt.toISODate(),
      startTime: `T${startsAt.toFormat('HH:mm')}:00.000`,
      endDate: local(chosen.occurrences.at(-1)!.start).toISODate(),
      duration: 30,
    });
    // Outlook's meetings of that pattern are the very ones Quorum checked, at one Berlin time.
    const held = written.state.recurrence!;
    expect(outlookDates(held)).toEqual(chosen.occurrences.map((o) => local(o.start).toISODate()));
    for (const o of chosen.occurrences) {
      expect(local(o.start).toFormat('HH:mm')).toBe(startsAt.toFormat('HH:mm'));
    }
    await page.context().close();
  });

  it('writes monthly on the first Tuesday as a relative monthly recurrence', async () => {
    const page = await openPane(invite());
    await page.getByLabel('Repeat').selectOption({ label: 'Every month, on a weekday' });
    await page.getByLabel('Week of the month').selectOption({ label: 'first' });
    await page.getByLabel('Day').selectOption({ label: 'Tuesday' });
    const monthly = { frequency: 'monthly', interval: 1, weekday: 'TU', ordinal: 1, count: 6 };
    const answer = await repeat(
      page,
      monthly,
      'monthly on the first Tuesday, 6 times',
      async () => {
        await page.getByLabel('Meetings').fill('6');
        await page.getByLabel('Meetings').blur();
      },
    );
    expect(answer.slots.length).toBeGreaterThan(0);
    // The monthly fields, open, are labelled and usable as the rest of the pane.
    const { violations } = await new AxeBuilder({ page }).analyze();
    expect(violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
    const first = page.locator('[data-slot-start]').first();
    const firstStart = await first.getAttribute('data-slot-start');
    const chosen = answer.slots.find((s) => s.start === firstStart)!;
    expect(chosen.occurrences).toHaveLength(6);
    await first.click();
    await page
      .getByText(/^Monthly on the first Tuesday, 6 times, from .* is now in the invite/)
      .waitFor();

    const startsAt = local(chosen.start);
    expect(startsAt.weekday).toBe(2);
    expect(startsAt.day).toBeLessThanOrEqual(7);
    expect(await readBack(page)).toEqual({
      recurrenceType: 'monthly',
      recurrenceProperties: { interval: 1, dayOfWeek: 'tue', weekNumber: 'first' },
      recurrenceTimeZone: { name: 'W. Europe Standard Time' },
      startDate: startsAt.toISODate(),
      startTime: `T${startsAt.toFormat('HH:mm')}:00.000`,
      endDate: local(chosen.occurrences.at(-1)!.start).toISODate(),
      duration: 30,
    });
    const held = (await record(page)).state.recurrence!;
    expect(outlookDates(held)).toEqual(chosen.occurrences.map((o) => local(o.start).toISODate()));
    await page.context().close();
  });

  it('writes every 2 weeks as a weekly recurrence with interval 2', async () => {
    const page = await openPane(invite());
    await page.getByLabel('Repeat').selectOption({ label: 'Every 2 weeks' });
    const fortnightly = { frequency: 'weekly', interval: 2, count: 4 };
    const answer = await repeat(page, fortnightly, 'every 2 weeks, 4 times', async () => {
      await page.getByLabel('Meetings').fill('4');
      await page.getByLabel('Meetings').blur();
    });
    const first = page.locator('[data-slot-start]').first();
    const firstStart = await first.getAttribute('data-slot-start');
    const chosen = answer.slots.find((s) => s.start === firstStart)!;
    await first.click();
    await page.getByText(/^Every 2 weeks, 4 times, from .* is now in the invite/).waitFor();
    const held = (await record(page)).state.recurrence!;
    expect(held.recurrenceType).toBe('weekly');
    expect(held.recurrenceProperties).toMatchObject({ interval: 2 });
    expect(outlookDates(held)).toEqual(chosen.occurrences.map((o) => local(o.start).toISODate()));
    await page.context().close();
  });

  it('replaces the series when another is chosen, and leaves a repeat alone for one time', async () => {
    const page = await openPane(invite());
    const weekly = { frequency: 'weekly', interval: 1, count: 8 };
    const answer = await repeat(page, weekly, 'weekly, 8 times', () =>
      page.getByLabel('Repeat').selectOption({ label: 'Every week' }),
    );
    await page.locator('[data-slot-start]').first().click();
    await page.getByText(/^Weekly, 8 times, from .* is now in the invite/).waitFor();
    // Another series: its own times replace the first (start and end are left to it).
    const second = page.locator('[data-slot-start]').nth(1);
    const secondStart = await second.getAttribute('data-slot-start');
    const chosen = answer.slots.find((s) => s.start === secondStart)!;
    await second.click();
    await page.waitForFunction(
      () =>
        (
          globalThis as unknown as { __office: { record: StandInRecord } }
        ).__office.record.writes.filter((w) => w.op === 'recurrence').length === 2,
    );
    const startsAt = local(chosen.start);
    expect(await readBack(page)).toMatchObject({
      startDate: startsAt.toISODate(),
      startTime: `T${startsAt.toFormat('HH:mm')}:00.000`,
      endDate: local(chosen.occurrences.at(-1)!.start).toISODate(),
    });
    expect((await record(page)).writes.map((w) => w.op)).toEqual([
      'start',
      'end',
      'body.prepend',
      'recurrence',
      'recurrence',
    ]);
    // One time, in an invite that repeats: written, and the pane says the repeat stays.
    await page.getByLabel('Repeat').selectOption({ label: 'Does not repeat' });
    await page.getByText(/^Best times for 3 attendees and you/).waitFor();
    await page.locator('[data-slot-start]').first().click();
    await page
      .getByText('The invite already repeats, and Quorum leaves that as it is.', { exact: false })
      .waitFor();
    expect((await record(page)).writes.map((w) => w.op).slice(5)).toEqual(['start', 'end']);
    await page.context().close();
  });

  it('writes the first meeting and says so plainly when this Outlook cannot set a repeat', async () => {
    const page = await openPane(invite({ recurrenceApi: false }));
    await repeat(
      page,
      { frequency: 'weekly', interval: 2, count: 8 },
      'every 2 weeks, 8 times',
      () => page.getByLabel('Repeat').selectOption({ label: 'Every 2 weeks' }),
    );
    const first = page.locator('[data-slot-start]').first();
    const start = (await first.getAttribute('data-slot-start'))!;
    await first.click();
    await page
      .getByText(
        'This Outlook cannot set a repeating meeting; set the repeat in Outlook after inserting the time.',
      )
      .waitFor();
    await page.getByText(/^The first meeting, .* is now in the invite/).waitFor();
    const written = await record(page);
    expect(written.writes.map((w) => w.op)).toEqual(['start', 'end', 'body.prepend']);
    expect(written.state.start).toBe(new Date(start).toISOString());
    await page.context().close();
  });

  it('names a zone Outlook has no Windows name for, and writes the first meeting only', async () => {
    const troll = { ...demo('Ana').settings, timeZone: 'Antarctica/Troll' };
    expect((await ana.request('/api/me/settings', { method: 'PUT', json: troll })).status).toBe(
      200,
    );
    try {
      const page = await openPane(invite({ timeZone: 'Antarctica/Troll' }));
      const weekly = { frequency: 'weekly', interval: 1, count: 8 };
      const answer = await repeat(page, weekly, 'weekly, 8 times', () =>
        page.getByLabel('Repeat').selectOption({ label: 'Every week' }),
      );
      expect(answer.timeZone).toBe('Antarctica/Troll');
      await page.locator('[data-slot-start]').first().click();
      await page.getByText('Quorum has no Outlook name for Antarctica/Troll').waitFor();
      const written = await record(page);
      expect(written.writes.map((w) => w.op)).toEqual(['start', 'end', 'body.prepend']);
      expect(written.state.recurrence).toBeUndefined();
      await page.context().close();
    } finally {
      await ana.request('/api/me/settings', { method: 'PUT', json: demo('Ana').settings });
    }
  });
});

describe('the office.js stand-in’s recurrence', () => {
  it('refuses what office.js and Outlook refuse', async () => {
    const page = await openPane(invite());
    const outcomes = await page.evaluate(async () => {
      const office = (globalThis as unknown as { Office: typeof Office }).Office;
      const item = office.context.mailbox.item as Office.AppointmentCompose;
      const SeriesTime = (office as unknown as { SeriesTime: new () => Office.SeriesTime })
        .SeriesTime;
      const set = (pattern: unknown) =>
        new Promise<string>((resolve) => {
          try {
            item.recurrence.setAsync(pattern as Office.Recurrence, (r) =>
              resolve(
                String(r.status) === 'succeeded' ? 'ok' : `${r.error.code} ${r.error.message}`,
              ),
            );
          } catch (error) {
            resolve((error as Error).message);
          }
        });
      const time = new SeriesTime();
      time.setStartDate('2027-01-05');
      time.setEndDate(2027, 1, 23);
      time.setStartTime(10, 30);
      time.setDuration(30);
      const weekly = { interval: 1, days: ['tue'] };
      const zone = { name: 'W. Europe Standard Time' };
      const plain = { ...time };
      return [
        await set({ recurrenceType: 'weekly', recurrenceProperties: weekly }),
        await set({ recurrenceType: 'weekly', recurrenceProperties: weekly, seriesTime: plain }),
        await set({
          recurrenceType: 'weekly',
          recurrenceProperties: { interval: 1, days: ['Tue'] },
          seriesTime: time,
        }),
        await set({
          recurrenceType: 'monthly',
          recurrenceProperties: { interval: 1 },
          seriesTime: time,
        }),
        await set({
          recurrenceType: 'weekly',
          recurrenceProperties: weekly,
          seriesTime: time,
          recurrenceTimeZone: { name: 'Europe/Berlin' },
        }),
        await set({
          recurrenceType: 'weekly',
          recurrenceProperties: { interval: 1, days: ['sun'] },
          seriesTime: (() => {
            const t = new SeriesTime();
            t.setStartDate('2027-01-05');
            t.setEndDate('2027-01-09');
            t.setStartTime('T10:30:00.000');
            t.setDuration(30);
            return t;
          })(),
          recurrenceTimeZone: zone,
        }),
        await set({
          recurrenceType: 'weekly',
          recurrenceProperties: weekly,
          seriesTime: time,
          recurrenceTimeZone: zone,
        }),
        time.getEndDate(),
        time.getEndTime(),
      ];
    });
    expect(outcomes).toEqual([
      'Sys.ArgumentNullException: Value cannot be null.\nParameter name: seriesTime',
      'Sys.ArgumentException: Value does not fall within the expected range.\nParameter name: seriesTime',
      'Sys.ArgumentException: Value does not fall within the expected range.\nParameter name: days',
      "Sys.ArgumentException: The recurrence pattern isn't valid. Please check that the specified recurrence properties align with the recurrence type.",
      '9037 The specified time zone is not supported.',
      '9035 The recurring series has no occurrences in the specified date range.',
      'ok',
      '2027-02-23',
      'T11:00:00.000',
    ]);
    await page.context().close();
  });
});
