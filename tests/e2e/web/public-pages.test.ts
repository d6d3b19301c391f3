// The pages people open without an account, on a phone-sized screen in real Chromium: a poll
// link (vote, and the meeting is booked), a booking page link that no longer exists, and the
// certificate check. Each is checked with axe for serious accessibility problems.
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChromium } from '../../support/chromium.ts';
import {
  Browser as Client,
  json,
  startTestQuorum,
  type TestQuorum,
} from '../../support/quorum-app.ts';

let quorum: TestQuorum;
let browser: Browser;
let phone: BrowserContext;
let ana: Client;

async function accessible(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious, serious.join('\n')).toEqual([]);
}

beforeAll(async () => {
  quorum = await startTestQuorum();
  ana = new Client(quorum.url);
  const signup = await ana.request('/auth/signup', {
    method: 'POST',
    json: {
      organization: 'Acme',
      name: 'Ana Lopez',
      email: 'ana@acme.example',
      password: 'quartz-meadow-lantern-19',
    },
  });
  expect(signup.status).toBe(201);
  browser = await launchChromium();
  phone = await browser.newContext({
    viewport: { width: 390, height: 844 },
    timezoneId: 'Asia/Tokyo',
    locale: 'en-US',
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await quorum?.stop();
});

test('a guest votes on a poll from its link, and the meeting is booked', async () => {
  const day = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
  const created = await ana.request('/api/polls', {
    method: 'POST',
    json: {
      title: 'Pilot review',
      options: [
        { start: `${day}T09:00:00Z`, end: `${day}T09:30:00Z` },
        { start: `${day}T13:00:00Z`, end: `${day}T13:30:00Z` },
      ],
      participants: [{ email: 'gus@guest.example', name: 'Gus' }],
    },
  });
  expect(created.status).toBe(201);
  const { poll, links } = await json(created);
  const page = await phone.newPage();
  await page.goto(links[0].url);
  await page.getByRole('heading', { name: 'Pilot review' }).waitFor();
  await page
    .getByText('Voting as gus@guest.example. Times in your time zone, Asia/Tokyo.')
    .waitFor();
  // 09:00 UTC is 18:00 in Tokyo.
  // The two times, and "None of these times work for me" as a choice of its own.
  const options = page.getByRole('checkbox');
  await expect(options.count()).resolves.toBe(3);
  await expect(page.getByText(/18:00|6:00\s?PM/).count()).resolves.toBeGreaterThan(0);
  await accessible(page);
  // Nothing ticked is no answer: the page says, with the choices, how to say "none works".
  await page.getByRole('button', { name: 'Send my answer' }).click();
  await page.getByText(/^No time is ticked\. Tick the times that work for you/).waitFor();
  await options.nth(1).check();
  await page.getByRole('button', { name: 'Send my answer' }).click();
  await page.getByText('Everyone has answered and the meeting is booked.').waitFor();
  const result = await json(ana.request(`/api/polls/${poll._id}`));
  expect(result.poll.status).toBe('booked');
  const booking = await json(ana.request(`/api/bookings/${result.poll.bookingId}`));
  expect(booking.booking.start).toBe(`${day}T13:00:00.000Z`);

  // A tampered link is refused with a sentence, not a stack trace.
  await page.goto(links[0].url.replace(/t=.{10}/, 't=AAAAAAAAAA'));
  await page.getByText('This poll link is not valid or has expired.').waitFor();
});

test('a guest books from a booking page with the keyboard alone', async () => {
  // Ana works around the clock so the real "now" always has times ahead.
  expect(
    (
      await ana.request('/api/me/settings', {
        method: 'PUT',
        json: {
          timeZone: 'UTC',
          workingHours: [
            {
              days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
              start: '00:00',
              end: '24:00',
            },
          ],
          defaultLinkType: 'none',
        },
      })
    ).status,
  ).toBe(200);
  const published = await ana.request('/api/booking-pages', {
    method: 'POST',
    json: { slug: 'ana-keys', title: 'Quick chat', durationMinutes: 15 },
  });
  expect(published.status).toBe(201);
  const page = await phone.newPage();
  await page.goto(`${quorum.url}/book/ana-keys`);
  await page.getByRole('heading', { name: 'Quick chat' }).waitFor();
  // Tab to the first time, Enter to choose it (the keyboard lands in the form), Enter books.
  const first = page.getByRole('region', { name: 'Free times' }).getByRole('button').first();
  for (
    let i = 0;
    i < 20 && !(await first.evaluate((b) => b === b.ownerDocument.activeElement));
    i++
  ) {
    await page.keyboard.press('Tab');
  }
  await expect(first.evaluate((b) => b === b.ownerDocument.activeElement)).resolves.toBe(true);
  await page.keyboard.press('Enter');
  await page.getByLabel('Your name').waitFor();
  await expect(
    page.getByLabel('Your name').evaluate((el) => el === el.ownerDocument.activeElement),
  ).resolves.toBe(true);
  await page.keyboard.type('Kim Keys');
  await page.keyboard.press('Tab');
  await page.keyboard.type('kim@guest.example');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'You are booked' }).waitFor();
  await accessible(page);
});

test('a booking page link that does not exist says so', async () => {
  const page = await phone.newPage();
  await page.goto(`${quorum.url}/book/nobody-here`);
  await page.getByText('This booking page does not exist or is no longer published.').waitFor();
  await accessible(page);
});

test('the certificate check works without an account', async () => {
  const page = await phone.newPage();
  await page.goto(`${quorum.url}/verify`);
  await page.getByRole('heading', { name: 'Check a deletion certificate' }).waitFor();
  await accessible(page);
  await page.getByLabel('Certificate (JSON)').fill('{"certificate": {}}');
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByText('This is not a Quorum deletion certificate.').waitFor();
  await expect(page.getByTestId('verdict').getAttribute('data-verdict')).resolves.toBe('invalid');
});
