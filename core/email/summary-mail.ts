// A meeting's summary by email after the meeting, as a delivery channel of the one outbox
// consumer (core/delivery): to the participants of the organization who opted in (their email
// settings: `summaries`), and to participants outside it only when the organizer chose so
// (`summariesToGuests`). The email carries the summary, decisions, open questions and action
// items — never a word of the transcript.
import { summaryChannel, type DeliveryChannel } from '../delivery/channel.ts';
import type { ShareSummary } from '../assistant/share.ts';
import { findActiveTenantUsersByEmails } from '../identity/users.ts';
import type { Store } from '../store/store.ts';
import type { EmailOutbox } from './outbox.ts';
import { emailPreferencesOf } from './preferences.ts';
import { renderEmail } from './render.ts';

/** The tenant-wide reader the channel reads meetings as, like the chat adapters' channels. */
const SUMMARY_READER = { kind: 'api-key', keyId: 'email-summaries' } as const;

export interface SummaryMailDeps {
  outbox: EmailOutbox;
  store: Store;
  share: () => Pick<ShareSummary, 'summary'>;
}

export function summaryMailChannel(deps: SummaryMailDeps): DeliveryChannel {
  return summaryChannel('email', (tenantId, meetingId) => send(deps, tenantId, meetingId));
}

async function send(deps: SummaryMailDeps, tenantId: string, meetingId: string) {
  const shared = await deps.share().summary(tenantId, meetingId, SUMMARY_READER);
  const summary = shared?.meeting.summary;
  if (!shared || !summary) return;
  const { ctx, meeting } = shared;
  const emails = [meeting.organizerEmail, ...meeting.participants.map((p) => p.email)];
  const members = await findActiveTenantUsersByEmails(deps.store, ctx.tenantId, emails);
  const memberEmails = new Set(members.map((m) => m.email));
  const organizer = members.find((m) => m.email === meeting.organizerEmail);
  const toGuests = organizer
    ? (await emailPreferencesOf(deps.store, ctx, organizer._id)).summariesToGuests
    : false;
  const recipients: Array<{ email: string; name?: string }> = [];
  for (const member of members) {
    if ((await emailPreferencesOf(deps.store, ctx, member._id)).summaries) {
      recipients.push({ email: member.email, name: member.name });
    }
  }
  if (toGuests) {
    for (const p of meeting.participants) {
      if (!memberEmails.has(p.email))
        recipients.push({ email: p.email, ...(p.name ? { name: p.name } : {}) });
    }
  }
  const section = (title: string, lines: string[]) =>
    lines.length > 0 ? [`${title}:\n${lines.map((l) => `• ${l}`).join('\n')}`] : [];
  const items = meeting.actionItems.map(
    (i) => `${i.task}${i.owner ? ` (${i.owner})` : ''}${i.due ? `, due ${i.due}` : ''}`,
  );
  for (const to of recipients) {
    const member = memberEmails.has(to.email);
    await deps.outbox.enqueue(ctx, {
      key: `summary:${meeting.id}:${to.email}`,
      ref: `meeting:${meeting.id}`,
      kind: 'summary',
      email: renderEmail({
        to,
        subject: `Summary: ${meeting.title}`,
        heading: `The summary of “${meeting.title}”.`,
        when: {
          start: new Date(meeting.startsAt),
          end: new Date(meeting.endsAt),
          timeZone: meeting.timeZone,
        },
        paragraphs: [
          ...section('Summary', summary.summary),
          ...section('Decisions', summary.decisions),
          ...section('Open questions', summary.openQuestions),
          ...section('Action items', items),
        ],
        why: member
          ? 'you took part and asked for summaries by email (your email settings in Quorum).'
          : `you took part, and the organizer (${meeting.organizerEmail}) chose to share the summary.`,
      }),
    });
  }
}
