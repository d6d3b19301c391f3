// The Schedule page's "repeat" control in real Chromium: a fortnightly series of four meetings is
// searched (first times whose every meeting is free) and booked as one series.
import type { Browser as Chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChromium } from '../../support/chromium.ts';
import { json } from '../../support/quorum-app.ts';
import { zoomOrg, type ZoomOrg } from '../zoom/zoom-org.ts';

let org: ZoomOrg;
let chromium: Chromium;

beforeAll(async () => {
  org = await zoomOrg();
  chromium = await launchChromium();
}, 60_000);

afterAll(async () => {
  await chromium?.close();
  await org?.stop();
});

test('a meeting repeated every 2 weeks, 4 times, is found and booked as one series', async () => {
  const context = await chromium.newContext({ locale: 'en-GB', timezoneId: 'Europe/Berlin' });
  await context.addCookies([
    { name: 'quorum_session', value: org.ana.cookies.get('quorum_session')!, url: org.app.url },
  ]);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${org.app.url}/app`);
  await page.getByRole('link', { name: 'Schedule' }).click();
  await page.getByLabel('Title').fill('Fortnightly review');
  await page.getByRole('checkbox', { name: /Raj/ }).check();
  await page.getByLabel('Repeat').selectOption({ label: 'Every 2 weeks' });
  await page.getByLabel('Meetings').fill('4');
  await page.getByRole('button', { name: 'Find times' }).click();
  const firstSlot = page
    .getByRole('region', { name: 'Suggested times' })
    .getByRole('button')
    .first();
  await firstSlot.click();
  await page.getByRole('button', { name: 'Book this time' }).click();
  await page.getByText('The invitation is on your calendar.').waitFor();

  const { bookings } = await json(org.ana.request('/api/bookings'));
  const booked = (bookings as Array<{ title: string; series?: { rule: unknown } }>).find(
    (b) => b.title === 'Fortnightly review',
  );
  expect(booked?.series?.rule).toEqual({ frequency: 'weekly', interval: 2, count: 4 });
  await context.close();
});
