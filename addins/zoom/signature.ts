// Zoom's webhook signature and its URL-validation challenge, in the shared v0 scheme of
// core/webhooks/signatures.ts.
import {
  hmacHex,
  verifyV0Signature,
  type SignedRequest,
  type Verdict,
} from '../../core/webhooks/signatures.ts';

/** Zoom: `x-zm-signature` over `v0:{x-zm-request-timestamp}:{body}`, timestamp in seconds. */
export function verifyZoomSignature(
  input: Omit<SignedRequest, 'secret'> & { secretToken: string },
): Verdict {
  const { secretToken, ...request } = input;
  return verifyV0Signature({ ...request, secret: secretToken });
}

/** Zoom's `endpoint.url_validation` challenge answer. */
export function zoomUrlValidation(secretToken: string, plainToken: string) {
  return { plainToken, encryptedToken: hmacHex(secretToken, plainToken) };
}
