import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyZoomSignature, zoomUrlValidation } from '../../../addins/zoom/signature.ts';
import { verifySlackSignature } from '../../../bots/slack/signature.ts';
import { signOutgoingWebhook, verifyOutgoingWebhook } from '../../../core/webhooks/signatures.ts';
import { verifyGraphClientState } from '../../../infra/providers/microsoft/graph-notifications.ts';

const secret = 'test-signing-secret-8f3e';
const now = Date.parse('2026-03-23T10:00:00Z');
const ts = String(now / 1000);
const body = Buffer.from('token=x&command=%2Fmeet&text=find+30m+with+%40ana');
// Computed independently of the module under test, the way Slack documents it.
const slackSig = 'v0=' + createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex');

describe('Slack and Zoom v0 signatures', () => {
  it('accepts a correct signature within the window', () => {
    expect(
      verifySlackSignature({
        signingSecret: secret,
        rawBody: body,
        timestamp: ts,
        signature: slackSig,
        now,
      }),
    ).toMatchObject({ ok: true });
    expect(
      verifyZoomSignature({
        secretToken: secret,
        rawBody: body,
        timestamp: ts,
        signature: slackSig,
        now,
      }),
    ).toMatchObject({ ok: true });
  });

  it('rejects a wrong secret, an altered body, a missing or malformed signature', () => {
    const cases = [
      verifySlackSignature({
        signingSecret: 'other',
        rawBody: body,
        timestamp: ts,
        signature: slackSig,
        now,
      }),
      verifySlackSignature({
        signingSecret: secret,
        rawBody: Buffer.from(body + 'x'),
        timestamp: ts,
        signature: slackSig,
        now,
      }),
      verifySlackSignature({
        signingSecret: secret,
        rawBody: body,
        timestamp: ts,
        signature: undefined,
        now,
      }),
      verifySlackSignature({
        signingSecret: secret,
        rawBody: body,
        timestamp: ts,
        signature: 'v0=abc',
        now,
      }),
      verifySlackSignature({
        signingSecret: secret,
        rawBody: body,
        timestamp: ts,
        signature: slackSig.replace('v0=', 'v1='),
        now,
      }),
    ];
    expect(cases.map((c) => c.ok)).toEqual([false, false, false, false, false]);
  });

  it('rejects timestamps older or newer than 5 minutes, and garbage timestamps', () => {
    const sign = (t: string) =>
      'v0=' + createHmac('sha256', secret).update(`v0:${t}:${body}`).digest('hex');
    const old = String(now / 1000 - 301);
    const future = String(now / 1000 + 301);
    const edge = String(now / 1000 - 299);
    expect(
      verifySlackSignature({
        signingSecret: secret,
        rawBody: body,
        timestamp: old,
        signature: sign(old),
        now,
      }),
    ).toMatchObject({ ok: false, reason: 'timestamp outside the 5-minute window' });
    expect(
      verifySlackSignature({
        signingSecret: secret,
        rawBody: body,
        timestamp: future,
        signature: sign(future),
        now,
      }).ok,
    ).toBe(false);
    expect(
      verifySlackSignature({
        signingSecret: secret,
        rawBody: body,
        timestamp: edge,
        signature: sign(edge),
        now,
      }).ok,
    ).toBe(true);
    expect(
      verifySlackSignature({
        signingSecret: secret,
        rawBody: body,
        timestamp: '1e9',
        signature: slackSig,
        now,
      }).ok,
    ).toBe(false);
  });

  it('refuses bodies over 1 MB before computing anything', () => {
    const big = Buffer.alloc(1024 * 1024 + 1, 'a');
    expect(
      verifySlackSignature({
        signingSecret: secret,
        rawBody: big,
        timestamp: ts,
        signature: slackSig,
        now,
      }),
    ).toMatchObject({ ok: false, reason: 'body over 1 MB' });
  });
});

describe('Zoom url_validation', () => {
  it('answers with the HMAC-SHA256 of the plain token, hex', () => {
    const answer = zoomUrlValidation(secret, 'qgg8vlvZRS6UYooatFL8Aw');
    expect(answer).toEqual({
      plainToken: 'qgg8vlvZRS6UYooatFL8Aw',
      encryptedToken: createHmac('sha256', secret).update('qgg8vlvZRS6UYooatFL8Aw').digest('hex'),
    });
  });
});

describe('Graph clientState', () => {
  it('requires every notification in a batch to carry the expected clientState', () => {
    expect(verifyGraphClientState([{ clientState: 'abc', subscriptionId: 's1' }], 'abc').ok).toBe(
      true,
    );
    expect(verifyGraphClientState([{ clientState: 'abc' }, { clientState: 'abd' }], 'abc').ok).toBe(
      false,
    );
    expect(verifyGraphClientState([{}], 'abc').ok).toBe(false);
    expect(verifyGraphClientState([], 'abc').ok).toBe(false);
  });
});

describe("Quorum's outgoing webhooks", () => {
  it('are signed so that a subscriber can verify them, and tampering is detected', () => {
    const payload = JSON.stringify({ event: 'meeting.summarized', meetingId: 'm1' });
    const headers = signOutgoingWebhook('subscriber-secret', payload, now);
    const input = {
      secret: 'subscriber-secret',
      rawBody: Buffer.from(payload),
      timestamp: headers['X-Quorum-Request-Timestamp'],
      signature: headers['X-Quorum-Signature'],
      now,
    };
    expect(verifyOutgoingWebhook(input).ok).toBe(true);
    expect(
      verifyOutgoingWebhook({ ...input, rawBody: Buffer.from(payload.replace('m1', 'm2')) }).ok,
    ).toBe(false);
    expect(verifyOutgoingWebhook({ ...input, secret: 'another-subscriber' }).ok).toBe(false);
  });
});
