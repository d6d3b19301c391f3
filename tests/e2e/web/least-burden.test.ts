// The Schedule page, in real Chromium, for the demo organization's four zones (Berlin, Kolkata,
// New York, Sydney) whose working hours never overlap: instead of "No common time" it offers
// the least-burden times, each with every person's own clock and the time asked of them.
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser as Chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChromium } from '../../support/chromium.ts';
import { signUpDemoTeam } from '../../support/demo-team.ts';
import { Browser, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';

let quorum: TestQuorum;
let chromium: Chromium;
let ana: Browser;

beforeAll(async () => {
  quorum = await startTestQuorum();
  ana = (await signUpDemoTeam(quorum, 120)).get('ana')!;
  chromium = await launchChromium();
}, 60_000);

afterAll(async () => {
  await chromium?.close();
  await quorum?.stop();
});

test('the Schedule page offers least-burden times with each person’s local time', async () => {
  const context = await chromium.newContext({ locale: 'en-GB', timezoneId: 'Europe/Berlin' });
  await context.addCookies([
    { name: 'quorum_session', value: ana.cookies.get('quorum_session')!, url: quorum.url },
  ]);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${quorum.url}/app`);
  await page.getByRole('link', { name: 'Schedule' }).click();
  for (const name of ['Raj Patel', 'Maya Chen', 'Lee Wong']) {
    await page.getByRole('checkbox', { name: new RegExp(name) }).check();
  }
  await page.getByRole('button', { name: 'Find times' }).click();
  const region = page.getByRole('region', { name: 'Suggested times' });
  await region.getByText('Least-burden times').waitFor();
  await expect(region.getByText('No common time').count()).resolves.toBe(0);

  const slots = region.getByRole('list', { name: "Each person's time" });
  await expect(slots.count()).resolves.toBeGreaterThan(0);
  const first = await slots.first().locator('li').allTextContents();
  expect(first).toHaveLength(4);
  const cities = ['Berlin', 'Kolkata', 'New York', 'Sydney'];
  ['Ana Lopez', 'Raj Patel', 'Maya Chen', 'Lee Wong'].forEach((name, i) => {
    expect(first[i]).toMatch(
      new RegExp(`^${name}: \\w{3} \\d\\d:\\d\\d–\\d\\d:\\d\\d ${cities[i]}, `),
    );
  });
  // No hour is everyone's: someone gives minutes outside their hours, and it says how many.
  expect(first.join('\n')).toMatch(/\d+ min (before|after) hours/);
  await expect(
    slots.first().locator('li[data-outside-minutes]:not([data-outside-minutes="0"])').count(),
  ).resolves.toBeGreaterThan(0);

  // The slot list only: the week grid (not this feature's) is checked by the journey test.
  const { violations } = await new AxeBuilder({ page })
    .include('section[aria-label="Suggested times"]')
    .analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
  ).toEqual([]);
  expect(errors).toEqual([]);
  await context.close();
});

test('Settings keeps a person’s “never” hours, and says under the field what is wrong', async () => {
  const context = await chromium.newContext({ locale: 'en-GB', timezoneId: 'Europe/Berlin' });
  await context.addCookies([
    { name: 'quorum_session', value: ana.cookies.get('quorum_session')!, url: quorum.url },
  ]);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${quorum.url}/app`);
  await page.getByRole('link', { name: 'Settings' }).click();
  const saved = async () =>
    (await (await ana.request('/api/me/settings')).json()) as { acceptableHours?: unknown };

  await page.getByLabel('Never before').fill('07:00');
  await page.getByLabel('Never after').fill('07:00');
  await page.getByRole('button', { name: 'Save my settings' }).click();
  await page.getByText('"never after" must differ from "never before"').waitFor();
  expect((await saved()).acceptableHours).toBeUndefined();

  await page.getByLabel('Never after').fill('21:00');
  await page.getByRole('button', { name: 'Save my settings' }).click();
  await page.getByText('Your settings are saved.').waitFor();
  expect((await saved()).acceptableHours).toEqual({ start: '07:00', end: '21:00' });

  // Shown again as saved; only "never after" left: any time from midnight, until 21:00.
  await page.reload();
  await expect(page.getByLabel('Never before').inputValue()).resolves.toBe('07:00');
  await page.getByLabel('Never before').fill('');
  await page.getByRole('button', { name: 'Save my settings' }).click();
  await page.getByText('Your settings are saved.').waitFor();
  expect((await saved()).acceptableHours).toEqual({ start: '00:00', end: '21:00' });
  await context.close();
});
