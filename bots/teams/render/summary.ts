// A meeting's summary card: summary, decisions, action items (owners mentioned) and open
// questions, with a button to schedule a follow-up.
import type { MeetingView } from '../../../core/meetings/index.ts';
import { ACTIONS, card, execute, heading, md, note, text, when } from './card.ts';
import type { AdaptiveCard, CardElement, MentionEntity } from './card.ts';

/** The summary card; owners Quorum knows in Teams are mentioned (and notified). */
export function summaryCard(
  meeting: MeetingView,
  mentionOf: (owner: string) => { id: string; name: string } | undefined,
): AdaptiveCard {
  const entities: MentionEntity[] = [];
  const ownerText = (owner: string) => {
    const who = mentionOf(owner);
    if (!who) return `**${md(owner)}**`;
    const tag = `<at>${who.name}</at>`;
    if (!entities.some((e) => e.mentioned.id === who.id)) {
      entities.push({ type: 'mention', text: tag, mentioned: who });
    }
    return tag;
  };
  const body: CardElement[] = [
    heading(`Summary: ${meeting.title}`),
    note(`${when(Date.parse(meeting.startsAt), Date.parse(meeting.endsAt))} · recorded by Quorum`),
  ];
  const summary = meeting.summary;
  if (!summary) {
    body.push(text('This meeting has no summary yet.'));
    return card(body);
  }
  for (const line of summary.summary.slice(0, 20))
    body.push(text(`• ${md(line)}`, { spacing: 'Small' }));
  if (summary.decisions.length > 0) {
    body.push(text('**Decisions**'));
    for (const line of summary.decisions.slice(0, 20)) {
      body.push(text(`• ${md(line)}`, { spacing: 'Small' }));
    }
  }
  if (meeting.actionItems.length > 0) {
    body.push(text('**Action items**'));
    for (const item of meeting.actionItems.slice(0, 30)) {
      const owner = item.owner ? `${ownerText(item.owner)}: ` : '';
      const due = item.due ? ` (due ${md(item.due)})` : '';
      body.push(
        text(`• ${owner}${md(item.task)}${due}${item.done ? ' ✓' : ''}`, { spacing: 'Small' }),
      );
    }
  }
  if (summary.openQuestions.length > 0) {
    body.push(text('**Open questions**'));
    for (const line of summary.openQuestions.slice(0, 20)) {
      body.push(text(`• ${md(line)}`, { spacing: 'Small' }));
    }
  }
  const result = card(body, [execute('Schedule a follow-up', ACTIONS.followUp, { m: meeting.id })]);
  if (entities.length > 0) result.msteams = { ...result.msteams, entities };
  return result;
}
