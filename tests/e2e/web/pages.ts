// Shared by the browser-page tests: open a page as a signed-in person (or signed out) in a
// given locale and time zone, and check a page with axe while keeping a screenshot of it. Kept
// in one place so every page test signs in, waits and judges accessibility the same way.
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser as Chromium, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Browser } from '../../support/quorum-app.ts';

/** Where the screenshots of checked pages go, for a person to look at after a run. */
const SHOTS = path.resolve(import.meta.dirname, '../../../test-results/web-pages');

/** What the person's browser says about them: dates and times show accordingly. */
export interface PageLocale {
  locale: string;
  timezoneId: string;
}

/**
 * A new browser context signed in as `who` (their `quorum_session` cookie; `null` for a signed-out
 * visitor), opened at `baseUrl + path`. Each call is its own context, so people never share a
 * session. The 15 s default timeout leaves room on a loaded machine without hiding a hang.
 */
export async function openPageAs(
  chromium: Chromium,
  baseUrl: string,
  who: Browser | null,
  path: string,
  { locale, timezoneId }: PageLocale,
): Promise<Page> {
  const context = await chromium.newContext({ locale, timezoneId });
  if (who)
    await context.addCookies([
      { name: 'quorum_session', value: who.cookies.get('quorum_session')!, url: baseUrl },
    ]);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(baseUrl + path);
  return page;
}

/**
 * `accessible(page)` for one test file: screenshots the page as `<fileName>-NN.png` under
 * test-results/web-pages/ (numbered in the order checked, so a run's pages read in order), then
 * fails on any serious or critical axe violation, naming the rule and the elements.
 */
export function pageChecker(fileName: string): (page: Page) => Promise<void> {
  let shots = 0;
  return async function accessible(page: Page) {
    shots += 1;
    await page.screenshot({
      path: path.join(SHOTS, `${fileName}-${String(shots).padStart(2, '0')}.png`),
      fullPage: true,
    });
    const { violations } = await new AxeBuilder({ page }).analyze();
    const serious = violations
      .filter((v) => ['serious', 'critical'].includes(v.impact ?? ''))
      .map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(serious, serious.join('\n')).toEqual([]);
  };
}
