// The webhook signature scheme every inbound webhook shares: HMAC-SHA256 over the raw body
// bytes (verified before any JSON parsing), compared in constant time, within a 5-minute
// window. Each platform's own header names live with its adapter (bots/slack/signature.ts,
// addins/zoom/signature.ts); Bot Framework activities are verified by the Teams SDK against the
// Bot Connector's OpenID metadata, not here.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const REPLAY_WINDOW_MS = 5 * 60 * 1000;
export const MAX_WEBHOOK_BYTES = 1024 * 1024;

export type Verdict = { ok: true; deliveryId: string } | { ok: false; reason: string };

export function hmacHex(secret: string | Uint8Array, payload: Buffer | string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

export function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  // Compare equal-length buffers always, so the length check leaks nothing useful either.
  return timingSafeEqual(x.length === y.length ? x : y, y) && x.length === y.length;
}

function timestampProblem(
  timestamp: string | undefined,
  now: number,
  unit: 's' | 'ms',
): string | undefined {
  if (!timestamp || !/^\d{1,16}$/.test(timestamp)) return 'missing or malformed timestamp';
  const ms = unit === 's' ? Number(timestamp) * 1000 : Number(timestamp);
  if (Math.abs(now - ms) > REPLAY_WINDOW_MS) return 'timestamp outside the 5-minute window';
  return undefined;
}

/** What a v0 signature check reads: the shared secret, the raw body and the two headers. */
export interface SignedRequest {
  secret: string;
  rawBody: Buffer;
  timestamp: string | undefined;
  signature: string | undefined;
  /** The time to check the timestamp against; now by default. */
  now?: number;
}

/**
 * `v0` HMAC-SHA256 signatures over `v0:{timestamp}:{body}`, timestamp in seconds (Slack, Zoom
 * and Quorum's own outgoing webhooks use this scheme).
 */
export function verifyV0Signature(request: SignedRequest): Verdict {
  const { secret, rawBody, timestamp, signature } = request;
  if (rawBody.length > MAX_WEBHOOK_BYTES) return { ok: false, reason: 'body over 1 MB' };
  const stale = timestampProblem(timestamp, request.now ?? Date.now(), 's');
  if (stale) return { ok: false, reason: stale };
  if (!signature?.startsWith('v0=')) return { ok: false, reason: 'missing signature' };
  const expected = `v0=${hmacHex(secret, Buffer.concat([Buffer.from(`v0:${timestamp}:`), rawBody]))}`;
  if (!constantTimeEqual(signature, expected)) return { ok: false, reason: 'signature mismatch' };
  return { ok: true, deliveryId: signature };
}

/** Quorum's own outgoing webhooks, signed the same way with a per-subscriber secret. */
export function signOutgoingWebhook(secret: string, rawBody: string, now = Date.now()) {
  const timestamp = String(Math.floor(now / 1000));
  return {
    'X-Quorum-Request-Timestamp': timestamp,
    'X-Quorum-Signature': `v0=${hmacHex(secret, `v0:${timestamp}:${rawBody}`)}`,
  };
}

export function verifyOutgoingWebhook(request: SignedRequest): Verdict {
  return verifyV0Signature(request);
}
