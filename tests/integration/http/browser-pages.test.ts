// A browser gets pages, not JSON: for an unknown address, and for the Zoom and Teams pages on a
// Quorum where those apps are not set up (they say what they are, that they are off here, and
// the settings an administrator sets to turn them on — names only, never values).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';

let app: TestQuorum;
// What Chromium sends when it navigates to an address.
const html = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

beforeAll(async () => {
  app = await startTestQuorum();
});
afterAll(async () => {
  await app?.stop();
});

const ZOOM = ['ZOOM_CLIENT_ID', 'ZOOM_CLIENT_SECRET', 'ZOOM_WEBHOOK_SECRET_TOKEN'];
const TEAMS = ['TEAMS_CLIENT_ID', 'TEAMS_CLIENT_SECRET', 'TEAMS_TENANT_ID'];

describe('pages for browsers', () => {
  it('explains the Zoom and Teams pages when those apps are not set up', async () => {
    for (const [path, title, settings] of [
      ['/zoom/panel', 'Quorum for Zoom', ZOOM],
      ['/zoom/connect', 'Quorum for Zoom', ZOOM],
      ['/teams/panel', 'Quorum for Microsoft Teams', TEAMS],
      // The address Teams opens to configure the tab.
      ['/teams/panel?mode=config', 'Quorum for Microsoft Teams', TEAMS],
    ] as const) {
      const res = await fetch(app.url + path, { headers: html });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const text = await res.text();
      expect(text).toContain(`<h1>${title}</h1>`);
      expect(text).toContain('<h2>Not turned on here</h2>');
      for (const name of settings) expect(text, path).toContain(`<code>${name}</code>`);
      expect(text).toMatch(/administrator sets these settings/);
      expect(text).toContain('href="/app"');
    }
  });

  it('answers an unknown address with a page for a browser and JSON for a program', async () => {
    const page = await fetch(`${app.url}/no/such/<page>`, { headers: html });
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const text = await page.text();
    expect(text).toContain('<h1>Page not found</h1>');
    expect(text).toContain('href="/"');
    expect(text).not.toContain('<page>');

    // A program: JSON asked for, anything accepted (curl's */*), or no Accept at all.
    for (const accept of ['application/json', '*/*', undefined]) {
      const program = await fetch(`${app.url}/no/such/page`, {
        headers: accept ? { accept } : {},
      });
      expect(program.status).toBe(404);
      expect(program.headers.get('content-type')).toMatch(/json/);
      expect(await program.json()).toEqual({
        error: 'not_found',
        message: 'No route for GET /no/such/page',
      });
    }

    // The API stays JSON even for a browser, and so does any method but GET.
    const api = await fetch(`${app.url}/api/no-such-route`, { headers: html });
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toMatch(/json/);
    const post = await fetch(`${app.url}/no/such/page`, { method: 'POST', headers: html });
    expect(post.status).toBe(404);
    expect(post.headers.get('content-type')).toMatch(/json/);
  });
});
