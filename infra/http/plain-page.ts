// The few plain server-made pages adapters show in a browser (linking an account, installing),
// shared by the Slack and Zoom flows, and the pages for unknown or not-set-up addresses.
import type { Response } from 'express';

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

// The web app's look without its bundle: Fluent's type ramp, colours and focus ring, in a
// column as wide as the sign-in page. Inline, as the CSP allows for styles.
const STYLE = [
  'body{margin:0;font-family:"Segoe UI","Segoe UI Web (West European)",-apple-system,BlinkMacSystemFont,Roboto,"Helvetica Neue",sans-serif;font-size:14px;line-height:20px;color:#242424;background:#fff}',
  'main{max-width:40rem;padding:24px 16px;margin:0 auto}',
  'h1{font-size:28px;line-height:36px;font-weight:600;margin:0 0 16px}',
  'h2{font-size:20px;line-height:28px;font-weight:600;margin:24px 0 8px}',
  'a{color:#115ea3}',
  'a:focus-visible,button:focus-visible{outline:2px solid #0f6cbd;outline-offset:2px}',
  'code{font-family:Consolas,"Courier New",monospace;background:#f5f5f5;padding:0 4px;border-radius:4px;overflow-wrap:anywhere}',
].join('');

/** Sends a page; `body` is HTML built from escaped pieces only. */
export function sendPage(res: Response, status: number, title: string, body: string): void {
  res
    .status(status)
    .type('html')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} · Quorum</title><style>${STYLE}</style></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`,
    );
}
