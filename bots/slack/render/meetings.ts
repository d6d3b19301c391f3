// What Quorum tells a channel about a meeting: its summary, decisions and action items (owners
// mentioned where Quorum knows their Slack account), and agendas for the next one.
import type { AgendaItem } from '../../../core/ai/index.ts';
import type { MeetingView } from '../../../core/meetings/index.ts';
import type { SlackMessage } from './help.ts';
import {
  LIMITS,
  capBlocks,
  context,
  escapeText,
  fit,
  header,
  section,
  type Block,
} from './limits.ts';
import { slotText } from './time.ts';

/** Bullet lines in as few sections as fit, each within the section limit. */
function bulletSections(lines: string[], max = 12): Block[] {
  const blocks: Block[] = [];
  let current = '';
  for (const line of lines.slice(0, 40)) {
    const bullet = `• ${fit(line, 600)}`;
    if (current !== '' && current.length + bullet.length + 1 > LIMITS.sectionText) {
      blocks.push(section(current));
      current = '';
    }
    current = current === '' ? bullet : `${current}\n${bullet}`;
  }
  if (current !== '') blocks.push(section(current));
  return blocks.slice(0, max);
}

export function summaryMessage(
  meeting: MeetingView,
  ownerMention: (owner: string) => string,
): SlackMessage {
  const blocks: Block[] = [
    header(`Summary: ${meeting.title}`),
    context(
      `${slotText(Date.parse(meeting.startsAt), Date.parse(meeting.endsAt))} · recorded by Quorum`,
    ),
  ];
  const summary = meeting.summary;
  if (!summary) {
    blocks.push(section('This meeting has no summary yet.'));
    return { text: `No summary yet for ${meeting.title}`, blocks };
  }
  blocks.push(...bulletSections(summary.summary.map(escapeText)));
  if (summary.decisions.length > 0) {
    blocks.push(section('*Decisions*'), ...bulletSections(summary.decisions.map(escapeText)));
  }
  if (meeting.actionItems.length > 0) {
    blocks.push(
      section('*Action items*'),
      ...bulletSections(
        meeting.actionItems.map((item) => {
          const owner = item.owner ? `${ownerMention(item.owner)}: ` : '';
          const due = item.due ? ` (due ${escapeText(item.due)})` : '';
          return `${owner}${escapeText(item.task)}${due}${item.done ? ' ✓' : ''}`;
        }),
        20,
      ),
    );
  }
  if (summary.openQuestions.length > 0) {
    blocks.push(
      section('*Open questions*'),
      ...bulletSections(summary.openQuestions.map(escapeText)),
    );
  }
  return { text: `Summary of ${meeting.title}`, blocks: capBlocks(blocks) };
}

export function agendaMessage(
  meeting: { title: string; startsAt: string; endsAt: string },
  agenda: AgendaItem[],
): SlackMessage {
  const blocks: Block[] = [
    header(`Agenda: ${meeting.title}`),
    context(slotText(Date.parse(meeting.startsAt), Date.parse(meeting.endsAt))),
  ];
  if (agenda.length === 0) {
    blocks.push(
      section(
        'Nothing on the agenda yet: the invite lists no topics and no earlier action items are open.',
      ),
    );
  } else {
    blocks.push(
      ...bulletSections(
        agenda.map((item) => {
          const owner = item.owner ? ` — ${escapeText(item.owner)}` : '';
          const from = item.source === 'open-action-item' ? ' _(open action item)_' : '';
          return `${escapeText(item.topic)}${owner}${from}`;
        }),
      ),
    );
  }
  return { text: `Agenda for ${meeting.title}`, blocks: capBlocks(blocks) };
}
