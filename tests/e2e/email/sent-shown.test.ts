// The web app shows what was emailed about a booking: after booking with a guest on the local
// calendar, the Schedule page says "Invitation sent to gina@…" once the relay has it. After
// creating a poll, the Polls page says whom each voting link was emailed to.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChromium } from '../../support/chromium.ts';
import { Browser as Person, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';
import { openPageAs } from '../web/pages.ts';
import { startSmtpSink, type SmtpSink } from '../../support/smtp-sink.ts';

let sink: SmtpSink;
let quorum: TestQuorum;
let browser: Browser;

beforeAll(async () => {
  sink = await startSmtpSink();
  quorum = await startTestQuorum({ SMTP_URL: sink.url, QUORUM_MAIL_FROM: 'quorum@acme.example' });
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await quorum?.stop();
  await sink?.close();
});

test(
  'after booking, the Schedule page names whom the invitation was sent to',
  { timeout: 90_000 },
  async () => {
    const context = await browser.newContext({ timezoneId: 'UTC', locale: 'en-GB' });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${quorum.url}/app`);
    await page.getByLabel('Organization').fill('Acme');
    await page.getByLabel('Your name').fill('Ana Lopez');
    await page.getByLabel('Email').fill('ana@acme.example');
    await page.getByLabel('Password').fill('quartz-meadow-lantern-19');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Hello, Ana Lopez' }).waitFor();
    const everyDay = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
    const status = await page.evaluate(
      (days) =>
        fetch('/api/me/settings', {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            timeZone: 'UTC',
            workingHours: [{ days, start: '00:00', end: '24:00' }],
            defaultLinkType: 'none',
          }),
        }).then((r) => r.status),
      everyDay,
    );
    expect(status).toBe(200);
    await page.getByRole('link', { name: 'Schedule' }).click();
    await page.getByLabel('Title').fill('Kickoff');
    await page.getByLabel('Guests (emails, separated by commas)').fill('gina@guest.example');
    await page.getByRole('button', { name: 'Find times' }).click();
    await page.getByRole('region', { name: 'Suggested times' }).getByRole('button').first().click();
    await page.getByRole('button', { name: 'Book this time' }).click();
    await page.getByText('Invitation sent to gina@guest.example').waitFor();
    expect(sink.messages.map((m) => m.rcpt)).toEqual([['gina@guest.example']]);
    await context.close();
  },
);

test('after creating a poll, the Polls page says each person was emailed their link', async () => {
  // Ana, who signed up in the test above (one organization per Quorum).
  const ana = new Person(quorum.url);
  const signin = await ana.request('/auth/signin', {
    method: 'POST',
    json: { email: 'ana@acme.example', password: 'quartz-meadow-lantern-19' },
  });
  expect(signin.status).toBe(200);
  const page = await openPageAs(browser, quorum.url, ana, '/app/polls', {
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  await page.getByRole('heading', { name: 'Polls' }).waitFor();
  await page.getByLabel('Title').fill('Roadmap');
  await page.getByLabel('Who votes').fill('Hugo <hugo@guest.example>, ivy@guest.example');
  await page.getByLabel('Time 1').fill('2027-03-10T10:00');
  await page.getByLabel('Time 2').fill('2027-03-11T14:00');
  await page.getByRole('button', { name: 'Create poll' }).click();
  const links = page.getByRole('list', { name: 'Voting links' });
  await links.getByText('Emailed to hugo@guest.example').waitFor();
  await links.getByText('Emailed to ivy@guest.example').waitFor();
  // Nothing left to share by hand: no link to copy.
  await expect(links.getByRole('link').count()).resolves.toBe(0);
  const polls = await sink.waitFor(
    (ms) => ms.filter((m) => m.parsed.subject === 'Which times work for you? Roadmap').length === 2,
  );
  expect(
    polls
      .filter((m) => m.parsed.subject === 'Which times work for you? Roadmap')
      .flatMap((m) => m.rcpt)
      .sort(),
  ).toEqual(['hugo@guest.example', 'ivy@guest.example']);
  await page.context().close();
});
