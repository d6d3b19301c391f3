// Serves the browser pages Vite built (.quorum/ui): hashed assets under /ui/, and each page's
// HTML at the route its host opens. A page that was not built answers 503 saying how to build.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type RequestHandler, type Response } from 'express';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const UI_DIR = path.join(ROOT, '.quorum', 'ui');

/** Static assets: content-hashed file names, so they can be cached for a year. */
export function uiAssets(dir = UI_DIR): RequestHandler {
  return express.static(dir, {
    index: false,
    immutable: true,
    maxAge: '365d',
    fallthrough: true,
  });
}

/**
 * Sends one built page (e.g. `web/ui/index.html`). HTML is never cached, so a new build
 * reaches users at once. Pages are read on each request: they are small, and a rebuild while
 * Quorum runs (during development) shows without a restart.
 */
export function sendUiPage(res: Response, page: string, dir = UI_DIR): void {
  const file = path.join(dir, page);
  if (!existsSync(file)) {
    res
      .status(503)
      .type('text/plain')
      .send('The browser pages are not built yet. Run `npm run build:ui` (npm start does it).');
    return;
  }
  res.setHeader('Cache-Control', 'no-cache');
  res.type('html').send(readFileSync(file, 'utf8'));
}
