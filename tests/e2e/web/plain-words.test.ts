// Plain words next to the field, one date format, people by name (issue 19, item 5), in real
// Chromium against the real server: refusals that read like code ("timeZone: is not a known IANA
// time zone", "slug: use 3–60…", "serverUrl must be…", a Content-Type lecture, "t: Too small…")
// are said plainly at the field they concern; dates show in the person's locale; the audit log
// names people; a certificate's fault is said once; a guest's booking title says "with" once.
import type { Browser as Chromium, Locator, Page } from 'playwright-core';
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

const accessible = pageChecker('plain-words');
let app: TestQuorum;
let acme: Org;
let chromium: Chromium;

beforeAll(async () => {
  app = await startTestQuorum();
  acme = await organization(app, 'Acme', { name: 'Ana Lopez', email: 'ana@acme.example' }, [
    { name: 'Raj Patel', email: 'raj@acme.example' },
  ]);
  chromium = await launchChromium();
}, 60_000);

afterAll(async () => {
  await chromium?.close();
  await app?.stop();
});

/** Ana's pages by default (`null`: signed out), in a US locale so dates show month first. */
function open(path: string, who: Browser | null = acme.admin): Promise<Page> {
  return openPageAs(chromium, app.url, who, path, {
    locale: 'en-US',
    timezoneId: 'America/New_York',
  });
}

/** The texts a control is described by (a field's hint and its message), joined. */
async function describedText(control: Locator): Promise<string> {
  const ids = ((await control.getAttribute('aria-describedby')) ?? '').split(' ').filter(Boolean);
  const page = control.page();
  const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).textContent()));
  return texts.join(' ');
}

test('a time zone nobody knows is said plainly at the Time zone field', async () => {
  const page = await open('/app/settings');
  const zone = page.getByLabel('Time zone');
  await zone.fill('Mars/Olympus');
  await page.getByRole('button', { name: 'Save my settings' }).click();
  const said = "Time zone: we don't know 'Mars/Olympus'; pick one like Europe/Berlin";
  await page.getByText(said).waitFor();
  expect(await describedText(zone)).toContain(said);
  expect(await page.textContent('body')).not.toContain('IANA time zone (e.g.');
  await accessible(page);
});

test('a link name of the wrong shape is said at the Link name field', async () => {
  const page = await open('/app/booking-pages');
  await page.getByLabel('Title').fill('Intro call');
  const slug = page.getByLabel('Link name');
  await slug.fill('Ana Intro!');
  await page.getByRole('button', { name: 'Publish' }).click();
  const said = 'Link name: 3–60 lowercase letters, digits or dashes';
  await page.getByText(said).waitFor();
  expect(await describedText(slug)).toContain(said);
  expect(await page.textContent('body')).not.toContain('slug:');
});

test('an http:// CalDAV address is said plainly at the Server URL field', async () => {
  const page = await open('/app/calendars');
  const url = page.getByLabel('Server URL');
  await url.fill('http://caldav.example.com/');
  await page.getByLabel('Username').fill('ana');
  await page.getByLabel('App password').fill('not-a-real-one');
  await page.getByRole('button', { name: 'Connect CalDAV' }).click();
  const said = 'Server URL: use the https:// address your provider gives for CalDAV';
  await page.getByText(said).waitFor();
  expect(await describedText(url)).toContain(said);
  expect(await page.textContent('body')).not.toContain('serverUrl');
});

test('a file that is no recording is refused at the file field, in plain words', async () => {
  const created = await json(
    acme.admin.request('/api/meetings', {
      method: 'POST',
      json: {
        title: 'Weekly sync',
        startsAt: new Date(Date.now() - 7_200_000).toISOString(),
        endsAt: new Date(Date.now() - 3_600_000).toISOString(),
        alreadyHappened: true,
      },
    }),
  );
  const page = await open(`/app/meetings/${created.id}`);
  const input = page.getByLabel('Recording (audio or video)');
  await input.setInputFiles({
    name: 'notes.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4 not a recording'),
  });
  await page.getByRole('button', { name: 'Upload' }).click();
  const said = 'Recording: that file is not a recording; choose an audio or video file';
  await page.getByText(said).waitFor();
  expect(await describedText(input)).toContain(said);
  expect(await page.textContent('body')).not.toContain('Content-Type');
  await accessible(page);
});

