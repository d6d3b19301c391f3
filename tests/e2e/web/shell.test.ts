// The web app's shell loads in real Chromium from the real server with its built assets.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../support/chromium.ts';
import { startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';

let quorum: TestQuorum;
let browser: Browser;

beforeAll(async () => {
  quorum = await startTestQuorum();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await quorum?.stop();
});

test('the app page renders from built, cacheable assets under the strict policy', async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  const res = await page.goto(`${quorum.url}/app`);
  expect(res?.status()).toBe(200);
  expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
  await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Quorum');
  const script = await page.locator('script[type=module]').getAttribute('src');
  expect(script).toMatch(/^\/ui\/assets\/.+\.js$/);
  const asset = await fetch(quorum.url + script);
  expect(asset.headers.get('cache-control')).toContain('immutable');
  expect(errors).toEqual([]);
});
