// The Outlook task pane, in real Chromium with the office.js stand-in, for an invite to someone
// whose working hours never overlap the organizer's (Berlin and Sydney, as in the demo
// organization): the pane offers the least-burden times with each person's own clock, and
// writes the chosen one into the item.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser as Chromium } from 'playwright-core';
import { DEMO_PEOPLE } from '../../../infra/cli/demo-data.ts';
import { launchChromium } from '../../support/chromium.ts';
import {
  officeStandInScript,
  type StandInConfig,
  type StandInRecord,
} from '../../support/office-stand-in.ts';
import { startTestQuorum, type Browser, type TestQuorum } from '../../support/quorum-app.ts';
import { organization } from '../../integration/meetings/people.ts';

let app: TestQuorum;
let chromium: Chromium;
let ana: Browser;
const demo = (first: string) => DEMO_PEOPLE.find((p) => p.name.startsWith(first))!;
const LEE = { emailAddress: 'lee@acme.example', displayName: 'Lee Wong' };

beforeAll(async () => {
  app = await startTestQuorum();
  chromium = await launchChromium();
  const org = await organization(app, 'Acme', { name: 'Ana Lopez', email: 'ana@acme.example' }, [
    { name: 'Lee Wong', email: LEE.emailAddress },
  ]);
  ana = org.admin;
  const people: Array<[Browser, string]> = [
    [ana, 'Ana'],
    [org.members[LEE.emailAddress]!, 'Lee'],
  ];
  for (const [who, first] of people) {
    const res = await who.request('/api/me/settings', {
      method: 'PUT',
      json: demo(first).settings,
    });
    expect(res.status, await res.clone().text()).toBe(200);
  }
}, 60_000);

afterAll(async () => {
  await chromium?.close();
  await app?.stop();
});

it('offers least-burden times with each person’s clock, and writes the one chosen', async () => {
  const start = new Date(Date.now() + 86_400_000);
  const config: StandInConfig = {
    mode: 'appointment-compose',
    mailboxVersion: '1.13',
    timeZone: 'Europe/Berlin',
    user: { emailAddress: 'ana@acme.example', displayName: 'Ana Lopez' },
    item: {
      subject: 'Roadmap',
      required: [LEE],
      optional: [],
      start: start.toISOString(),
      end: new Date(start.getTime() + 30 * 60_000).toISOString(),
      location: '',
      body: '',
      bodyType: 'html',
    },
  };
  const context = await chromium.newContext();
  await context.addCookies([
    { name: 'quorum_session', value: ana.cookies.get('quorum_session')!, url: app.url },
  ]);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.route('**/outlook/office-js/office.js', (route) =>
    route.fulfill({ contentType: 'text/javascript', body: officeStandInScript(config) }),
  );
  expect((await page.goto(`${app.url}/outlook/taskpane`))?.status()).toBe(200);

  await page.getByText('Least-burden times').waitFor();
  await expect(page.getByText('No common time').count()).resolves.toBe(0);
  const lines = await page
    .getByRole('list', { name: "Each person's time" })
    .first()
    .locator('li')
    .allTextContents();
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(/^Ana Lopez: \w{3} \d\d:\d\d–\d\d:\d\d Berlin, /);
  expect(lines[1]).toMatch(/^Lee Wong: \w{3} \d\d:\d\d–\d\d:\d\d Sydney, /);
  expect(lines.join('\n')).toMatch(/\d+ min (before|after) hours/);

  const first = page.locator('[data-slot-start]').first();
  const chosen = (await first.getAttribute('data-slot-start'))!;
  await first.click();
  await page.waitForFunction(
    (s) =>
      (globalThis as unknown as { __office: { record: StandInRecord } }).__office.record.state
        .start === s,
    new Date(chosen).toISOString(),
  );
  await context.close();
});
