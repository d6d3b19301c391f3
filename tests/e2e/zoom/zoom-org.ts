// The organization the Zoom tests use: Quorum with Zoom on, pointed at the fake Zoom; Ana
// (admin) and Raj signed up; Ana is also a Zoom user of account ACME.
import { expect } from 'vitest';
import {
  sealAppContext,
  startFakeZoom,
  ZOOM_WEBHOOK_SECRET,
  zoomWebhookHeaders,
  type FakeZoom,
} from '../../support/fake-zoom.ts';
import { Browser, json, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';

export const PASSWORD = 'copper-meadow-signal-58';
export const ANA_ZOOM = {
  id: 'KdYKjnimT4KPd8FFgQt9FQ',
  accountId: 'D8cJuqWVQ623CI4Q8yQK0Q',
  email: 'ana@acme.example',
  displayName: 'Ana Lopez',
};

export interface ZoomOrg {
  app: TestQuorum;
  zoom: FakeZoom;
  ana: Browser;
  tenantId: string;
  /** An app context for a Zoom user, sealed as the Zoom client would hand it over. */
  context(extra?: Record<string, unknown>): string;
  webhook(body: unknown, timestampSeconds?: number): Promise<Response>;
  stop(): Promise<void>;
}

let nextIp = 60;

async function settings(browser: Browser, timeZone: string) {
  const res = await browser.request('/api/me/settings', {
    method: 'PUT',
    json: {
      timeZone,
      workingHours: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '00:00', end: '23:59' }],
      defaultLinkType: 'none',
    },
  });
  expect(res.status).toBe(200);
}

export async function zoomOrg(): Promise<ZoomOrg> {
  const zoom = await startFakeZoom();
  zoom.users.set(ANA_ZOOM.id, ANA_ZOOM);
  const app = await startTestQuorum({
    ZOOM_CLIENT_ID: zoom.clientId,
    ZOOM_CLIENT_SECRET: zoom.clientSecret,
    ZOOM_WEBHOOK_SECRET_TOKEN: ZOOM_WEBHOOK_SECRET,
    ZOOM_API_URL: zoom.apiUrl,
    ZOOM_OAUTH_URL: zoom.oauthUrl,
  });
  const ana = new Browser(app.url);
  const signup = await ana.request('/auth/signup', {
    method: 'POST',
    headers: { 'x-forwarded-for': `192.0.2.${nextIp++}` },
    json: {
      organization: 'Acme',
      name: 'Ana Lopez',
      email: 'ana@acme.example',
      password: PASSWORD,
    },
  });
  expect(signup.status).toBe(201);
  const added = await ana.request('/api/admin/people', {
    method: 'POST',
    json: { name: 'Raj Patel', email: 'raj@acme.example', password: PASSWORD },
  });
  expect(added.status).toBe(201);
  await settings(ana, 'UTC');
  const tenantId = (await json(ana.request('/api/me'))).tenantId as string;
  return {
    app,
    zoom,
    ana,
    tenantId,
    context(extra = {}) {
      const now = Date.now();
      return sealAppContext(
        { typ: 'meeting', uid: ANA_ZOOM.id, ts: now, exp: now + 3_600_000, ...extra },
        zoom.clientSecret,
      );
    },
    webhook(body, timestampSeconds) {
      const text = JSON.stringify(body);
      return fetch(`${app.url}/zoom/webhooks`, {
        method: 'POST',
        headers: zoomWebhookHeaders(text, ZOOM_WEBHOOK_SECRET, timestampSeconds),
        body: text,
      });
    },
    async stop() {
      await app.stop();
      await zoom.stop();
    },
  };
}

/** In-client OAuth as the panel does it: session → authorize → consent → callback. */
export async function linkAnaInClient(org: ZoomOrg): Promise<void> {
  const context = org.context();
  const first = await fetch(`${org.app.url}/zoom/api/session`, {
    method: 'POST',
    headers: { 'x-zoom-app-context': context },
  });
  expect(first.status).toBe(401);
  const { authorize } = (await first.json()) as {
    authorize: { codeChallenge: string; state: string };
  };
  const code = org.zoom.consent(
    ANA_ZOOM.id,
    authorize.codeChallenge,
    `${org.app.url}/zoom/oauth/callback`,
  );
  const done = await fetch(`${org.app.url}/zoom/oauth/callback`, {
    method: 'POST',
    headers: { 'x-zoom-app-context': context, 'content-type': 'application/json' },
    body: JSON.stringify({ code, state: authorize.state }),
  });
  expect(done.status).toBe(200);
}
