import type { Mention } from './types.ts';
import { CommandTextError, consume, quoted } from './text-scan.ts';
import { decodeEntities } from './title.ts';

export const MAX_ATTENDEES = 100;

const EMAIL = String.raw`[\w.%+-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}`;
const WHOLE_EMAIL = new RegExp(`^${EMAIL}$`);

// Order matters: the encoded forms contain "@" and would otherwise be read as handles.
// Slack: <@U123ABC> and <@U123ABC|ana> (the id is what identifies the person).
const SLACK_USER = /<@([A-Za-z0-9]+)(?:\|[^>]*)?>/g;
// Slack: <mailto:ana@example.com|ana@example.com>
const SLACK_MAILTO = /<mailto:([^|>\s]+)(?:\|[^>]*)?>/gi;
// Teams: <at>Ana Lopez</at>
const TEAMS_AT = /<at>([^<]*)<\/at>/gi;
// The look-behind keeps a scan linear: it only starts at the beginning of a word.
const BARE_EMAIL = new RegExp(`(?<![\\w.%+-])(${EMAIL})(?![\\w-])`, 'g');
// @ana, @ana.lopez, @raj_k (a trailing dot is punctuation, not part of the handle)
const HANDLE = /(?<![\w.@])@([A-Za-z0-9](?:[\w.-]*[A-Za-z0-9_])?)/g;

/** Takes every attendee out of the text, in the order typed, without repeats. */
export function readMentions(text: string): { text: string; attendees: Mention[] } {
  const found: { at: number; mention: Mention }[] = [];
  const email = (at: number, address: string) => {
    if (!WHOLE_EMAIL.test(address)) {
      throw new CommandTextError(`${quoted(address)} is not an email address.`);
    }
    // Addresses are compared case-insensitively by every calendar Quorum talks to.
    found.push({ at, mention: { kind: 'email', email: address.toLowerCase() } });
  };
  const user = (at: number, ref: string) => {
    if (ref !== '') found.push({ at, mention: { kind: 'user', ref } });
  };

  let rest = consume(text, SLACK_USER, (m) => user(m.index, m[1] ?? ''));
  rest = consume(rest, SLACK_MAILTO, (m) => email(m.index, decodeEntities(m[1] ?? '')));
  rest = consume(rest, TEAMS_AT, (m) => user(m.index, decodeEntities(m[1] ?? '').trim()));
  rest = consume(rest, BARE_EMAIL, (m) => email(m.index, m[1] ?? ''));
  rest = consume(rest, HANDLE, (m) => user(m.index, m[1] ?? ''));

  const attendees: Mention[] = [];
  const seen = new Set<string>();
  for (const { mention } of found.sort((a, b) => a.at - b.at)) {
    const key =
      mention.kind === 'user' ? `user:${mention.ref.toLowerCase()}` : `email:${mention.email}`;
    if (seen.has(key)) continue;
    seen.add(key);
    attendees.push(mention);
  }
  if (attendees.length > MAX_ATTENDEES) {
    throw new CommandTextError(
      `That is ${attendees.length} attendees; Quorum schedules at most ${MAX_ATTENDEES} at once.`,
    );
  }
  return { text: rest, attendees };
}

export function describeMention(mention: Mention): string {
  return mention.kind === 'user' ? `@${mention.ref}` : mention.email;
}
