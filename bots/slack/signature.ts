// Slack's request signature: `X-Slack-Signature` over `v0:{X-Slack-Request-Timestamp}:{body}`,
// timestamp in seconds, in the shared v0 scheme of core/webhooks/signatures.ts.
import { verifyV0Signature, type Verdict } from '../../core/webhooks/signatures.ts';

export function verifySlackSignature(input: {
  signingSecret: string;
  rawBody: Buffer;
  timestamp: string | undefined;
  signature: string | undefined;
  now?: number;
}): Verdict {
  return verifyV0Signature(
    input.signingSecret,
    input.rawBody,
    input.timestamp,
    input.signature,
    input.now ?? Date.now(),
    's',
  );
}
