// Booking from the web app (issue 19, item 3), in real Chromium against the real server with a
// (fake) Zoom Ana has linked: the meeting link starts at her default and can be changed; a link
// her calendars cannot make says what to connect, at the field; the confirmation carries the
// join link and the form is empty again; an upcoming meeting opens a page with join,
// reschedule, follow-up and cancel; a repeating one lists its meetings, each moved or cancelled
// alone or with the later ones (issue 17, item 2). Axe finds no serious violation on the pages.
import type { Browser as Chromium, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChromium } from '../../support/chromium.ts';
import { json } from '../../support/quorum-app.ts';
import { linkAnaInClient, zoomOrg, type ZoomOrg } from '../zoom/zoom-org.ts';
import { openPageAs, pageChecker } from './pages.ts';

const accessible = pageChecker('booking');
/** How long a page may take to settle after an answer on a loaded machine (polled, not slept). */
const settled = { timeout: 20_000 };
let org: ZoomOrg;
let chromium: Chromium;

beforeAll(async () => {
  org = await zoomOrg();
  await linkAnaInClient(org);
  // Ana's default meeting link is Zoom: the Schedule page starts from it.
  const saved = await org.ana.request('/api/me/settings', {
    method: 'PUT',
    json: {
      timeZone: 'UTC',
      workingHours: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '00:00', end: '23:59' }],
      defaultLinkType: 'zoom',
    },
  });
  expect(saved.status).toBe(200);
  chromium = await launchChromium();
}, 60_000);

afterAll(async () => {
  await chromium?.close();
  await org?.stop();
});

/** Ana's pages, in UTC like her settings, so the times offered read the same on any machine. */
function open(path: string): Promise<Page> {
  return openPageAs(chromium, org.app.url, org.ana, path, { locale: 'en-GB', timezoneId: 'UTC' });
}

async function findWithRaj(page: Page, title: string) {
  await page.getByLabel('Title').fill(title);
  await page.getByRole('checkbox', { name: /Raj Patel/ }).check();
  await page.getByRole('button', { name: 'Find times' }).click();
  await page.getByRole('region', { name: 'Suggested times' }).getByRole('button').first().click();
}

