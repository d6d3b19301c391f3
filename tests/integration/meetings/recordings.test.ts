// Recording uploads and the tenant's meeting settings: the size limit (413, nothing kept), a file
// that is not audio (failed, and deleted at once with a certificate), and tenant isolation on
// every meeting route.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyDeletionCertificate } from '../../../core/privacy/deletion-certificate.ts';
import { Browser, json, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';
import {
  TEAMS_VTT,
  issuedCertificate,
  organization,
  rawMeetingDocuments,
  waitForStatus,
  type Org,
} from './people.ts';

let app: TestQuorum;
let acme: Org;
let beta: Org;
let ana: Browser;
let raj: Browser;

const RAJ = { name: 'Raj Patel', email: 'raj@acme.example' };
const MIB = 1024 * 1024;

async function newMeeting(who: Browser): Promise<string> {
  const res = await who.request('/api/meetings', {
    method: 'POST',
    json: {
      title: 'Design review',
      startsAt: '2027-03-22T10:00:00Z',
      endsAt: '2027-03-22T11:00:00Z',
      participants: [RAJ],
    },
  });
  expect(res.status).toBe(201);
  return (await json(res)).id;
}

function recordingFiles(tenantId: string): string[] {
  const folder = path.join(app.quorum.config.dataDir, 'meetings', 'recordings', tenantId);
  try {
    return readdirSync(folder);
  } catch {
    return [];
  }
}

beforeAll(async () => {
  app = await startTestQuorum({ QUORUM_OPEN_SIGNUP: 'true' });
  acme = await organization(app, 'Acme', { name: 'Ana Lopez', email: 'ana@acme.example' }, [RAJ]);
  beta = await organization(app, 'Beta', { name: 'Bo Berg', email: 'bo@beta.example' });
  ana = acme.admin;
  raj = acme.members[RAJ.email]!;
});
afterAll(async () => {
  await app?.stop();
});

describe('meeting settings', () => {
  it('has defaults, and lets only an administrator change them, audited', async () => {
    expect(await json(ana.request('/api/admin/settings'))).toEqual({
      retentionDays: 30,
      transcriptionEngine: 'pocketsphinx',
      recordingLimitMb: 2048,
      summaryEngine: 'extractive',
      recordingLimit: '2 GiB',
    });
    expect((await raj.request('/api/admin/settings')).status).toBe(403);
    const put = (body: unknown, who = ana) =>
      who.request('/api/admin/settings', { method: 'PUT', json: body });
    expect((await put({ retentionDays: 7 }, raj)).status).toBe(403);

    for (const [body, message] of [
      [{ retentionDays: 0 }, /^retentionDays: /],
      [{ retentionDays: 366 }, /^retentionDays: /],
      [{ recordingLimitMb: 4096 }, /^recordingLimitMb: /],
      [{ transcriptionEngine: 'azure-speech' }, /azure-speech is not available.*pocketsphinx/],
      [{}, /at least one of retentionDays/],
      [{ retention: 7 }, /retention/],
    ] as const) {
      const res = await put(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await json(res)).message).toMatch(message);
    }

    const res = await put({ retentionDays: 90, recordingLimitMb: 2048 });
    expect(res.status).toBe(200);
    expect((await json(res)).retentionDays).toBe(90);
    const audit = await json(ana.request('/api/audit?limit=50'));
    expect(audit.entries).toContainEqual(
      expect.objectContaining({
        action: 'settings.changed',
        details: {
          changed: ['retentionDays'],
          from: { retentionDays: 30 },
          to: { retentionDays: 90 },
        },
      }),
    );
  });
});

