// Zoom's webhook signature and its URL-validation challenge, in the shared v0 scheme of
// core/webhooks/signatures.ts.
import { hmacHex, verifyV0Signature, type Verdict } from '../../core/webhooks/signatures.ts';

/** Zoom: `x-zm-signature` over `v0:{x-zm-request-timestamp}:{body}`, timestamp in seconds. */
export function verifyZoomSignature(input: {
  secretToken: string;
  rawBody: Buffer;
  timestamp: string | undefined;
  signature: string | undefined;
  now?: number;
}): Verdict {
  return verifyV0Signature(
    input.secretToken,
    input.rawBody,
    input.timestamp,
    input.signature,
    input.now ?? Date.now(),
    's',
  );
}

/** Zoom's `endpoint.url_validation` challenge answer. */
export function zoomUrlValidation(secretToken: string, plainToken: string) {
  return { plainToken, encryptedToken: hmacHex(secretToken, plainToken) };
}