test('the meeting link starts at the default, says what to connect, and the join link is in the confirmation', async () => {
  const page = await open('/app/schedule');
  await findWithRaj(page, 'Design review');
  const link = page.getByLabel('Meeting link');
  await expect(link.inputValue()).resolves.toBe('zoom');

  // A Teams link needs a Microsoft 365 calendar Ana has not connected: said before and after.
  await link.selectOption('teams');
  await page.getByText('A Teams link needs a connected Microsoft 365 calendar').first().waitFor();
  await page.getByRole('button', { name: 'Book this time' }).click();
  // The server's refusal is the field's own message (described by it), not a note at the top.
  const refusal = 'A Teams link needs a connected Microsoft 365 calendar. Connect it';
  await page.getByText(refusal).waitFor();
  const describedBy = (await link.getAttribute('aria-describedby'))!.split(' ');
  const descriptions = await Promise.all(
    describedBy.map((id) => page.locator(`[id="${id}"]`).textContent()),
  );
  expect(descriptions.join(' ')).toContain(refusal);
  await accessible(page);

  await link.selectOption('zoom');
  await page.getByRole('button', { name: 'Book this time' }).click();
  const booked = page.getByText('The invitation is on your calendar.');
  await booked.waitFor();
  const { bookings } = await json(org.ana.request('/api/bookings'));
  const made = bookings.find((b: { title: string }) => b.title === 'Design review');
  expect(made.joinUrl).toMatch(/^https?:\/\//);
  const join = page.getByRole('link', { name: made.joinUrl });
  await expect(join.getAttribute('href')).resolves.toBe(made.joinUrl);
  // The form is empty again: no title, nobody chosen, the default link, no old suggestions.
  // It empties once the week has been asked again (to show the new meeting), which can come
  // after the confirmation on a busy machine: wait for it rather than read it once.
  await expect.poll(() => page.getByLabel('Title').inputValue(), settled).toBe('');
  await expect
    .poll(() => page.getByRole('checkbox', { name: /Raj Patel/ }).isChecked(), settled)
    .toBe(false);
  await expect
    .poll(() => page.getByRole('button', { name: 'Book this time' }).count(), settled)
    .toBe(0);
  await accessible(page);
});

test('a window that began earlier today draws the hours already begun as past, never free', async () => {
  const page = await open('/app/schedule');
  // Today in UTC, the page's zone: the window starts at midnight, hours before now.
  const hourBefore = new Date().getUTCHours();
  await page.getByLabel('From').fill(new Date().toISOString().slice(0, 10));
  await page.getByRole('checkbox', { name: /Raj Patel/ }).check();
  await page.getByRole('button', { name: 'Find times' }).click();
  const grid = page.getByTestId('week-grid');
  await grid.waitFor();
  const hourAfter = new Date().getUTCHours();
  const hourOf = (title: string) => Number(/ (\d\d):00: /.exec(title)![1]);
  for (const row of ['__all', 'ana@acme.example', 'raj@acme.example']) {
    const cells = await grid
      .locator(`[data-person="${row}"] [data-state]`)
      .evaluateAll((els) => els.map((e) => ({ state: e.dataset.state, title: e.title })));
    // The first day's cells up to the hour under way when the search was made: all begun.
    const begun = [];
    for (const [i, c] of cells.entries()) {
      if (hourOf(c.title) > hourBefore || (i > 0 && hourOf(c.title) < hourOf(cells[i - 1]!.title)))
        break;
      begun.push(c);
    }
    expect(begun.length, row).toBeGreaterThan(0);
    // Each one past (so none free), named so in its title; at most one more if the hour ticked.
    expect(
      begun.map((c) => c.state),
      row,
    ).toEqual(begun.map(() => 'past'));
    expect(begun.at(-1)!.title, row).toMatch(/: past \(not offered\)$/);
    const past = cells.filter((c) => c.state === 'past').length;
    expect(past - begun.length, row).toBeLessThanOrEqual(hourAfter === hourBefore ? 0 : 1);
  }
  // The legend says what the greyed hours are.
  await grid.getByRole('list', { name: 'Legend' }).getByText('past (not offered)').waitFor();
  await accessible(page);
});

test('an upcoming meeting opens a page to join, reschedule, follow up and cancel it', async () => {
  const start = new Date(Date.now() + 3 * 86_400_000);
  start.setUTCHours(9, 0, 0, 0);
  const created = await json(
    org.ana.request('/api/bookings', {
      method: 'POST',
      json: {
        title: 'Budget check',
        start: start.toISOString(),
        end: new Date(start.getTime() + 30 * 60_000).toISOString(),
        attendees: [{ email: 'raj@acme.example' }],
        linkType: 'zoom',
      },
    }),
  );
  const id = created.booking._id as string;
  const page = await open('/app');
  await page
    .getByRole('region', { name: 'Upcoming meetings' })
    .getByRole('link', { name: 'Budget check' })
    .click();
  await page.getByRole('heading', { name: 'Budget check' }).waitFor();
  const join = page.getByRole('link', { name: 'Join Budget check' });
  await expect(join.getAttribute('href')).resolves.toBe(created.booking.joinUrl);
  await accessible(page);

  // Reschedule: an hour later, same length.
  await page
    .getByLabel('New start')
    .fill(new Date(start.getTime() + 3_600_000).toISOString().slice(0, 16));
  await page.getByRole('button', { name: 'Move the meeting' }).click();
  await page.getByText('Moved; everyone invited gets the new time.').waitFor();
  const moved = (await json(org.ana.request(`/api/bookings/${id}`))).booking;
  expect(new Date(moved.start).getTime()).toBe(start.getTime() + 3_600_000);
  expect(new Date(moved.end).getTime()).toBe(start.getTime() + 90 * 60_000);

  // Follow-up: the next times for the same people, booked and tied to this meeting.
  await page.getByRole('button', { name: 'Find times for a follow-up' }).click();
  await page
    .getByRole('button', { name: /^Book follow-up / })
    .first()
    .click();
  await page.getByRole('link', { name: 'Open the follow-up' }).waitFor();
  const { bookings } = await json(org.ana.request('/api/bookings'));
  const followUp = bookings.find((b: { title: string }) => b.title === 'Follow-up: Budget check');
  expect(followUp.followUpOf).toBe(id);
  expect(followUp.attendees.map((a: { email: string }) => a.email)).toContain('raj@acme.example');

  // Cancel, after a confirmation.
  await page.getByRole('button', { name: 'Cancel the meeting' }).click();
  await page.getByRole('button', { name: 'Yes, cancel it' }).click();
  await page.getByText('This meeting is cancelled').waitFor();
  expect((await json(org.ana.request(`/api/bookings/${id}`))).booking.status).toBe('cancelled');
  await accessible(page);
});

test('a repeating meeting lists its meetings: one moved, one cancelled, the rest ended', async () => {
  const first = new Date(Date.now() + 4 * 86_400_000);
  first.setUTCHours(13, 0, 0, 0);
  const week = 7 * 86_400_000;
  const created = await json(
    org.ana.request('/api/bookings', {
      method: 'POST',
      json: {
        title: 'Weekly sync',
        start: first.toISOString(),
        end: new Date(first.getTime() + 30 * 60_000).toISOString(),
        attendees: [{ email: 'raj@acme.example' }],
        linkType: 'none',
        recurrence: { frequency: 'weekly', interval: 1, count: 4 },
      },
    }),
  );
  const id = created.booking._id as string;
  const page = await open(`/app/bookings/${id}`);
  const list = page.getByRole('list', { name: 'Meetings in this series' });
  await list.waitFor();
  await expect(list.getByRole('listitem').count()).resolves.toBe(4);
  // A whole series is not moved in one go (each calendar would rewrite it differently).
  await expect(page.getByRole('button', { name: 'Move the meeting' }).count()).resolves.toBe(0);
  await accessible(page);
  const row = (n: number) => list.getByRole('listitem').nth(n);

  // The second meeting, an hour later.
  const second = first.getTime() + week;
  await row(1).getByRole('button', { name: 'Move…' }).click();
  await row(1)
    .getByLabel('New start')
    .fill(new Date(second + 3_600_000).toISOString().slice(0, 16));
  await row(1).getByRole('button', { name: 'Move this one' }).click();
  await page.getByText(/^Moved the meeting of /).waitFor();
  await row(1)
    .getByText(/moved from/)
    .waitFor();

  // The third alone, then the fourth and any later (the series ends after the second).
  await row(2).getByRole('button', { name: 'Cancel this one' }).click();
  await row(2).getByText('cancelled').waitFor();
  await row(3).getByRole('button', { name: 'Cancel this and later ones' }).click();
  await row(3).getByRole('button', { name: 'Yes, cancel them' }).click();
  await page.getByText(/and every later meeting\.$/).waitFor();
  await accessible(page);

  const after = await json(org.ana.request(`/api/bookings/${id}`));
  const meetings = after.occurrences as Array<{ original: string; start: string; status: string }>;
  // The fourth is gone with the series' end; the third stays listed as cancelled.
  expect(meetings.map((m) => m.status)).toEqual(['scheduled', 'moved', 'cancelled']);
  expect(new Date(meetings[1]!.original).getTime()).toBe(second);
  expect(new Date(meetings[1]!.start).getTime()).toBe(second + 3_600_000);
  expect(after.booking.status).toBe('confirmed');
  // Cancelling here cancels what is left of the series, said as such.
  await expect(page.getByRole('button', { name: 'Cancel the whole series' }).count()).resolves.toBe(
    1,
  );
});
