// Pages a browser gets where JSON would mean nothing to a person: an unknown address, and an
// adapter's pages (the Zoom panel, the Teams tab) opened on a Quorum where that adapter is not
// set up. Each adapter describes its own page (what it is, the settings that turn it on); the
// server mounts it in place of the adapter's routes.
import { Router, type Request, type Response } from 'express';
import { escapeHtml, sendPage } from './plain-page.ts';

/** Whether the client prefers a page (a browser navigating) over JSON (a program). */
export function wantsPage(req: Request): boolean {
  return !req.path.startsWith('/api/') && req.accepts(['json', 'html']) === 'html';
}

export function sendNotFoundPage(req: Request, res: Response): void {
  sendPage(
    res,
    404,
    'Page not found',
    `<p>Quorum has no page at <code>${escapeHtml(req.path)}</code>. The link may be mistyped or out of date.</p><p><a href="/">Open Quorum’s home page</a></p>`,
  );
}

/** What an adapter's page says when that adapter is not set up: plain text, escaped here. */
export interface NotSetUpPage {
  /** The browser paths the adapter would answer (its panel, its tab, its linking page). */
  paths: readonly string[];
  /** "Quorum for Zoom": the page's title. */
  title: string;
  /** The product it runs in, for "not turned on here": "Zoom". */
  product: string;
  /** One sentence: what the panel is and does. */
  what: string;
  /** The settings (environment variable names, never values) that turn it on. */
  settings: readonly string[];
  /** What the administrator does after setting them, and where the README says more. */
  then: string;
}

function pageBody(page: NotSetUpPage): string {
  const settings = page.settings.map((name) => `<li><code>${escapeHtml(name)}</code></li>`);
  return [
    `<p>${escapeHtml(page.what)}</p>`,
    `<h2>Not turned on here</h2>`,
    `<p>This Quorum is not set up for ${escapeHtml(page.product)} yet, so this page cannot open here. To turn it on, an administrator sets these settings on the server and restarts Quorum:</p>`,
    `<ul>${settings.join('')}</ul>`,
    `<p>${escapeHtml(page.then)}</p>`,
    `<p>Not the administrator? Ask them to turn it on. Meanwhile the web app does the same: <a href="/app">open Quorum</a>.</p>`,
  ].join('');
}

/** The adapter's browser paths on a Quorum without it: what it is and how to turn it on. */
export function notSetUpRoutes(page: NotSetUpPage): Router {
  const router = Router();
  router.get([...page.paths], (_req, res) => sendPage(res, 200, page.title, pageBody(page)));
  return router;
}
