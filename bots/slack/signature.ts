// Slack's request signature: `X-Slack-Signature` over `v0:{X-Slack-Request-Timestamp}:{body}`,
// timestamp in seconds, in the shared v0 scheme of core/webhooks/signatures.ts.
import {
  verifyV0Signature,
  type SignedRequest,
  type Verdict,
} from '../../core/webhooks/signatures.ts';

export function verifySlackSignature(
  input: Omit<SignedRequest, 'secret'> & { signingSecret: string },
): Verdict {
  const { signingSecret, ...request } = input;
  return verifyV0Signature({ ...request, secret: signingSecret });
}
