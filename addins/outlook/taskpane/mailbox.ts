/// <reference types="office-js" />
// Reading the open Outlook item and writing a chosen time into it. Only what the user asked
// for is changed: start, end, location (when a link type is chosen), and an agenda put in front
// of whatever the body already holds, in the body's own format (HTML or text).
import { call } from './office.ts';

export interface Person {
  email: string;
  name: string;
}

export interface InviteDraft {
  subject: string;
  required: Person[];
  optional: Person[];
  start: Date;
  end: Date;
}

function people(list: Office.EmailAddressDetails[] | undefined): Person[] {
  return (list ?? [])
    .filter((p) => p.emailAddress?.includes('@'))
    .map((p) => ({ email: p.emailAddress.toLowerCase(), name: p.displayName || p.emailAddress }));
}

export async function readInvite(item: Office.AppointmentCompose): Promise<InviteDraft> {
  const [subject, required, optional, start, end] = await Promise.all([
    call<string>((done) => item.subject.getAsync(done)),
    call<Office.EmailAddressDetails[]>((done) => item.requiredAttendees.getAsync(done)),
    call<Office.EmailAddressDetails[]>((done) => item.optionalAttendees.getAsync(done)),
    call<Date>((done) => item.start.getAsync(done)),
    call<Date>((done) => item.end.getAsync(done)),
  ]);
  return { subject, required: people(required), optional: people(optional), start, end };
}

/** The minutes between start and end, within what Quorum can search for (5 min to 8 h). */
export function durationOf(draft: { start: Date; end: Date }): number {
  const minutes = Math.round((draft.end.getTime() - draft.start.getTime()) / 60_000);
  if (!Number.isFinite(minutes) || minutes < 5) return 30;
  return Math.min(minutes, 480);
}

/**
 * The organizer's zone for showing times. Outlook gives an IANA name on the web and a Windows
 * name ("W. Europe Standard Time") on desktop; a name the browser cannot use is replaced by the
 * browser's own zone.
 */
export function organizerTimeZone(): string {
  const given = Office.context.mailbox.userProfile?.timeZone;
  if (given) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: given });
      return given;
    } catch {
      // a Windows zone name
    }
  }
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

export interface AgendaLine {
  topic: string;
  owner?: string | null;
}

/** Marks Quorum's agenda in the body, so choosing another time does not add it twice. */
export const AGENDA_MARK = 'Agenda (from Quorum)';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function agendaText(lines: AgendaLine[]): string {
  const items = lines.map((l, i) => `${i + 1}. ${l.topic}${l.owner ? ` (${l.owner})` : ''}`);
  return `${AGENDA_MARK}\n${items.join('\n')}\n\n`;
}

export function agendaHtml(lines: AgendaLine[]): string {
  const items = lines
    .map((l) => `<li>${escapeHtml(l.topic)}${l.owner ? ` (${escapeHtml(l.owner)})` : ''}</li>`)
    .join('');
  return `<div><p><b>${AGENDA_MARK}</b></p><ol>${items}</ol></div>`;
}

export interface WriteRequest {
  start: Date;
  end: Date;
  /**
   * Leave start and end as they are: the item already repeats and a new series is about to be
   * set, whose own times rule (classic Outlook refuses start/end changes on a series item).
   */
  keepTimes?: boolean;
  /** Set as the location when given (e.g. "Microsoft Teams Meeting"); else left as it is. */
  location?: string;
  agenda: AgendaLine[];
}

export interface WriteResult {
  agendaAdded: boolean;
  bodyType: 'html' | 'text';
}

export async function writeSlot(
  item: Office.AppointmentCompose,
  request: WriteRequest,
): Promise<WriteResult> {
  if (!request.keepTimes) {
    await call<void>((done) => item.start.setAsync(request.start, done));
    await call<void>((done) => item.end.setAsync(request.end, done));
  }
  if (request.location) {
    const location = request.location;
    await call<void>((done) => item.location.setAsync(location, done));
  }
  const type = await call<Office.CoercionType>((done) => item.body.getTypeAsync(done));
  const bodyType = type === Office.CoercionType.Html ? 'html' : 'text';
  const coercionType = bodyType === 'html' ? Office.CoercionType.Html : Office.CoercionType.Text;
  const existing = await call<string>((done) => item.body.getAsync(coercionType, done));
  if (request.agenda.length === 0 || existing.includes(AGENDA_MARK)) {
    return { agendaAdded: false, bodyType };
  }
  const agenda = bodyType === 'html' ? agendaHtml(request.agenda) : agendaText(request.agenda);
  await call<void>((done) => item.body.prependAsync(agenda, { coercionType }, done));
  return { agendaAdded: true, bodyType };
}

/** Recipients of an email being written (To and Cc). */
export async function readRecipients(item: Office.MessageCompose): Promise<Person[]> {
  const [to, cc] = await Promise.all([
    call<Office.EmailAddressDetails[]>((done) => item.to.getAsync(done)),
    call<Office.EmailAddressDetails[]>((done) => item.cc.getAsync(done)),
  ]);
  return people([...to, ...cc]);
}

export async function readSubject(item: Office.MessageCompose): Promise<string> {
  return call<string>((done) => item.subject.getAsync(done));
}

export interface Proposal {
  times: string[];
  links: Array<{ name: string; url: string }>;
}

/** Inserts the proposed times and poll links where the cursor is, in the body's format. */
export async function insertProposal(item: Office.MessageCompose, proposal: Proposal) {
  const type = await call<Office.CoercionType>((done) => item.body.getTypeAsync(done));
  const html = type === Office.CoercionType.Html;
  const intro = 'Would one of these times work?';
  const vote = proposal.links.length === 1 ? 'Pick the times that suit you:' : 'Pick yours:';
  const content = html
    ? `<p>${intro}</p><ul>${proposal.times.map((t) => `<li>${escapeHtml(t)}</li>`).join('')}</ul>` +
      `<p>${vote}</p><ul>${proposal.links
        .map(
          (l) =>
            `<li>${proposal.links.length > 1 ? `${escapeHtml(l.name)}: ` : ''}<a href="${escapeHtml(l.url)}">${escapeHtml(l.url)}</a></li>`,
        )
        .join('')}</ul>`
    : `${intro}\n${proposal.times.map((t) => `- ${t}`).join('\n')}\n${vote}\n${proposal.links
        .map((l) => `${proposal.links.length > 1 ? `${l.name}: ` : ''}${l.url}`)
        .join('\n')}\n`;
  await call<void>((done) =>
    item.body.setSelectedDataAsync(
      content,
      { coercionType: html ? Office.CoercionType.Html : Office.CoercionType.Text },
      done,
    ),
  );
  return content;
}

/** Attendees of a meeting being read: organizer, required and optional, each once. */
export function readMeetingPeople(item: Office.AppointmentRead): Person[] {
  const organizer = item.organizer ? people([item.organizer]) : [];
  const all = [...organizer, ...people(item.requiredAttendees), ...people(item.optionalAttendees)];
  const seen = new Map(all.map((p) => [p.email, p]));
  return [...seen.values()];
}
