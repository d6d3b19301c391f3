// What the sign-in and calendar pages offer depends on the deployment: with Google configured,
// "Sign in with Google" and "Connect Google Calendar" appear (and nothing for Microsoft, which is
// not); a calendar whose connection broke is flagged on Home and on the Calendars page.
import type { Browser } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { CalendarConnection } from '../../../core/calendars/connections/connection-model.ts';
import { verifiedTenantContext } from '../../../core/store/tenant-context.ts';
import { freePort } from '../../../infra/local/embedded-db.ts';
import { launchChromium } from '../../support/chromium.ts';
import {
  Browser as Client,
  json,
  startTestQuorum,
  type TestQuorum,
} from '../../support/quorum-app.ts';
import { startRadicale, type RadicaleServer } from '../../support/radicale.ts';

let quorum: TestQuorum;
let radicale: RadicaleServer;
let browser: Browser;
const password = 'quartz-meadow-lantern-19';

beforeAll(async () => {
  radicale = await startRadicale();
  // The issuer is only asked when someone starts a Google sign-in, which this test does not.
  quorum = await startTestQuorum({
    GOOGLE_CLIENT_ID: 'quorum-test-client',
    GOOGLE_CLIENT_SECRET: 'quorum-test-secret',
    GOOGLE_ISSUER: `http://127.0.0.1:${await freePort()}`,
  });
  const ana = new Client(quorum.url);
  const signup = await ana.request('/auth/signup', {
    method: 'POST',
    json: { organization: 'Acme', name: 'Ana Lopez', email: 'ana@acme.example', password },
  });
  expect(signup.status).toBe(201);
  const connected = await ana.request('/api/calendars/caldav', {
    method: 'POST',
    json: { serverUrl: radicale.url, username: radicale.username, password: radicale.password },
  });
  expect(connected.status).toBe(201);
  // As when the provider stops accepting the app password: the connection needs reconnecting.
  const me = await json(ana.request('/api/me'));
  const ctx = verifiedTenantContext(me.tenantId, 'system');
  await (
    await quorum.quorum.store.tenantModel(ctx, CalendarConnection)
  ).updateOne(
    { _id: (await json(connected)).connection.id },
    { $set: { status: 'needs-reconnect', problem: 'The server refused the app password.' } },
  );
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await quorum?.stop();
  await radicale?.stop();
});

test('sign-in offers the configured SSO; home and calendars flag the broken connection', async () => {
  const page = await (await browser.newContext()).newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${quorum.url}/app`);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  const google = page.getByRole('link', { name: 'Sign in with Google' });
  await expect(google.getAttribute('href')).resolves.toBe('/auth/sso/google/start?returnTo=/app');
  await expect(page.getByRole('link', { name: 'Sign in with Microsoft' }).count()).resolves.toBe(0);
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.filter((v) => ['serious', 'critical'].includes(v.impact ?? ''))).toEqual([]);

  await page.getByLabel('Email').fill('ana@acme.example');
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('The email or password is not right.').waitFor();
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Hello, Ana Lopez' }).waitFor();
  await page.getByText('A calendar needs reconnecting').waitFor();
  await expect(
    page.getByRole('status').filter({ hasText: 'needs reconnecting' }).textContent(),
  ).resolves.toContain('The server refused the app password.');

  await page.getByRole('link', { name: 'Reconnect it on the Calendars page' }).click();
  await page.getByText('needs reconnecting', { exact: true }).waitFor();
  await expect(
    page.getByRole('link', { name: 'Connect Google Calendar' }).getAttribute('href'),
  ).resolves.toBe('/connect/google/start?returnTo=/app/calendars');
  await expect(page.getByRole('link', { name: 'Connect Microsoft 365' }).count()).resolves.toBe(0);

  // Disconnecting removes it; Quorum's local calendar answers until another is connected.
  await page.getByRole('button', { name: 'Disconnect CalDAV ana@acme.example' }).click();
  await page.getByText(/^CalDAV disconnected\./).waitFor();
  await page.getByText('No calendar connected: Quorum uses its own local calendar').waitFor();
  await expect(
    page.getByRole('listitem').filter({ hasText: 'needs reconnecting' }).count(),
  ).resolves.toBe(0);

  // Signing out returns to the sign-in page, and the session no longer works.
  await page.getByRole('button', { name: 'Sign out Ana Lopez' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  const status = await page.evaluate(() => fetch('/api/me').then((r) => r.status));
  expect(status).toBe(401);
});
