// Pages a browser gets where JSON would mean nothing to a person: an unknown address, and the
// Zoom and Teams panels opened on a Quorum where those apps are not set up yet.
import type { Request, Response } from 'express';
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
    `<p>Quorum has no page at <code>${escapeHtml(req.path)}</code>.</p><p><a href="/">Open Quorum</a></p>`,
  );
}

const PANELS = {
  zoom: {
    title: 'Quorum for Zoom',
    what: 'This is Quorum’s panel for Zoom meetings: the agenda, live transcript and follow-up, inside the meeting.',
    how: 'It opens inside Zoom once an administrator sets <code>ZOOM_CLIENT_ID</code>, <code>ZOOM_CLIENT_SECRET</code> and <code>ZOOM_WEBHOOK_SECRET_TOKEN</code>, restarts Quorum and adds the Zoom app (see “Zoom” in the README).',
  },
  teams: {
    title: 'Quorum for Microsoft Teams',
    what: 'This is Quorum’s side panel for Teams meetings: the agenda, open action items and follow-up, inside the meeting.',
    how: 'It opens inside Teams once an administrator sets <code>TEAMS_CLIENT_ID</code>, <code>TEAMS_CLIENT_SECRET</code> and <code>TEAMS_TENANT_ID</code>, restarts Quorum and uploads the app package from <code>npx quorum manifests</code> (see “Microsoft Teams” in the README).',
  },
} as const;

/** The panel's address on a Quorum without that app: what it is and how to turn it on. */
export function sendPanelNotSetUp(res: Response, panel: keyof typeof PANELS): void {
  const page = PANELS[panel];
  sendPage(
    res,
    200,
    page.title,
    `<p>${page.what}</p><p>${page.how}</p><p><a href="/">Open Quorum</a></p>`,
  );
}
