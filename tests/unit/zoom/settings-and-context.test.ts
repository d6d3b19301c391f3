// Zoom's settings turn the adapter on only when complete, and the X-Zoom-App-Context header
// opens only when Zoom sealed it for this app and it has not expired.
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptAppContext } from '../../../addins/zoom/middleware/app-context.ts';
import { segmentsToVtt } from '../../../addins/zoom/listeners/live.ts';
import { loadConfig } from '../../../infra/server/config.ts';
import { readWebVtt } from '../../../core/speech/index.ts';
import { sealAppContext } from '../../support/fake-zoom.ts';

const SECRET = 'zoom-client-secret-for-unit-tests';
const ZOOM = {
  ZOOM_CLIENT_ID: 'zoomClientId',
  ZOOM_CLIENT_SECRET: SECRET,
  ZOOM_WEBHOOK_SECRET_TOKEN: 'webhook-secret-token-0123',
};

describe('Zoom settings', () => {
  it('are off when none is set, on with Zoom’s URLs when all three are', () => {
    const off = loadConfig({});
    expect(off.ok && off.config.zoom).toBeUndefined();
    const on = loadConfig(ZOOM);
    expect(on.ok && on.config.zoom).toEqual({
      clientId: 'zoomClientId',
      clientSecret: SECRET,
      webhookSecretToken: 'webhook-secret-token-0123',
      apiUrl: 'https://api.zoom.us/v2/',
      oauthUrl: 'https://zoom.us/',
      rtms: false,
      transcriptRetrySeconds: 30,
    });
  });

  it('refuse a transcript retry wait that would outlive the download token', () => {
    const long = loadConfig({ ...ZOOM, ZOOM_TRANSCRIPT_RETRY_SECONDS: '600' });
    expect(long.ok).toBe(false);
    expect(JSON.stringify(long)).toContain('ZOOM_TRANSCRIPT_RETRY_SECONDS');
    const quick = loadConfig({ ...ZOOM, ZOOM_TRANSCRIPT_RETRY_SECONDS: '0.05' });
    expect(quick.ok && quick.config.zoom?.transcriptRetrySeconds).toBe(0.05);
  });

  it('name what is missing when half set, without echoing a secret', () => {
    const half = loadConfig({ ZOOM_CLIENT_ID: 'x', ZOOM_CLIENT_SECRET: SECRET });
    expect(half).toEqual({
      ok: false,
      problems: [
        'ZOOM_WEBHOOK_SECRET_TOKEN: Zoom needs ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET and ZOOM_WEBHOOK_SECRET_TOKEN together',
      ],
    });
    const short = loadConfig({ ...ZOOM, ZOOM_WEBHOOK_SECRET_TOKEN: 'short-s3cret' });
    expect(short.ok).toBe(false);
    expect(JSON.stringify(short)).not.toContain('short-s3cret');
  });
});

describe('the Zoom app context', () => {
  const now = Date.now();
  const context = {
    typ: 'meeting',
    uid: 'KdYKjnimT4KPd8FFgQt9FQ',
    mid: 'CCCC==',
    ts: now,
    exp: now + 60_000,
    theme: 'light',
  };

  it('opens a context sealed by Zoom for this app', () => {
    expect(decryptAppContext(sealAppContext(context, SECRET), SECRET, now)).toEqual(context);
  });

  it('opens one with additional data, as Zoom may send', () => {
    const key = createHash('sha256').update(SECRET).digest();
    const iv = randomBytes(12);
    const aad = Buffer.from('zoom-aad');
    const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(aad);
    const text = Buffer.concat([cipher.update(JSON.stringify(context)), cipher.final()]);
    const header = Buffer.concat([
      Buffer.from([iv.length]),
      iv,
      Buffer.from([aad.length, 0]),
      aad,
      Buffer.from([text.length & 0xff, text.length >> 8, 0, 0]),
      text,
      cipher.getAuthTag(),
    ]).toString('base64');
    expect(decryptAppContext(header, SECRET, now).uid).toBe(context.uid);
  });

  it('refuses another app’s, a tampered, an expired, a truncated or a missing context', () => {
    const sealed = sealAppContext(context, SECRET);
    expect(() => decryptAppContext(sealed, 'another-apps-client-secret', now)).toThrow(
      /not sealed by Zoom/,
    );
    const bytes = Buffer.from(sealed, 'base64');
    bytes[bytes.length - 20]! ^= 1;
    expect(() => decryptAppContext(bytes.toString('base64'), SECRET, now)).toThrow(
      /not sealed by Zoom/,
    );
    expect(() => decryptAppContext(sealed, SECRET, now + 120_000)).toThrow(/expired/);
    expect(() => decryptAppContext(sealed.slice(0, 20), SECRET, now)).toThrow(/truncated|tag/);
    expect(() => decryptAppContext(undefined, SECRET, now)).toThrow(/no Zoom app context/);
    const noUser = sealAppContext({ typ: 'panel', ts: now, exp: now + 60_000 }, SECRET);
    expect(() => decryptAppContext(noUser, SECRET, now)).toThrow(/lacks its user/);
  });
});

describe('live RTMS segments', () => {
  it('become Zoom-style WebVTT the captions reader understands', () => {
    const vtt = segmentsToVtt([
      {
        speaker: 'Ana Lopez',
        startMs: 1_700_000_001_000,
        endMs: 1_700_000_004_000,
        text: 'Ship it on Friday.',
      },
      {
        speaker: 'Raj Patel',
        startMs: 1_700_000_005_000,
        endMs: 1_700_000_005_200,
        text: ' I will  write the notes. ',
      },
    ]);
    const cues = readWebVtt(vtt);
    expect(cues.map((c) => [c.speaker, c.text, c.startMs])).toEqual([
      ['Ana Lopez', 'Ship it on Friday.', 0],
      ['Raj Patel', 'I will write the notes.', 4000],
    ]);
  });
});
