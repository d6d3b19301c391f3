// "Your next meeting" on Home, in real Chromium: the web app's renderer of the assistant's
// `next` verb. Before anything is booked it says so; after two bookings it shows the earlier
// one, at its time in the person's own zone, with the Zoom join link Quorum made for it.
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser as Chromium, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChromium } from '../../support/chromium.ts';
import { json } from '../../support/quorum-app.ts';
import { linkAnaInClient, zoomOrg, type ZoomOrg } from '../zoom/zoom-org.ts';

let org: ZoomOrg;
let chromium: Chromium;

beforeAll(async () => {
  // With Zoom on and Ana's Zoom account linked, a booking can carry a real (fake-Zoom) join link.
  org = await zoomOrg();
  await linkAnaInClient(org);
  chromium = await launchChromium();
}, 60_000);

afterAll(async () => {
  await chromium?.close();
  await org?.stop();
});

async function home(): Promise<Page> {
  const context = await chromium.newContext({ locale: 'en-GB', timezoneId: 'America/New_York' });
  await context.addCookies([
    { name: 'quorum_session', value: org.ana.cookies.get('quorum_session')!, url: org.app.url },
  ]);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${org.app.url}/app`);
  await page.getByRole('heading', { name: 'Hello, Ana Lopez' }).waitFor();
  return page;
}

function book(title: string, start: Date, linkType: 'zoom' | 'none') {
  return json(
    org.ana.request('/api/bookings', {
      method: 'POST',
      json: {
        title,
        start: start.toISOString(),
        end: new Date(start.getTime() + 30 * 60_000).toISOString(),
        attendees: [{ email: 'raj@acme.example' }],
        linkType,
      },
    }),
  );
}

test('Home shows the next meeting with its local time and join link, or that there is none', async () => {
  let page = await home();
  const section = () => page.getByRole('region', { name: 'Your next meeting' });
  await section().getByText('No upcoming meetings.').waitFor();

  const soon = new Date(Date.now() + 2 * 86_400_000);
  soon.setUTCHours(10, 0, 0, 0);
  const later = new Date(soon.getTime() + 86_400_000);
  await book('Later planning', later, 'none');
  const booked = await book('Roadmap sync', soon, 'zoom');
  expect(booked.booking.joinUrl).toMatch(/^https?:\/\//);

  await page.close();
  page = await home();
  const link = section().getByRole('link', { name: 'Join Roadmap sync' });
  await link.waitFor();
  await expect(link.getAttribute('href')).resolves.toBe(booked.booking.joinUrl);
  // Ana's settings say UTC; the browser is in New York: the time shown is Ana's 10:00.
  const day = new Intl.DateTimeFormat('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  }).format(soon);
  const text = await section().textContent();
  expect(text).toContain(`Roadmap sync — ${day}, 10:00–10:30`);
  expect(text).not.toContain('Later planning');
  expect(text).not.toContain('No upcoming meetings');

  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.filter((v) => ['serious', 'critical'].includes(v.impact ?? ''))).toEqual([]);
});
