// Renders a message as plain text and HTML: the same words in both, times in the recipient's
// time zone, links written out in full, and a footer saying why the recipient got it. No
// tracking: no pixels, no remote images, no rewritten links, no scripts.
import { DateTime } from 'luxon';
import { zoneNamed } from '../time-zones.ts';
import {
  headerText,
  safeRecipient,
  type CalendarPart,
  type Recipient,
  type RenderedEmail,
} from './message.ts';

export interface EmailAction {
  label: string;
  url: string;
}

export interface EmailContent {
  to: Recipient;
  subject: string;
  /** The first line, e.g. "Ana invited you to a meeting." */
  heading: string;
  /** When, in `timeZone` (the recipient's, or the one a guest chose). */
  when?: { start: Date; end: Date; timeZone: string };
  /** Further paragraphs, plain text. */
  paragraphs?: string[];
  actions?: EmailAction[];
  /** Why the recipient got this message; the footer. */
  why: string;
  calendar?: CalendarPart;
}

/** "Tuesday 23 March 2027, 10:00–10:30 (Europe/Berlin)" in the zone given. */
export function formatWhen(when: { start: Date; end: Date; timeZone: string }): string {
  const zone = zoneNamed(when.timeZone).isValid ? zoneNamed(when.timeZone) : 'UTC';
  const start = DateTime.fromJSDate(when.start, { zone }).setLocale('en-GB');
  const end = DateTime.fromJSDate(when.end, { zone }).setLocale('en-GB');
  const sameDay = start.hasSame(end, 'day');
  const endText = sameDay ? end.toFormat('HH:mm') : end.toFormat('cccc d LLLL yyyy, HH:mm');
  const zoneName = typeof zone === 'string' ? zone : zone.name;
  return `${start.toFormat('cccc d LLLL yyyy, HH:mm')}–${endText} (${zoneName})`;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Only links of this Quorum's own kind (http/https) become anchors; anything else is text. */
const isWebLink = (url: string) => /^https?:\/\/[^\s"<>]+$/.test(url);

export function renderEmail(content: EmailContent): RenderedEmail {
  const to = safeRecipient(content.to);
  const when = content.when ? formatWhen(content.when) : undefined;
  const paragraphs = [
    content.heading,
    ...(when ? [`When: ${when}`] : []),
    ...(content.paragraphs ?? []),
  ];
  const actions = (content.actions ?? []).filter((a) => isWebLink(a.url));
  const footer = `You got this email because ${content.why} Sent by Quorum; it contains no tracking.`;
  const text = [...paragraphs, ...actions.map((a) => `${a.label}: ${a.url}`), '--', footer].join(
    '\n\n',
  );
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif">',
    ...paragraphs.map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`),
    ...actions.map((a) => `<p><a href="${escapeHtml(a.url)}">${escapeHtml(a.label)}</a></p>`),
    `<hr><p style="color:#666;font-size:12px">${escapeHtml(footer)}</p>`,
    '</body></html>',
  ].join('\n');
  return {
    to,
    subject: headerText(content.subject),
    text: `${text}\n`,
    html,
    ...(content.calendar ? { calendar: content.calendar } : {}),
  };
}