test('a poll link cut short says what happened and what to do', async () => {
  const page = await open('/polls/some-poll?t=short', null);
  await page.getByText('This poll link is incomplete or broken.').waitFor();
  const body = await page.textContent('body');
  expect(body).not.toContain('t: ');
  expect(body).not.toContain('Too small');
  await accessible(page);
});

test('dates are one format in the locale, the audit log names people, a certificate fault is said once', async () => {
  const id = await captionedMeeting(acme.admin, 'Budget review');
  expect((await waitForStatus(acme.admin, id, ['ready', 'failed'])).status).toBe('ready');
  const page = await open('/app/settings');
  const table = page.getByRole('table', { name: 'Latest entries' });
  await table.getByRole('row').nth(1).waitFor();
  const { entries } = await json(acme.admin.request('/api/audit?limit=50'));
  const anas = entries.filter((e: { actor: string }) => e.actor.startsWith('user:'));
  expect(anas.length).toBeGreaterThan(0);
  await table.getByText('Ana Lopez (ana@acme.example)').first().waitFor();
  expect(await table.textContent()).not.toContain('user:');
  // "Mon, Dec 7, 09:15 AM" as en-US says a day: not "12/7/2026, 9:15:00 AM".
  const when = await table.getByRole('row').nth(1).getByRole('cell').first().textContent();
  const day = new Intl.DateTimeFormat('en-US', {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    timeZone: 'America/New_York',
  }).format(new Date(entries[0].at));
  expect(when).toContain(day);
  expect(when).not.toMatch(/\d+\/\d+\/\d{4}/);

  // The meeting's due dates are in the same format, never "2027-03-27".
  const meeting = await open(`/app/meetings/${id}`);
  await meeting.getByRole('list', { name: 'Action items' }).waitFor();
  expect(await meeting.getByRole('main').textContent()).not.toMatch(/\d{4}-\d{2}-\d{2}/);

  // A certificate whose content was changed: the fault once, in plain words.
  const deleted = await json(acme.admin.request(`/api/meetings/${id}`, { method: 'DELETE' }));
  const signed = await json(acme.admin.request(`/api/certificates/${deleted.certificateId}`));
  signed.certificate.deletedAt = new Date(0).toISOString();
  const check = await open('/verify');
  await check.getByLabel('Certificate (JSON)').fill(JSON.stringify(signed));
  await check.getByRole('button', { name: 'Verify' }).click();
  const verdict = check.getByTestId('verdict');
  await verdict.waitFor();
  const said = (await verdict.textContent())!;
  expect(said).toMatch(/^Not valid/);
  expect(said).not.toContain('invalid');
  expect(said).not.toContain('(');
  expect(said).toBe('Not validIts content was changed after it was signed.');
});

test('a guest booking from a page titled "… with Ana" is "… with Ana and <guest>"', async () => {
  const published = await acme.admin.request('/api/booking-pages', {
    method: 'POST',
    json: { slug: 'ana-intro', title: 'Intro call with Ana', durationMinutes: 30, windowDays: 14 },
  });
  expect(published.status).toBe(201);
  const view = await json(fetch(`${app.url}/api/public/booking-pages/ana-intro`));
  const booked = await fetch(`${app.url}/api/public/booking-pages/ana-intro/bookings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'Gina Guest',
      email: 'gina@guest.example',
      start: view.slots[0].start,
    }),
  });
  expect(booked.status).toBe(201);
  const { bookings } = await json(acme.admin.request('/api/bookings'));
  expect(bookings.map((b: { title: string }) => b.title)).toContain(
    'Intro call with Ana and Gina Guest',
  );
});
