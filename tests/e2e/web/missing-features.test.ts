// The web app offers what the API already did (issue 19, item 2), in real Chromium against the
// real server: create a poll, search across meetings, tick off action items (kept after a
// reload), export my data and delete my account, and the Calendars page naming the settings that
// would offer Google and Microsoft calendars. Axe finds no serious violation on each page.
import { readFileSync } from 'node:fs';
import type { Browser as Chromium, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChromium } from '../../support/chromium.ts';
import { Browser, json, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';
import {
  captionedMeeting,
  organization,
  waitForStatus,
  type Org,
} from '../../integration/meetings/people.ts';
import { openPageAs, pageChecker } from './pages.ts';

const RAJ = { name: 'Raj Patel', email: 'raj@acme.example' };
const LEE = { name: 'Lee Wong', email: 'lee@acme.example' };

const accessible = pageChecker('missing-features');
let app: TestQuorum;
let acme: Org;
let chromium: Chromium;
let meetingId: string;

beforeAll(async () => {
  app = await startTestQuorum();
  acme = await organization(app, 'Acme', { name: 'Ana Lopez', email: 'ana@acme.example' }, [
    RAJ,
    LEE,
  ]);
  meetingId = await captionedMeeting(acme.admin, 'Quarterly planning');
  const done = await waitForStatus(acme.admin, meetingId, ['ready', 'failed']);
  expect(done.status).toBe('ready');
  expect(done.actionItems.length).toBeGreaterThan(0);
  chromium = await launchChromium();
}, 90_000);

afterAll(async () => {
  await chromium?.close();
  await app?.stop();
});

function open(who: Browser, path: string): Promise<Page> {
  return openPageAs(chromium, app.url, who, path, {
    locale: 'en-GB',
    timezoneId: 'Europe/Berlin',
  });
}

test('a poll is created from the Polls page, with one voting link per person that opens the poll', async () => {
  const page = await open(acme.admin, '/app/polls');
  await page.getByRole('heading', { name: 'Polls' }).waitFor();
  await page.getByLabel('Title').fill('Offsite planning');
  await page.getByLabel('Who votes').fill('Raj Patel <raj@acme.example>, lee@acme.example');
  await page.getByLabel('Time 1').fill('2027-03-10T10:00');
  await page.getByLabel('Time 2').fill('2027-03-11T14:00');
  await accessible(page);
  await page.getByRole('button', { name: 'Create poll' }).click();
  const links = page.getByRole('list', { name: 'Voting links' });
  await links.waitFor();
  const raj = links.getByRole('listitem').filter({ hasText: 'raj@acme.example' });
  const url = await raj.getByRole('link').getAttribute('href');
  expect(url).toMatch(/\/polls\/[^/?]+\?t=/);
  // Email is off here: the page says so, and each link is to be shared by hand.
  await page.getByText('Email is off here, so nobody was emailed').waitFor();
  await expect(raj.textContent()).resolves.toContain('Share this link');
  await expect(links.getByRole('listitem').count()).resolves.toBe(2);
  // The form is empty again for the next poll.
  await expect(page.getByLabel('Title').inputValue()).resolves.toBe('');

  await page.goto(url!);
  await page.getByText('Offsite planning').first().waitFor();
  await page.getByRole('checkbox').first().waitFor();
});

test('the Search page finds a meeting by the words said in it, with who said them', async () => {
  const page = await open(acme.members[RAJ.email]!, '/app/search');
  await page.getByRole('heading', { name: 'Search meetings' }).waitFor();
  await page.getByLabel('Words said in a meeting').fill('revised spreadsheet');
  await page.getByRole('button', { name: 'Search' }).click();
  const results = page.getByRole('list', { name: 'Search results' });
  await results.getByRole('link', { name: 'Quarterly planning' }).waitFor();
  const text = await results.textContent();
  expect(text).toContain('Raj Patel');
  expect(text).toContain("I'll send the revised spreadsheet to finance by Friday.");
  await accessible(page);

  await page.getByLabel('Words said in a meeting').fill('zeppelin');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByText('No meeting of yours mentions zeppelin.').waitFor();
});

test('an action item ticked off on the meeting page stays ticked after a reload', async () => {
  const page = await open(acme.admin, `/app/meetings/${meetingId}`);
  const items = page.getByRole('list', { name: 'Action items' });
  const first = items.getByRole('checkbox').first();
  await first.waitFor();
  expect(await first.isChecked()).toBe(false);
  // The box follows the stored meeting: it turns once the server has kept the change.
  await first.click();
  await expect
    .poll(
      async () =>
        (await json(acme.admin.request(`/api/meetings/${meetingId}`))).actionItems[0].done,
    )
    .toBe(true);
  await page.reload();
  await expect(items.getByRole('checkbox').first().isChecked()).resolves.toBe(true);
  await accessible(page);
});

test('Settings exports my data and deletes my account once I type my address', async () => {
  const lee = acme.members[LEE.email]!;
  const page = await open(lee, '/app/settings');
  const section = page.getByRole('region', { name: 'Your data' });
  await section.waitFor();
  await accessible(page);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    section.getByRole('link', { name: 'Export my data' }).click(),
  ]);
  const exported = JSON.parse(readFileSync((await download.path())!, 'utf8'));
  expect(JSON.stringify(exported)).toContain(LEE.email);

  const field = page.getByLabel(/To delete your account, type your email address/);
  await field.fill('lee@acme.exampel');
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await page.getByText('Type your email address, lee@acme.example, exactly as shown.').waitFor();
  expect((await lee.request('/api/me')).status).toBe(200);

  await field.fill(LEE.email);
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await page.getByText('Your account is deleted').waitFor();
  expect((await lee.request('/api/me')).status).toBe(401);
});

test('the Calendars page names the settings that would offer Google and Microsoft calendars', async () => {
  const page = await open(acme.admin, '/app/calendars');
  const missing = page.getByRole('list', { name: 'Calendars not set up' });
  await missing.waitFor();
  const google = await missing.getByRole('listitem').filter({ hasText: 'Google' }).textContent();
  expect(google).toContain('GOOGLE_CLIENT_ID');
  expect(google).toContain('GOOGLE_CLIENT_SECRET');
  expect(google).toContain('/connect/google/callback');
  const microsoft = await missing
    .getByRole('listitem')
    .filter({ hasText: 'Microsoft' })
    .textContent();
  expect(microsoft).toContain('MICROSOFT_CLIENT_ID');
  expect(microsoft).toContain('MICROSOFT_CLIENT_SECRET');
  await accessible(page);
  // Set up here: the button to connect, and no such note.
  const body = await json(acme.admin.request('/api/calendars'));
  expect(body.notConfigured.map((m: { provider: string }) => m.provider).sort()).toEqual([
    'google',
    'microsoft',
  ]);
});
