// The Outlook task pane with a Zoom link: the pane has Quorum make the Zoom meeting with the
// organizer's own Zoom grant, then writes its join link as the location and into the agenda.
// Without a linked Zoom account nothing is written and the pane says how to link it.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser as Chromium, Page } from 'playwright-core';
import { launchChromium } from '../../support/chromium.ts';
import {
  officeStandInScript,
  type StandInConfig,
  type StandInRecord,
} from '../../support/office-stand-in.ts';
import { linkAnaInClient, zoomOrg, type ZoomOrg } from '../zoom/zoom-org.ts';

let org: ZoomOrg;
let chromium: Chromium;
const ORIGINAL = 'Please bring the roadmap.';

beforeAll(async () => {
  org = await zoomOrg();
  chromium = await launchChromium();
});
afterAll(async () => {
  await chromium?.close();
  await org?.stop();
});

function invite(): StandInConfig {
  const start = new Date(Date.now() + 86_400_000);
  start.setUTCHours(10, 0, 0, 0);
  return {
    mode: 'appointment-compose',
    mailboxVersion: '1.13',
    timeZone: 'UTC',
    user: { emailAddress: 'ana@acme.example', displayName: 'Ana Lopez' },
    item: {
      subject: 'Roadmap sync',
      required: [{ emailAddress: 'raj@acme.example', displayName: 'Raj Patel' }],
      optional: [],
      start: start.toISOString(),
      end: new Date(start.getTime() + 30 * 60_000).toISOString(),
      location: '',
      body: ORIGINAL,
      bodyType: 'text',
    },
  };
}

async function openPane(): Promise<Page> {
  const context = await chromium.newContext();
  await context.addCookies([
    { name: 'quorum_session', value: org.ana.cookies.get('quorum_session')!, url: org.app.url },
  ]);
  const page = await context.newPage();
  await page.route('**/outlook/office-js/office.js', (route) =>
    route.fulfill({ contentType: 'text/javascript', body: officeStandInScript(invite()) }),
  );
  expect((await page.goto(`${org.app.url}/outlook/taskpane`))?.status()).toBe(200);
  return page;
}

async function record(page: Page): Promise<StandInRecord> {
  return page.evaluate(
    () => (globalThis as unknown as { __office: { record: StandInRecord } }).__office.record,
  );
}

it('writes nothing and says how to link Zoom when the organizer has not linked it', async () => {
  const page = await openPane();
  const slot = page.locator('[data-slot-start]').first();
  await slot.waitFor();
  await page.getByLabel('Meeting link').selectOption('zoom');
  await slot.click();
  await page.getByText('Link your Zoom account first').waitFor();
  expect((await record(page)).writes).toEqual([]);
  expect(org.zoom.meetings).toEqual([]);
});

it('makes the Zoom meeting and writes its join link as the location and into the agenda', async () => {
  await linkAnaInClient(org);
  const page = await openPane();
  const slot = page.locator('[data-slot-start]').first();
  await slot.waitFor();
  await page.getByLabel('Meeting link').selectOption('zoom');
  const start = (await slot.getAttribute('data-slot-start'))!;
  await slot.click();
  await page.getByText('is now in the invite, with an agenda above your text.').waitFor();
  expect(org.zoom.meetings).toHaveLength(1);
  const { joinUrl, body } = org.zoom.meetings[0]!;
  expect(body).toMatchObject({ topic: 'Roadmap sync', duration: 30 });
  const written = await record(page);
  expect(written.writes.slice(0, 3)).toEqual([
    { op: 'start', value: new Date(start).toISOString() },
    { op: 'end', value: new Date(new Date(start).getTime() + 30 * 60_000).toISOString() },
    { op: 'location', value: joinUrl },
  ]);
  expect(written.state.body).toContain(`Join the Zoom meeting: ${joinUrl}`);
  expect(written.state.body).toContain('Roadmap sync');
  expect(written.state.body.endsWith(ORIGINAL)).toBe(true);
});
