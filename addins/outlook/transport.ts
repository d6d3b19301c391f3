// The Outlook add-in's transport: its task pane and event-based activation page (framed by
// Outlook only), the office.js library served from Quorum itself (the pane's policy allows
// scripts from 'self' alone, and it must load without reaching any other host), its icons,
// and the opener policy its sign-in dialog needs.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type RequestHandler, type Router } from 'express';
import { FRAME_HOSTS, allowFramingBy } from '../../infra/http/security-headers.ts';
import { sendUiPage } from '../../infra/http/ui-pages.ts';

export const TASKPANE_PAGE = 'addins/outlook/taskpane/index.html';
export const COMMANDS_PAGE = 'addins/outlook/commands/index.html';
/** Where office.js is served from; the pages load `${OFFICE_JS_PATH}/office.js`. */
export const OFFICE_JS_PATH = '/outlook/office-js';

/** node_modules/@microsoft/office-js/dist: office.js and the host-specific files it loads. */
export function officeJsDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('@microsoft/office-js/package.json')), 'dist');
}

const ICONS_DIR = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'manifests',
  'icons',
);

/**
 * The sign-in dialog passes through /auth/sso/... (redirects only) and ends on
 * /outlook/auth-done. Office's dialog reaches the add-in through the window that opened it, and
 * `Cross-Origin-Opener-Policy: same-origin` (helmet's default) cuts that link, so
 * messageParent's message never arrives. Those responses opt out; every other page keeps it.
 * Mount after securityHeaders() and before the sign-in routes.
 */
export function dialogOpenerPolicy(): RequestHandler {
  return (req, res, next) => {
    if (req.path.startsWith('/auth/sso/') || req.path === '/outlook/auth-done') {
      res.setHeader('Cross-Origin-Opener-Policy', 'unsafe-none');
    } else if (req.path === '/outlook/taskpane') {
      // Where the pane itself opens the dialog (a browser tab in development and tests).
      res.setHeader('Cross-Origin-Opener-Policy', 'same-origin-allow-popups');
    }
    next();
  };
}

/** The pages and files Outlook loads: office.js, the icons, the task pane, the commands page. */
export function outlookPages(router: Router): void {
  const framed = allowFramingBy(FRAME_HOSTS.outlook);

  router.use(
    OFFICE_JS_PATH,
    express.static(officeJsDir(), { index: false, maxAge: '1d', fallthrough: false }),
  );
  // The add-in's icons, which both manifests point Outlook at.
  router.use(
    '/outlook/icons',
    express.static(ICONS_DIR, { index: false, maxAge: '1d', fallthrough: false }),
  );
  router.get('/outlook/taskpane', framed, (_req, res) => sendUiPage(res, TASKPANE_PAGE));
  // The sign-in dialog ends here: the same bundle, which hands the pane a token and closes.
  router.get('/outlook/auth-done', (_req, res) => sendUiPage(res, TASKPANE_PAGE));
  // Event-based activation's runtime page (OnAppointmentAttendeesChanged), loaded hidden.
  router.get('/outlook/commands', framed, (_req, res) => sendUiPage(res, COMMANDS_PAGE));
}
