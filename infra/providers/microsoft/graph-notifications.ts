// Microsoft Graph change notifications: no signature, but each carries the clientState Quorum
// chose when subscribing, and every notification in a batch must match it.
import { constantTimeEqual, type Verdict } from '../../../core/webhooks/signatures.ts';

export function verifyGraphClientState(
  notifications: Array<{ clientState?: string; subscriptionId?: string }>,
  expectedClientState: string,
): Verdict {
  if (notifications.length === 0) return { ok: false, reason: 'no notifications' };
  for (const n of notifications) {
    if (!n.clientState || !constantTimeEqual(n.clientState, expectedClientState)) {
      return { ok: false, reason: 'clientState mismatch' };
    }
  }
  return { ok: true, deliveryId: notifications.map((n) => n.subscriptionId ?? '').join(',') };
}
