// The Schedule page's fair rotation, in real Chromium, for the demo organization's four zones
// (Berlin, Kolkata, New York, Sydney), whose working hours never all overlap: a weekly meeting
// is offered as times taking turns, with each person's clock and a table of meetings outside
// hours, and booking it makes one series per time, interleaved.
import type { Browser as Chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChromium } from '../../support/chromium.ts';
import { Browser, json, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';
import { signUpDemoTeam } from '../../support/demo-team.ts';
import { openPageAs, pageChecker } from './pages.ts';

const accessible = pageChecker('rotation');
let quorum: TestQuorum;
let chromium: Chromium;
let ana: Browser;

beforeAll(async () => {
  quorum = await startTestQuorum();
  ana = (await signUpDemoTeam(quorum, 160)).get('ana')!;
  chromium = await launchChromium();
}, 60_000);

afterAll(async () => {
  await chromium?.close();
  await quorum?.stop();
});

test('a weekly meeting for four zones is offered as a fair rotation and booked', async () => {
  const page = await openPageAs(chromium, quorum.url, ana, '/app', {
    locale: 'en-GB',
    timezoneId: 'Europe/Berlin',
  });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.getByRole('link', { name: 'Schedule' }).click();
  await page.getByLabel('Title').fill('Global sync');
  for (const name of ['Raj Patel', 'Maya Chen', 'Lee Wong']) {
    await page.getByRole('checkbox', { name: new RegExp(name) }).check();
  }
  await page.getByLabel('Repeat').selectOption({ label: 'Every week' });
  await page.getByLabel('Meetings').fill('6');
  await page.getByRole('button', { name: 'Find times' }).click();

  const plan = page.getByRole('region', { name: 'Rotation plan' });
  await plan.getByText('A fair rotation').waitFor();
  await plan.getByText(/taking turns, nobody is outside them at more than \d+\./).waitFor();
  const times = plan.getByRole('list', { name: 'Times taking turns' }).locator(':scope > li');
  const k = await times.count();
  expect(k).toBeGreaterThanOrEqual(2);
  expect(k).toBeLessThanOrEqual(3);
  // Each time in the viewer's zone, then every person's own clock.
  const first = await plan
    .getByRole('list', { name: "Each person's time at time A" })
    .locator('li')
    .allTextContents();
  const cities = ['Berlin', 'Kolkata', 'New York', 'Sydney'];
  ['Ana Lopez', 'Raj Patel', 'Maya Chen', 'Lee Wong'].forEach((name, i) => {
    expect(first[i]).toMatch(
      new RegExp(`^${name}: \\w{3} \\d\\d:\\d\\d–\\d\\d:\\d\\d ${cities[i]}, `),
    );
  });
  await expect(times.first().textContent()).resolves.toMatch(
    /^Time A: .+ — 3 meetings, every 2 weeks|^Time A: .+ — 2 meetings, every 3 weeks/,
  );

  // The table: everyone's meetings outside hours in this rotation, and carried before (none).
  const table = plan.getByRole('table', { name: 'Meetings outside working hours' });
  const rows = table.getByRole('row');
  await expect(rows.count()).resolves.toBe(5);
  const counts: number[] = [];
  for (const name of ['Ana Lopez', 'Raj Patel', 'Maya Chen', 'Lee Wong']) {
    const cells = await table
      .getByRole('row', { name: new RegExp(name) })
      .getByRole('cell')
      .allTextContents();
    expect(cells[1]).toBe('0');
    counts.push(Number(cells[0]));
  }
  // Shared: no one is outside their hours at all 6 meetings, as any single time would ask.
  expect(Math.max(...counts)).toBeLessThan(6);
  await accessible(page);

  // The meeting link is chosen here too (the person's default to start with).
  await expect(plan.getByLabel('Meeting link').count()).resolves.toBe(1);
  await plan.getByRole('button', { name: 'Book this rotation' }).click();
  await page.getByText('Rotation booked').waitFor();
  await page.getByText(`Booked 6 meetings as ${k} times taking turns.`).waitFor();

  const { bookings } = await json(ana.request('/api/bookings'));
  const series = (
    bookings as Array<{
      title: string;
      start: string;
      series?: { rule: { interval: number; count: number } };
    }>
  )
    .filter((b) => b.title === 'Global sync')
    .sort((a, b) => a.start.localeCompare(b.start));
  expect(series).toHaveLength(k);
  expect(series.map((b) => b.series?.rule.interval)).toEqual(Array(k).fill(k));
  expect(series.reduce((n, b) => n + b.series!.rule.count, 0)).toBe(6);
  // Interleaved: time j starts in week j.
  const gaps = series
    .slice(1)
    .map((b, j) => (Date.parse(b.start) - Date.parse(series[j]!.start)) / 86_400_000);
  for (const gap of gaps) {
    expect(gap).toBeGreaterThan(0);
    expect(gap).toBeLessThan(14);
  }
  expect(errors).toEqual([]);
  await page.context().close();
});
