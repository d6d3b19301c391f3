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

/** Ana and Raj at Acme with Zoom on; `env` adds settings (another platform, live audio…). */
export async function zoomOrg(env: Record<string, string> = {}): Promise<ZoomOrg> {
  const zoom = await startFakeZoom();
  zoom.users.set(ANA_ZOOM.id, ANA_ZOOM);
  const app = await startTestQuorum({
    ZOOM_CLIENT_ID: zoom.clientId,
    ZOOM_CLIENT_SECRET: zoom.clientSecret,
    ZOOM_WEBHOOK_SECRET_TOKEN: ZOOM_WEBHOOK_SECRET,
    ZOOM_API_URL: zoom.apiUrl,
    ZOOM_OAUTH_URL: zoom.oauthUrl,
    // A failed transcript download is tried again after 0.05 s, 0.2 s, 0.8 s…
    ZOOM_TRANSCRIPT_RETRY_SECONDS: '0.05',
    ...env,
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

export const TRANSCRIPT_VTT = `WEBVTT

1
00:00:01.200 --> 00:00:05.900
Ana Lopez: We agreed to ship the beta on Friday.

2
00:00:06.100 --> 00:00:10.400
Raj Patel: I will write the release notes by Thursday.
`;

export interface TranscriptEventOptions {
  meetingId: string;
  uuid: string;
  /** The file's name on the fake Zoom's file server. */
  file: string;
  token: string;
  eventTs: number;
  topic: string;
}

/** recording.transcript_completed as Zoom documents it, for a meeting Ana hosted. */
export function zoomTranscriptEvent(org: ZoomOrg, options: TranscriptEventOptions) {
  return {
    event: 'recording.transcript_completed',
    event_ts: options.eventTs,
    payload: {
      account_id: ANA_ZOOM.accountId,
      object: {
        uuid: options.uuid,
        id: Number(options.meetingId),
        account_id: ANA_ZOOM.accountId,
        host_id: ANA_ZOOM.id,
        host_email: ANA_ZOOM.email,
        topic: options.topic,
        type: 2,
        start_time: '2026-11-20T15:00:00Z',
        timezone: 'UTC',
        duration: 30,
        total_size: TRANSCRIPT_VTT.length,
        recording_count: 1,
        recording_files: [
          {
            id: 'c4b1e1a0-7f0e-4f7a-9a52-6b0b6a0c1a11',
            meeting_id: options.uuid,
            recording_start: '2026-11-20T15:00:05Z',
            recording_end: '2026-11-20T15:29:40Z',
            file_type: 'TRANSCRIPT',
            file_extension: 'VTT',
            file_size: TRANSCRIPT_VTT.length,
            download_url: `${org.zoom.url}/rec/download/${options.file}`,
            status: 'completed',
            recording_type: 'audio_transcript',
          },
        ],
      },
    },
    download_token: options.token,
  };
}
