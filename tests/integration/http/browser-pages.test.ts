// A browser gets pages, not JSON: for an unknown address, and for the Zoom and Teams panels on a
// Quorum where those apps are not set up (they say what they are and how to turn them on).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';

let app: TestQuorum;
const html = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

beforeAll(async () => {
  app = await startTestQuorum();
});
afterAll(async () => {
  await app?.stop();
});

describe('pages for browsers', () => {
  it('explains the Zoom and Teams panels when those apps are not set up', async () => {
    for (const [path, setting] of [
      ['/zoom/panel', 'ZOOM_CLIENT_ID'],
      ['/teams/panel', 'TEAMS_CLIENT_ID'],
    ] as const) {
      const res = await fetch(app.url + path, { headers: html });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const text = await res.text();
      expect(text).toContain(setting);
      expect(text).toMatch(/<h1>Quorum for (Zoom|Microsoft Teams)<\/h1>/);
    }
  });

  it('answers an unknown address with a page for a browser and JSON for a program', async () => {
    const page = await fetch(`${app.url}/no/such/<page>`, { headers: html });
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const text = await page.text();
    expect(text).toContain('Page not found');
    expect(text).not.toContain('<page>');

    const program = await fetch(`${app.url}/no/such/page`, {
      headers: { accept: 'application/json' },
    });
    expect(program.status).toBe(404);
    expect(((await program.json()) as { error: string }).error).toBe('not_found');

    const api = await fetch(`${app.url}/api/no-such-route`, { headers: html });
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toMatch(/json/);
  });
});
