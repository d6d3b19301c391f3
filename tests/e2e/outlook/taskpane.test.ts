// The Outlook task pane in real Chromium, served by the real server, with a stand-in `Office`
// object in place of office.js (tests/support/office-stand-in.ts): the pane reads the invite,
// asks Quorum for times, and the test checks exactly what it wrote into the item. Also: the
// previous meeting in read mode, "Propose times" in an email, and how the pane degrades.
import { AxeBuilder } from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser as Chromium, Page } from 'playwright-core';
import { launchChromium } from '../../support/chromium.ts';
import {
  officeStandInScript,
  type StandInConfig,
  type StandInPerson,
  type StandInRecord,
} from '../../support/office-stand-in.ts';
import { ATTENDEES_CHANGED_HANDLER } from '../../../manifests/outlook/manifest.ts';
import { json, startTestQuorum, type Browser, type TestQuorum } from '../../support/quorum-app.ts';
import {
  PASSWORD,
  TEAMS_VTT,
  organization,
  waitForStatus,
} from '../../integration/meetings/people.ts';

let app: TestQuorum;
let chromium: Chromium;
let ana: Browser;
let lee: Browser;

const ANA: StandInPerson = { emailAddress: 'ana@acme.example', displayName: 'Ana Lopez' };
const RAJ: StandInPerson = { emailAddress: 'raj@acme.example', displayName: 'Raj Patel' };
const GUEST: StandInPerson = { emailAddress: 'mia@partner.example', displayName: 'Mia Guest' };
const ALL_WEEK = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const ORIGINAL_HTML = '<p>Please bring the Q3 numbers.</p>';

let previousId: string;

beforeAll(async () => {
  app = await startTestQuorum();
  chromium = await launchChromium();
  const org = await organization(app, 'Acme', { name: 'Ana Lopez', email: ANA.emailAddress }, [
    { name: 'Raj Patel', email: RAJ.emailAddress },
    { name: 'Lee Wong', email: 'lee@acme.example' },
  ]);
  ana = org.admin;
  lee = org.members['lee@acme.example']!;
  // Both work around the clock, so there are free times whenever the test runs.
  for (const who of [ana, org.members[RAJ.emailAddress]!]) {
    const res = await who.request('/api/me/settings', {
      method: 'PUT',
      json: {
        timeZone: 'UTC',
        workingHours: [{ days: ALL_WEEK, start: '00:00', end: '24:00' }],
        defaultLinkType: 'none',
      },
    });
    expect(res.status, await res.clone().text()).toBe(200);
  }
  // An earlier meeting with the same people, summarized from its captions.
  const created = await ana.request('/api/meetings', {
    method: 'POST',
    json: {
      title: 'Quarterly planning',
      startsAt: '2026-01-12T10:00:00Z',
      endsAt: '2026-01-12T11:00:00Z',
      participants: [
        { email: RAJ.emailAddress, name: RAJ.displayName },
        { email: GUEST.emailAddress, name: GUEST.displayName },
      ],
    },
  });
  expect(created.status, await created.clone().text()).toBe(201);
  previousId = (await json(created)).id;
  const captions = await ana.request(`/api/meetings/${previousId}/captions`, {
    method: 'POST',
    headers: { 'content-type': 'text/vtt' },
    body: TEAMS_VTT,
  });
  expect(captions.status).toBe(202);
  expect((await waitForStatus(ana, previousId, ['ready', 'failed'])).status).toBe('ready');
});

afterAll(async () => {
  await chromium?.close();
  await app?.stop();
});

function inviteConfig(overrides: Partial<StandInConfig> = {}): StandInConfig {
  const start = new Date(Date.now() + 86_400_000);
  start.setUTCHours(10, 0, 0, 0);
  return {
    mode: 'appointment-compose',
    mailboxVersion: '1.13',
    timeZone: 'UTC',
    user: ANA,
    item: {
      subject: 'Budget review',
      required: [RAJ, GUEST],
      optional: [],
      start: start.toISOString(),
      end: new Date(start.getTime() + 45 * 60_000).toISOString(),
      location: '',
      body: ORIGINAL_HTML,
      bodyType: 'html',
    },
    ...overrides,
  };
}