describe('recording uploads', () => {
  it('refuses a recording over the limit with 413, keeping nothing of it', async () => {
    expect(
      (await ana.request('/api/admin/settings', { method: 'PUT', json: { recordingLimitMb: 1 } }))
        .status,
    ).toBe(200);
    const id = await newMeeting(ana);

    // Declared too large: refused before a byte is read.
    const declared = await ana.request(`/api/meetings/${id}/audio`, {
      method: 'POST',
      headers: { 'content-type': 'audio/wav' },
      body: Buffer.alloc(1.5 * MIB, 7),
    });
    expect(declared.status).toBe(413);
    expect(await json(declared)).toMatchObject({
      error: 'recording_too_large',
      message: expect.stringContaining('larger than the limit of 1 MiB'),
    });

    // Sent in chunks with no declared size: stopped the moment it passes the limit.
    const chunks = Readable.from(
      (function* () {
        for (let i = 0; i < 24; i++) yield Buffer.alloc(64 * 1024, i);
      })(),
    );
    const streamed = await ana.request(`/api/meetings/${id}/audio`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: Readable.toWeb(chunks) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);

    expect(recordingFiles(acme.tenantId)).toEqual([]);
    const raw = await rawMeetingDocuments(app, acme.tenantId);
    expect(raw.meeting_sources ?? []).toEqual([]);
    expect((await json(ana.request(`/api/meetings/${id}`))).status).toBe('scheduled');

    const wrongType = await ana.request(`/api/meetings/${id}/audio`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(wrongType.status).toBe(415);
    await ana.request('/api/admin/settings', { method: 'PUT', json: { recordingLimitMb: 2048 } });
  });

  it('marks a file that is not audio failed, and deletes it at once with a certificate', async () => {
    const id = await newMeeting(ana);
    const res = await ana.request(`/api/meetings/${id}/audio`, {
      method: 'POST',
      headers: { 'content-type': 'audio/wav' },
      body: 'These are meeting notes, not a recording.\n'.repeat(100),
    });
    expect(res.status).toBe(202);
    expect(await json(res)).toEqual({ status: 'queued', bytes: 4200, engine: 'pocketsphinx' });
    const second = await raj.request(`/api/meetings/${id}/captions`, {
      method: 'POST',
      headers: { 'content-type': 'text/vtt' },
      body: TEAMS_VTT,
    });
    expect(second.status).toBe(409);

    const meeting = await waitForStatus(raj, id, ['failed', 'ready']);
    expect(meeting.status).toBe('failed');
    expect(meeting.failure.reason).toMatch(/^ffmpeg could not read the recording as audio/);
    expect(recordingFiles(acme.tenantId)).toEqual([]);
    const text = await issuedCertificate(ana, meeting.recording.certificateId);
    const keys = await json(fetch(`${app.url}/.well-known/quorum-certificate-keys.json`));
    const verdict = verifyDeletionCertificate(text, keys);
    expect(verdict).toMatchObject({
      valid: true,
      certificate: { deleted: { 'audio recordings': 1, 'audio bytes': 4200 } },
    });

    // A failed transcription may be retried with another recording (here: captions).
    const retry = await raj.request(`/api/meetings/${id}/captions`, {
      method: 'POST',
      headers: { 'content-type': 'text/vtt' },
      body: TEAMS_VTT,
    });
    expect(retry.status).toBe(202);
    expect((await waitForStatus(raj, id, ['ready', 'failed'])).status).toBe('ready');
  });
});

describe('tenant isolation', () => {
  it("gives another tenant 404 on every meeting route for this tenant's meeting", async () => {
    const id = await newMeeting(ana);
    const bo = beta.admin;
    const attempts: Array<[string, string, RequestInit & { json?: unknown }]> = [
      ['GET', `/api/meetings/${id}`, {}],
      ['GET', `/api/meetings/${id}/agenda`, {}],
      [
        'POST',
        `/api/meetings/${id}/captions`,
        { headers: { 'content-type': 'text/vtt' }, body: TEAMS_VTT },
      ],
      [
        'POST',
        `/api/meetings/${id}/audio`,
        { headers: { 'content-type': 'audio/wav' }, body: 'RIFF' },
      ],
      ['PATCH', `/api/meetings/${id}/action-items/0`, { json: { done: true } }],
      ['DELETE', `/api/meetings/${id}`, {}],
    ];
    for (const [method, route, init] of attempts) {
      const res = await bo.request(route, { method, ...init });
      expect(res.status, `${method} ${route}`).toBe(404);
    }
    // By API key too.
    const { key } = await json(
      bo.request('/api/admin/api-keys', {
        method: 'POST',
        json: { name: 'beta bot', permissions: ['meetings:read', 'meetings:write'] },
      }),
    );
    for (const [method, route, init] of attempts) {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${key}`);
      if (init.json) headers.set('content-type', 'application/json');
      const res = await fetch(app.url + route, {
        method,
        headers,
        body: init.json ? JSON.stringify(init.json) : (init.body ?? null),
      });
      expect(res.status, `api key ${method} ${route}`).toBe(404);
    }
    const meeting = await json(ana.request(`/api/meetings/${id}`));
    expect(meeting.status).toBe('scheduled');
    expect((await json(bo.request('/api/meetings'))).meetings).toEqual([]);
  });
});
