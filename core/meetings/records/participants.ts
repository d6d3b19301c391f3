// A meeting's people: each e-mail once, and the key that finds earlier meetings of the same set.
import { createHash } from 'node:crypto';
import type { MeetingParticipant } from '../models.ts';

export function sameEmail(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** Everyone invited, organizer first, each e-mail once. */
export function participantList(
  organizer: MeetingParticipant,
  others: ReadonlyArray<{ email: string; name?: string | null }>,
): MeetingParticipant[] {
  const seen = new Map<string, MeetingParticipant>();
  for (const p of [organizer, ...others]) {
    const email = p.email.trim().toLowerCase();
    if (!seen.has(email)) seen.set(email, { email, name: p.name?.trim() || null });
  }
  return [...seen.values()];
}

export function attendeeKeyOf(participantEmails: readonly string[]): string {
  return createHash('sha256')
    .update([...participantEmails].sort().join('\n'))
    .digest('base64url')
    .slice(0, 32);
}
