// Pages a platform embeds may be framed by that platform's hosts only; every other page refuses
// framing. Checked on a real HTTP server with Quorum's own middleware.
import http from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FRAME_HOSTS,
  allowFramingBy,
  securityHeaders,
} from '../../../infra/http/security-headers.ts';

let server: http.Server;
let base: string;

beforeAll(async () => {
  const app = express();
  app.use(securityHeaders());
  app.get('/page', (_req, res) => void res.send('<p>own page</p>'));
  app.get('/teams/tab', allowFramingBy(FRAME_HOSTS.teams), (_req, res) => void res.send('tab'));
  app.get('/zoom/panel', allowFramingBy(FRAME_HOSTS.zoom), (_req, res) => void res.send('panel'));
  server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => {
  server.close();
});

function frameAncestors(csp: string | null): string {
  return /frame-ancestors ([^;]*)/.exec(csp ?? '')?.[1] ?? '';
}

describe('framing', () => {
  it("refuses framing of Quorum's own pages", async () => {
    const res = await fetch(`${base}/page`);
    expect(frameAncestors(res.headers.get('content-security-policy'))).toBe("'none'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });

  it('lets only the embedding platform frame its page', async () => {
    const tab = await fetch(`${base}/teams/tab`);
    const teams = frameAncestors(tab.headers.get('content-security-policy'));
    expect(teams).toContain('https://teams.microsoft.com');
    expect(teams).not.toContain('zoom.us');
    expect(teams).not.toContain("'none'");
    expect(tab.headers.get('x-frame-options')).toBeNull();

    const panel = await fetch(`${base}/zoom/panel`);
    const zoom = frameAncestors(panel.headers.get('content-security-policy'));
    expect(zoom).toContain('https://*.zoom.us');
    expect(zoom).not.toContain('teams.microsoft.com');
    // The other security headers stay.
    expect(panel.headers.get('strict-transport-security')).toContain('max-age=31536000');
  });
});
