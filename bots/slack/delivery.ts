// What identifies one Slack delivery, so a retry of it is recognised: events carry an
// event_id that retries repeat; commands, shortcuts and interactions a trigger_id unique to
// the person's one action.
import { createHash } from 'node:crypto';

export function deliveryIdentity(body: Record<string, unknown>, raw?: Buffer): string {
  if (typeof body.event_id === 'string' && body.event_id !== '') return `event:${body.event_id}`;
  if (typeof body.trigger_id === 'string' && body.trigger_id !== '') {
    return `trigger:${body.trigger_id}`;
  }
  const bytes = raw ?? Buffer.from(JSON.stringify(body));
  return `body:${createHash('sha256').update(bytes).digest('base64url')}`;
}

/** Slack's own request body: JSON for events, a form for commands, `payload=` for interactions. */
export function parseSlackBody(
  raw: Buffer,
  contentType: string | undefined,
): Record<string, unknown> {
  const text = raw.toString('utf8');
  if (contentType?.startsWith('application/json')) {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new SyntaxError('the JSON body is not an object');
    }
    return parsed as Record<string, unknown>;
  }
  const form = new URLSearchParams(text);
  const payload = form.get('payload');
  if (payload !== null) {
    const parsed: unknown = JSON.parse(payload);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new SyntaxError('the payload is not an object');
    }
    return parsed as Record<string, unknown>;
  }
  return Object.fromEntries(form);
}
