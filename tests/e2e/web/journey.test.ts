// The whole journey a new user takes, in real Chromium against the real server: create the
// first account, connect a CalDAV calendar on a real Radicale server, set working hours, add two
// colleagues, schedule a meeting with them and book it (it appears on Radicale), publish a
// booking page that a guest books from another time zone, upload an espeak-ng recording and
// watch it become a transcript and a summary, delete the meeting, and verify its certificate on
// the check page. Each step is screenshotted under test-results/journey/ and checked with axe
// (no serious or critical accessibility violations).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChromium } from '../../support/chromium.ts';
import { startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';
import { startRadicale, type RadicaleServer } from '../../support/radicale.ts';

const SHOTS = path.resolve(import.meta.dirname, '../../../test-results/journey');
const SCRIPT = [
  'Good morning everyone.',
  "Let's review the budget for next quarter.",
  'Michael will call the customer on Friday.',
  'We decided to hire two new engineers.',
  'Thank you, see you next week.',
];

let quorum: TestQuorum;
let radicale: RadicaleServer;
let calendarUrl: string;
let browser: Browser;
let context: BrowserContext;
let dir: string;
let wav: string;
let shot = 0;
const problems: string[] = [];

/** A screenshot of the step, and the page checked for serious accessibility problems. */
async function step(page: Page, name: string) {
  shot += 1;
  await page.screenshot({
    path: path.join(SHOTS, `${String(shot).padStart(2, '0')}-${name}.png`),
    fullPage: true,
  });
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${name}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
  expect(serious, serious.join('\n')).toEqual([]);
}

/** On a phone-sized screen the page fits its width (wide pictures scroll inside themselves). */
async function fitsPhone(page: Page, name: string) {
  await page.setViewportSize({ width: 390, height: 844 });
  shot += 1;
  await page.screenshot({
    path: path.join(SHOTS, `${String(shot).padStart(2, '0')}-${name}-phone.png`),
    fullPage: true,
  });
  const overflow = (await page.evaluate('document.documentElement.scrollWidth')) as number;
  expect(overflow, `${name} is wider than a phone`).toBeLessThanOrEqual(390);
  await page.setViewportSize({ width: 1280, height: 900 });
}

function watch(page: Page) {
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
}

beforeAll(async () => {
  // Only this run's screenshots: stale ones from an earlier run would mislead.
  rmSync(SHOTS, { recursive: true, force: true });
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(path.join(os.tmpdir(), 'quorum-journey-'));
  wav = path.join(dir, 'weekly-sync.wav');
  const pause = '<break time="900ms"/>';
  execFileSync('espeak-ng', [
    '-m',
    '-v',
    'en-us+f5',
    '-s',
    '130',
    '-w',
    wav,
    `<speak>${pause}${SCRIPT.join(pause)}${pause}</speak>`,
  ]);
  radicale = await startRadicale();
  calendarUrl = await radicale.makeCalendar('work');
  // Something already on Ana's calendar tomorrow, so the week grid shows busy time.
  // (Its date is tomorrow in Berlin, the first day the Schedule page shows by default.)
  const tomorrow = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' })
    .format(new Date(Date.now() + 86_400_000))
    .replaceAll('-', '');
  await radicale.put(
    `${calendarUrl}dentist.ics`,
    [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Quorum tests//EN',
      'BEGIN:VEVENT',
      'UID:dentist@journey',
      'DTSTAMP:20260101T000000Z',
      `DTSTART:${tomorrow}T120000Z`,
      `DTEND:${tomorrow}T140000Z`,
      'SUMMARY:Dentist',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n'),
  );
  quorum = await startTestQuorum();
  browser = await launchChromium();
  context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    timezoneId: 'Europe/Berlin',
    locale: 'en-GB',
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await quorum?.stop();
  await radicale?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('a new user goes from a fresh install to a verified deletion certificate', async () => {
  const page = await context.newPage();
  watch(page);
  page.setDefaultTimeout(15_000);

  // 1. A fresh install offers to create the first (admin) account.
  await page.goto(`${quorum.url}/app`);
  await page.getByRole('heading', { name: 'Create your organization' }).waitFor();
  await step(page, 'first-account');
  await page.getByLabel('Organization').fill('Acme');
  await page.getByLabel('Your name').fill('Ana Lopez');
  await page.getByLabel('Email').fill('ana@acme.example');
  await page.getByLabel('Password').fill('quartz-meadow-lantern-19');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: 'Hello, Ana Lopez' }).waitFor();
  await step(page, 'home');

  // 2. Connect the CalDAV calendar on Radicale.
  await page.getByRole('link', { name: 'Calendars' }).click();
  await page.getByLabel('Server URL').fill(radicale.url);
  await page.getByLabel('Username').fill(radicale.username);
  await page.getByLabel('App password').fill(radicale.password);
  await page.getByRole('button', { name: 'Connect CalDAV' }).click();
  await page.getByText('CalDAV calendar connected.').waitFor();
  await page
    .getByRole('list', { name: 'Calendar connections' })
    .getByRole('listitem')
    .filter({ hasText: radicale.url })
    .filter({ hasText: 'connected' })
    .waitFor();
  await step(page, 'calendars');

  // 3. Working hours, and two colleagues (the administrator adds them).
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByLabel('Time zone').fill('Europe/Berlin');
  for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday']) {
    await page.getByLabel(`${day} start`).fill('08:00');
    await page.getByLabel(`${day} end`).fill('18:00');
  }
  await page.getByRole('button', { name: 'Save my settings' }).click();
  await page.getByText('Your settings are saved.').waitFor();
  await fitsPhone(page, 'settings');
  for (const [name, email] of [
    ['Raj Patel', 'raj@acme.example'],
    ['Mei Chen', 'mei@acme.example'],
  ]) {
    await page.getByLabel("Colleague's name").fill(name!);
    await page.getByLabel("Colleague's email").fill(email!);
    await page.getByLabel('First password').fill('copper-meadow-signal-58');
    await page.getByRole('button', { name: 'Add colleague' }).click();
    await page.getByText(`${name} can now sign in`).waitFor();
  }
  // The organization's meeting settings: what this deployment can use, and a shorter retention.
  await page.getByText('Summarizer: Extractive (local, deterministic)').waitFor();
  await page.getByLabel('Keep transcripts and summaries (days)').fill('14');
  await page.getByRole('button', { name: 'Save meeting settings' }).click();
  await page.getByText('Meeting settings saved.').waitFor();
  // An API key for a meeting bot: shown once, listed, then revoked.
  await page.getByLabel('Key name').fill('Meeting bot');
  await page.getByRole('checkbox', { name: 'meetings:write' }).check();
  await page.getByRole('button', { name: 'Create API key' }).click();
  await expect(page.getByText('It is shown only once:').textContent()).resolves.toMatch(/qrm_/);
  await page.getByRole('button', { name: 'Revoke Meeting bot' }).click();
  await expect.poll(() => page.getByRole('button', { name: 'Revoke Meeting bot' }).count()).toBe(0);
  await page.reload();
  await page.getByText('api-key.revoked').waitFor();
  await page.getByText('Chain verified').waitFor();
  await step(page, 'settings');
  const saved = (await page.evaluate(() => fetch('/api/me/settings').then((r) => r.json()))) as {
    workingHours: unknown;
  };
  expect(saved.workingHours).toEqual([
    { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00' },
  ]);

  // 4. Schedule with both colleagues: the week grid, the ranked slots, then book.
  await page.getByRole('link', { name: 'Schedule' }).click();
  await page.getByLabel('Title').fill('Project kickoff');
  await page.getByRole('checkbox', { name: /Raj Patel/ }).check();
  await page.getByRole('checkbox', { name: /Mei Chen/ }).check();
  await page.getByRole('button', { name: 'Find times' }).click();
  const grid = page.getByTestId('week-grid');
  await grid.waitFor();
  // Three people plus "Everyone", and free time where all three overlap.
  await expect(grid.locator('[data-person]').count()).resolves.toBe(4);
  await expect(
    grid.locator('[data-person="__all"] [data-state="free"]').count(),
  ).resolves.toBeGreaterThan(0);
  // Ana's dentist appointment (12:00–14:00 UTC tomorrow) is two busy hours in her row.
  await expect(
    grid.locator('[data-person="ana@acme.example"] [data-state="busy"]').count(),
  ).resolves.toBe(2);
  const firstSlot = page
    .getByRole('region', { name: 'Suggested times' })
    .getByRole('button')
    .first();
  await firstSlot.click();
  await step(page, 'schedule-week-grid');
  await page.getByRole('button', { name: 'Book this time' }).click();
  await page.getByText('The invitation is on your calendar.').waitFor();
  // The grid is asked again: the new meeting is busy time in Ana's row, next to the dentist.
  await expect
    .poll(() => grid.locator('[data-person="ana@acme.example"] [data-state="busy"]').count())
    .toBeGreaterThanOrEqual(3);
  await fitsPhone(page, 'schedule');
  const onRadicale = async () =>
    Promise.all(
      (await radicale.list(calendarUrl))
        .filter((url) => !url.endsWith('/dentist.ics'))
        .map(async (url) => (await radicale.get(url)).body),
    );
  const afterKickoff = await onRadicale();
  expect(afterKickoff).toHaveLength(1);
  expect(afterKickoff[0]).toContain('Project kickoff');
  expect(afterKickoff[0]).toContain('raj@acme.example');
  expect(afterKickoff[0]).toContain('mei@acme.example');

  // 5. A booking page, booked by a guest in New York.
  await page.getByRole('link', { name: 'Booking pages' }).click();
  await page.getByLabel('Title').fill('Intro call');
  await page.getByLabel('Link name').fill('ana-intro');
  await page.getByRole('button', { name: 'Publish' }).click();
  await page.getByText(`${quorum.url}/book/ana-intro`).first().waitFor();
  await step(page, 'booking-pages');

  const guestContext = await browser.newContext({
    viewport: { width: 390, height: 844 }, // a phone
    timezoneId: 'America/New_York',
    locale: 'en-US',
  });
  const guest = await guestContext.newPage();
  watch(guest);
  guest.setDefaultTimeout(15_000);
  await guest.goto(`${quorum.url}/book/ana-intro`);
  await guest.getByRole('heading', { name: 'Intro call' }).waitFor();
  await guest.getByText('Times in your time zone, America/New_York.').waitFor();
  await step(guest, 'guest-booking-page');
  await guest.getByRole('region', { name: 'Free times' }).getByRole('button').first().click();
  await guest.getByLabel('Your name').fill('Gus Guest');
  await guest.getByLabel('Your email').fill('gus@guest.example');
  await guest.getByLabel('Notes (optional)').fill('Looking forward to it.');
  await guest.getByRole('button', { name: 'Book' }).click();
  await guest.getByRole('heading', { name: 'You are booked' }).waitFor();
  await step(guest, 'guest-confirmation');
  const icsUrl = await guest
    .getByRole('link', { name: 'Add to my calendar (.ics)' })
    .getAttribute('href');
  const ics = await (await fetch(icsUrl!)).text();
  expect(ics).toContain('BEGIN:VCALENDAR');
  expect(ics).toContain('mailto:gus@guest.example');
  const afterGuest = await onRadicale();
  expect(afterGuest).toHaveLength(2);
  expect(afterGuest.some((e) => e.includes('Intro call with Gus Guest'))).toBe(true);
  await guestContext.close();

  // 6. A recorded meeting: upload with progress, then transcript and summary.
  await page.getByRole('link', { name: 'Home' }).click();
  await page.getByLabel('Meeting title').fill('Weekly sync');
  await page.getByLabel('Participants').fill('Michael Brown <michael@acme.example>');
  await page.getByRole('button', { name: 'Create meeting' }).click();
  await page.getByRole('heading', { name: 'Weekly sync' }).waitFor();
  await page.getByLabel('Recording (audio or video)').setInputFiles({
    name: 'weekly-sync.wav',
    mimeType: 'audio/wav',
    buffer: readFileSync(wav),
  });
  await page.getByRole('button', { name: 'Upload' }).click();
  await page
    .getByTestId('meeting-status')
    .filter({ hasText: 'Ready' })
    .waitFor({ timeout: 90_000 });
  await page.getByTestId('transcript').waitFor();
  const transcript = (await page.getByTestId('transcript').textContent())!.toLowerCase();
  expect(
    ['budget', 'customer', 'friday', 'hire'].filter((w) => transcript.includes(w)).length,
  ).toBeGreaterThanOrEqual(2);
  await page.getByRole('heading', { name: 'Summary' }).waitFor();
  await expect(page.getByRole('list', { name: 'Action items' }).textContent()).resolves.toMatch(
    /call the customer.*Michael Brown/i,
  );
  await step(page, 'meeting-ready');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download Markdown' }).click();
  const markdown = readFileSync((await (await download).path())!, 'utf8');
  expect(markdown).toContain('# Weekly sync');
  expect(markdown).toContain('## Transcript');

  // Home now shows the booked meetings, the summarized meeting, and its open action item.
  await page.getByRole('link', { name: 'Home' }).click();
  const upcoming = page.getByRole('region', { name: 'Upcoming meetings' });
  await upcoming.getByText('Project kickoff').waitFor();
  await upcoming.getByText('Intro call with Gus Guest').waitFor();
  const open = page.getByRole('region', { name: 'Open action items' });
  await open.getByText(/call the customer/i).waitFor();
  await step(page, 'home-after-meeting');
  await open.getByRole('link', { name: 'Weekly sync' }).click();
  await page.getByTestId('meeting-status').filter({ hasText: 'Ready' }).waitFor();

  // 7. Delete it; the certificate checks out on the check page, and a changed copy does not.
  await page.getByRole('button', { name: 'Delete meeting' }).click();
  await page.getByRole('button', { name: 'Yes, delete it' }).click();
  const certificateId = await page.getByTestId('certificate-id').textContent();
  expect(certificateId).toMatch(/^[0-9a-f-]{36}$/);
  await step(page, 'meeting-deleted');
  await page.getByRole('link', { name: 'Check this certificate' }).click();
  const box = page.getByLabel('Certificate (JSON)');
  await expect.poll(() => box.inputValue(), { timeout: 10_000 }).toContain(certificateId!);
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByTestId('verdict').getAttribute('data-verdict')).resolves.toBe('valid');
  await step(page, 'certificate-valid');
  const text = await box.inputValue();
  await box.fill(text.replace(/"deletedAt":"[^"]+"/, '"deletedAt":"2020-01-01T00:00:00.000Z"'));
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByText('Its content was changed after it was signed.').waitFor();
  await step(page, 'certificate-altered');

  expect(problems).toEqual([]);
}, 240_000);
