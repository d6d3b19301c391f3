// What a browser is shown for what a Quorum does not offer: account creation when sign-up is
// closed (and offered, and working, when it is open), the Zoom and Teams pages when those apps
// are not set up, and an unknown address. Real Chromium against the real server; axe on each.
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChromium } from '../../support/chromium.ts';
import { Browser as Client, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';

let closed: TestQuorum;
let open: TestQuorum;
let browser: Browser;
const CREATE = 'New organization? Create an account';

/** Each Quorum gets its first organization, so only QUORUM_OPEN_SIGNUP decides about more. */
async function firstAccount(quorum: TestQuorum): Promise<void> {
  const signup = await new Client(quorum.url).request('/auth/signup', {
    method: 'POST',
    json: {
      organization: 'Acme',
      name: 'Ana Lopez',
      email: 'ana@acme.example',
      password: 'quartz-meadow-lantern-19',
    },
  });
  expect(signup.status).toBe(201);
}

async function accessible(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const found = violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  expect(found, found.join('\n')).toEqual([]);
}

beforeAll(async () => {
  [closed, open] = await Promise.all([
    startTestQuorum(),
    startTestQuorum({ QUORUM_OPEN_SIGNUP: 'true' }),
  ]);
  await Promise.all([firstAccount(closed), firstAccount(open)]);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await closed?.stop();
  await open?.stop();
});

async function newPage(): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  page.setDefaultTimeout(15_000);
  return page;
}

test('with sign-up closed, the sign-in page offers no account creation and says whom to ask', async () => {
  const page = await newPage();
  await page.goto(`${closed.url}/app`);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByText('No account yet? Ask your Quorum administrator to add you.').waitFor();
  await expect(page.getByText(CREATE).count()).resolves.toBe(0);
  await expect(page.getByLabel('Organization').count()).resolves.toBe(0);
  await accessible(page);
});

test('with sign-up open, the sign-in page offers account creation, and it works', async () => {
  const page = await newPage();
  await page.goto(`${open.url}/app`);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await expect(page.getByText('Ask your Quorum administrator').count()).resolves.toBe(0);
  await page.getByRole('button', { name: CREATE }).click();
  await page.getByRole('heading', { name: 'Create your organization' }).waitFor();
  await page.getByLabel('Organization').fill('Globex');
  await page.getByLabel('Your name').fill('Gina Green');
  await page.getByLabel('Email').fill('gina@globex.example');
  await page.getByLabel('Password').fill('violet-harbor-compass-42');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: 'Hello, Gina Green' }).waitFor();
});

test('the Zoom and Teams pages explain themselves when those apps are not set up', async () => {
  const page = await newPage();
  for (const [path, title, setting] of [
    ['/zoom/panel', 'Quorum for Zoom', 'ZOOM_WEBHOOK_SECRET_TOKEN'],
    ['/teams/panel', 'Quorum for Microsoft Teams', 'TEAMS_TENANT_ID'],
  ] as const) {
    const res = await page.goto(closed.url + path);
    expect(res?.status()).toBe(200);
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Not turned on here' }).waitFor();
    await page.getByRole('listitem').filter({ hasText: setting }).waitFor();
    await accessible(page);
  }
});

test('an unknown address shows a page with a way home', async () => {
  const page = await newPage();
  const res = await page.goto(`${closed.url}/no/such/page`);
  expect(res?.status()).toBe(404);
  await page.getByRole('heading', { name: 'Page not found' }).waitFor();
  await accessible(page);
  await page.getByRole('link', { name: 'Open Quorum’s home page' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
});