/** A pane signed in as Ana (her session cookie) with the stand-in in place of office.js. */
async function openPane(config: StandInConfig): Promise<Page> {
  const context = await chromium.newContext();
  await context.addCookies([
    { name: 'quorum_session', value: ana.cookies.get('quorum_session')!, url: app.url },
  ]);
  const page = await context.newPage();
  await page.route('**/outlook/office-js/office.js', (route) =>
    route.fulfill({ contentType: 'text/javascript', body: officeStandInScript(config) }),
  );
  const res = await page.goto(`${app.url}/outlook/taskpane`);
  expect(res?.status()).toBe(200);
  return page;
}

async function record(page: Page): Promise<StandInRecord> {
  return page.evaluate(
    () => (globalThis as unknown as { __office: { record: StandInRecord } }).__office.record,
  );
}

describe('the task pane page', () => {
  it('is framed by Outlook only, and loads office.js from Quorum itself', async () => {
    const res = await fetch(`${app.url}/outlook/taskpane`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(/frame-ancestors ([^;]*)/.exec(csp)?.[1]).toContain('https://outlook.office.com');
    expect(csp).toContain("script-src 'self'");
    expect(res.headers.get('x-frame-options')).toBeNull();
    const html = await res.text();
    expect(html).toContain('<script src="/outlook/office-js/office.js"></script>');
    const office = await fetch(`${app.url}/outlook/office-js/office.js`);
    expect(office.status).toBe(200);
    expect(office.headers.get('content-type')).toMatch(/javascript/);
    expect(await office.text()).toMatch(/Office/);
    // The host-specific script office.js loads for Outlook is there too.
    expect((await fetch(`${app.url}/outlook/office-js/outlook-web-16.01.js`)).status).toBe(200);
    expect((await fetch(`${app.url}/outlook/office-js/no-such-file.js`)).status).toBe(404);
    // The icons the manifests name, and the event-based activation runtime page.
    const icon = await fetch(`${app.url}/outlook/icons/color-80.png`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toBe('image/png');
    const commands = await fetch(`${app.url}/outlook/commands`);
    expect(commands.status).toBe(200);
    expect(await commands.text()).toContain('<script src="/outlook/office-js/office.js"></script>');
  });
});

describe('composing a meeting', () => {
  it('writes the chosen time, the Teams location and an agenda above what the user wrote', async () => {
    const page = await openPane(inviteConfig());
    const first = page.locator('[data-slot-start]').first();
    await first.waitFor();
    // The guest's calendar is one Quorum cannot see: marked as such.
    await expect(page.getByLabel('Availability unknown').textContent()).resolves.toContain(
      GUEST.emailAddress,
    );
    await page.getByLabel('Meeting link').selectOption('teams');
    const start = (await first.getAttribute('data-slot-start'))!;
    await first.click();
    await page.getByText('is now in the invite, with an agenda above your text.').waitFor();

    const previous = await json(ana.request(`/api/meetings/${previousId}`));
    const open = (
      previous.actionItems as Array<{ task: string; owner: string | null; done: boolean }>
    ).filter((a) => !a.done);
    expect(open.length).toBeGreaterThan(0);
    const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    const agenda =
      '<div><p><b>Agenda (from Quorum)</b></p><ol><li>Budget review</li>' +
      open
        .map(
          (a) => `<li>Follow up: ${escape(a.task)}${a.owner ? ` (${escape(a.owner)})` : ''}</li>`,
        )
        .join('') +
      '</ol></div>';
    const end = new Date(new Date(start).getTime() + 45 * 60_000).toISOString();
    const written = await record(page);
    expect(written.writes).toEqual([
      { op: 'start', value: new Date(start).toISOString() },
      { op: 'end', value: end },
      { op: 'location', value: 'Microsoft Teams Meeting' },
      { op: 'body.prepend', value: agenda, options: { coercionType: 'html' } },
    ]);
    expect(written.state.body).toBe(agenda + ORIGINAL_HTML);

    // Another time: the times change, the agenda is not added twice.
    const second = page.locator('[data-slot-start]').nth(1);
    const secondStart = (await second.getAttribute('data-slot-start'))!;
    await second.click();
    await page.getByText('is now in the invite.', { exact: false }).first().waitFor();
    await page.waitForFunction(
      (s) =>
        (globalThis as unknown as { __office: { record: StandInRecord } }).__office.record.state
          .start === s,
      new Date(secondStart).toISOString(),
    );
    const again = await record(page);
    expect(again.writes.filter((w) => w.op === 'body.prepend')).toHaveLength(1);
    expect(again.state.body).toBe(agenda + ORIGINAL_HTML);
    await page.context().close();
  });

  it('has no accessibility violations axe-core can find', async () => {
    const page = await openPane(inviteConfig());
    await page.locator('[data-slot-start]').first().waitFor();
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.passes.length).toBeGreaterThan(10);
    expect(results.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
    await page.context().close();
  });

  it('keeps a plain-text body plain, and refreshes the suggestions when attendees change', async () => {
    const config = inviteConfig();
    config.item.bodyType = 'text';
    config.item.body = 'Notes from me.';
    config.item.required = [RAJ];
    const page = await openPane(config);
    await page.locator('[data-slot-start]').first().waitFor();
    await expect(page.getByLabel('Availability unknown').count()).resolves.toBe(0);
    const finds: string[] = [];
    page.on(
      'request',
      (r) => r.url().endsWith('/api/scheduling/find') && finds.push(r.postData() ?? ''),
    );
    await page.evaluate(
      (people) =>
        (
          globalThis as unknown as { __office: { setRequired(p: unknown): void } }
        ).__office.setRequired(people),
      [RAJ, GUEST],
    );
    await page.getByLabel('Availability unknown').getByText(GUEST.emailAddress).waitFor();
    expect(JSON.parse(finds[0]!).attendees.map((a: { email: string }) => a.email)).toEqual([
      RAJ.emailAddress,
      GUEST.emailAddress,
    ]);
    await page.locator('[data-slot-start]').first().click();
    await page.getByText('is now in the invite', { exact: false }).waitFor();
    const written = await record(page);
    const prepend = written.writes.find((w) => w.op === 'body.prepend')!;
    expect(prepend.options).toEqual({ coercionType: 'text' });
    expect(String(prepend.value)).toMatch(
      /^Agenda \(from Quorum\)\n1\. Budget review\n2\. Follow up: /,
    );
    expect(written.state.body).toBe(`${String(prepend.value)}Notes from me.`);
    // No link type chosen: the location is left alone.
    expect(written.writes.some((w) => w.op === 'location')).toBe(false);
    await page.context().close();
  });
});

describe('reading a meeting', () => {
  it('shows what the last meeting with the same people decided and left open, and starts a follow-up', async () => {
    const config = inviteConfig({ mode: 'appointment-read' });
    config.item.organizer = ANA;
    const page = await openPane(config);
    await page.getByRole('heading', { name: /Last time: Quarterly planning/ }).waitFor();
    const previous = await json(ana.request(`/api/meetings/${previousId}`));
    const shown = await page.getByLabel('Meeting summary').textContent();
    for (const line of [...previous.summary.summary, ...previous.summary.decisions]) {
      expect(shown).toContain(line);
    }
    const items = await page.getByLabel('Action items').locator('li').allTextContents();
    expect(items.length).toBe(
      previous.actionItems.filter((a: { done: boolean }) => !a.done).length,
    );
    await page.getByRole('button', { name: 'Schedule a follow-up' }).click();
    const form = (await record(page)).forms[0] as {
      requiredAttendees: string[];
      subject: string;
      body: string;
      start: string;
    };
    expect(form.requiredAttendees).toEqual([RAJ.emailAddress, GUEST.emailAddress]);
    expect(form.subject).toBe('Follow-up: Budget review');
    expect(new Date(form.start).getTime() - new Date(config.item.start!).getTime()).toBe(
      7 * 86_400_000,
    );
    expect(form.body).toContain(previous.actionItems[0].task);
    await page.context().close();
  });

  it('says so when Quorum has no earlier meeting with these people', async () => {
    const config = inviteConfig({ mode: 'appointment-read' });
    config.item.organizer = ANA;
    config.item.required = [RAJ];
    const page = await openPane(config);
    await page.getByText('Quorum has no earlier meeting with these people.').waitFor();
    await page.context().close();
  });
});

describe('composing an email', () => {
  it('inserts a few free times and a poll link for the person outside the organization', async () => {
    const page = await openPane({
      mode: 'message-compose',
      mailboxVersion: '1.13',
      timeZone: 'UTC',
      user: ANA,
      item: {
        subject: 'Partnership call',
        to: [GUEST],
        cc: [RAJ],
        body: 'Hi Mia,\n',
        bodyType: 'text',
      },
    });
    await page.getByRole('button', { name: 'Propose times' }).click();
    await page.getByText(/Added 3 times and 1 poll link/).waitFor();
    const written = await record(page);
    expect(written.writes).toHaveLength(1);
    const inserted = String(written.writes[0]!.value);
    expect(written.writes[0]!.op).toBe('body.setSelectedData');
    expect(written.state.body).toBe(`Hi Mia,\n${inserted}`);
    const lines = inserted.trim().split('\n');
    expect(lines[0]).toBe('Would one of these times work?');
    expect(lines.slice(1, 4).every((l) => /^- .+ \(UTC\)$/.test(l))).toBe(true);
    // The link is the guest's own: it opens the poll Quorum made, with those three times.
    const url = new URL(lines[5]!);
    const pollId = url.pathname.split('/').pop()!;
    const poll = await json(
      fetch(`${app.url}/api/public/polls/${pollId}?t=${url.searchParams.get('t')}`),
    );
    expect(poll.title).toBe('Partnership call');
    expect(poll.email).toBe(GUEST.emailAddress);
    expect(poll.options).toHaveLength(3);
    await page.context().close();
  });
});

describe('signing in without Microsoft sign-in', () => {
  it('asks for the Quorum password in the dialog, then hands the pane its token', async () => {
    const context = await chromium.newContext();
    await context.route('**/outlook/office-js/office.js', (route) =>
      route.fulfill({ contentType: 'text/javascript', body: officeStandInScript(inviteConfig()) }),
    );
    const page = await context.newPage();
    await page.goto(`${app.url}/outlook/taskpane`);
    const popup = context.waitForEvent('page');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const dialog = await popup;
    expect(dialog.url()).toBe(`${app.url}/outlook/auth-done`);
    await dialog.getByLabel('Email').fill(ANA.emailAddress);
    await dialog.getByLabel('Password').fill('not-her-password');
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    await dialog.getByText('The email or password is not right.').waitFor();
    await dialog.getByLabel('Password').fill(PASSWORD);
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('[data-slot-start]').first().waitFor();
    expect(dialog.isClosed()).toBe(true);
    await context.close();
  });
});

describe('event-based activation', () => {
  it('tells the organizer, without the pane, that attendees changed', async () => {
    const context = await chromium.newContext();
    const page = await context.newPage();
    await page.route('**/outlook/office-js/office.js', (route) =>
      route.fulfill({ contentType: 'text/javascript', body: officeStandInScript(inviteConfig()) }),
    );
    await page.goto(`${app.url}/outlook/commands`);
    await page.waitForFunction(
      () =>
        (globalThis as unknown as { __office: { record: StandInRecord } }).__office.record.actions
          .length > 0,
    );
    expect((await record(page)).actions).toEqual([ATTENDEES_CHANGED_HANDLER]);
    await page.evaluate(
      (name) =>
        (globalThis as unknown as { __office: { runAction(n: string): void } }).__office.runAction(
          name,
        ),
      ATTENDEES_CHANGED_HANDLER,
    );
    await page.waitForFunction(() =>
      (
        globalThis as unknown as { __office: { record: StandInRecord } }
      ).__office.record.writes.some((w) => w.op === 'completed'),
    );
    const writes = (await record(page)).writes;
    expect(writes).toHaveLength(2);
    expect(writes[0]).toMatchObject({
      op: 'notification',
      value: { key: 'quorum-attendees-changed', type: 'informationalMessage' },
    });
    expect(String((writes[0]!.value as { message: string }).message)).toMatch(/Attendees changed/);
    expect(writes[1]).toEqual({ op: 'completed', value: ATTENDEES_CHANGED_HANDLER });
    await context.close();
  });
});

describe('GET /api/meetings/previous', () => {
  it('checks its input, and finds nothing for someone who was not in the meeting', async () => {
    const bad = await ana.request('/api/meetings/previous?attendees=raj,not-an-email');
    expect(bad.status).toBe(400);
    expect((await json(bad)).message).toMatch(/attendees/);
    expect((await ana.request('/api/meetings/previous')).status).toBe(400);
    expect((await fetch(`${app.url}/api/meetings/previous?attendees=a@b.example`)).status).toBe(
      401,
    );
    const same = [ANA, RAJ, GUEST].map((p) => p.emailAddress).join(',');
    const found = await json(ana.request(`/api/meetings/previous?attendees=${same}`));
    expect(found.meeting.id).toBe(previousId);
    // Before the meeting started, there was no previous one.
    const earlier = await json(
      ana.request(`/api/meetings/previous?attendees=${same}&before=2026-01-01T00:00:00Z`),
    );
    expect(earlier.meeting).toBeNull();
    // Lee is in the organization but was not invited: the same people's meeting is not his.
    expect(
      (await json(lee.request(`/api/meetings/previous?attendees=${same}`))).meeting,
    ).toBeNull();
  });
});

describe('when something is missing', () => {
  it('explains that this Outlook lacks the needed requirement set, and asks Quorum nothing', async () => {
    const config = inviteConfig({ mailboxVersion: '1.5' });
    const context = await chromium.newContext();
    const page = await context.newPage();
    const asked: string[] = [];
    page.on('request', (r) => r.url().includes('/api/') && asked.push(r.url()));
    await page.route('**/outlook/office-js/office.js', (route) =>
      route.fulfill({ contentType: 'text/javascript', body: officeStandInScript(config) }),
    );
    await page.goto(`${app.url}/outlook/taskpane`);
    await page.getByRole('alert').getByText('This Outlook is too old for Quorum').waitFor();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Mailbox 1.7');
    expect(asked).toEqual([]);
    await context.close();
  });

  it('shows that the user is offline and stops offering times until back online', async () => {
    const page = await openPane(inviteConfig());
    await page.locator('[data-slot-start]').first().waitFor();
    await page.context().setOffline(true);
    await page.getByText('You are offline').waitFor();
    expect(await page.locator('[data-slot-start]').first().isDisabled()).toBe(true);
    await page.context().setOffline(false);
    await page.getByText('You are offline').waitFor({ state: 'detached' });
    expect(await page.locator('[data-slot-start]').first().isDisabled()).toBe(false);
    await page.context().close();
  });

  it('says Quorum cannot be reached when its API does not answer', async () => {
    const context = await chromium.newContext();
    const page = await context.newPage();
    await page.route('**/outlook/office-js/office.js', (route) =>
      route.fulfill({ contentType: 'text/javascript', body: officeStandInScript(inviteConfig()) }),
    );
    await page.route('**/auth/state', (route) => route.abort('connectionrefused'));
    await page.goto(`${app.url}/outlook/taskpane`);
    await page.getByRole('alert').getByText('Quorum cannot be reached').waitFor();
    await page.unroute('**/auth/state');
    await context.addCookies([
      { name: 'quorum_session', value: ana.cookies.get('quorum_session')!, url: app.url },
    ]);
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.locator('[data-slot-start]').first().waitFor();
    await context.close();
  });

  it('reports a failing Quorum (5xx) without touching the item', async () => {
    const page = await openPane(inviteConfig());
    await page.locator('[data-slot-start]').first().waitFor();
    await page.route('**/api/scheduling/find', (route) =>
      route.fulfill({ status: 502, contentType: 'text/html', body: '<h1>Bad gateway</h1>' }),
    );
    await page.getByRole('button', { name: 'Refresh suggestions' }).click();
    await page.getByRole('alert').getByText('Quorum answered 502', { exact: false }).waitFor();
    expect((await record(page)).writes).toEqual([]);
    // A sign-in that ended meanwhile is named as such.
    await page.unroute('**/api/scheduling/find');
    await page.context().clearCookies();
    await page.getByRole('button', { name: 'Refresh suggestions' }).click();
    await page.getByRole('alert').getByText('Signed out of Quorum').waitFor();
    expect((await record(page)).writes).toEqual([]);
    await page.context().close();
  });
});
