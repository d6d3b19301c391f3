// The few plain server-made pages adapters show in a browser (linking an account, installing),
// shared by the Slack and Zoom flows.
import type { Response } from 'express';

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Sends a page; `body` is HTML built from escaped pieces only. */
export function sendPage(res: Response, status: number, title: string, body: string): void {
  res
    .status(status)
    .type('html')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} · Quorum</title></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`,
    );
}
