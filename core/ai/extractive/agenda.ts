// An agenda for the next meeting: the topics its invite lists, then a follow-up on each
// action item still open, soonest due first.
import { ParticipantDirectory } from '../participants.ts';
import {
  SummaryInputError,
  type AgendaItem,
  type Invite,
  type OpenActionItem,
} from '../summarizer.ts';
import { splitText } from './sentences.ts';

const LIST_ITEM = /^\s*(?:[-*•·–]|\d{1,2}[.)]|[a-z][.)])\s+(.+?)\s*$/iu;
// A description this short in prose reads as a list of topics, one per sentence.
const PROSE_TOPICS = 3;
const PROSE_TOPIC_LENGTH = 120;

export function buildAgenda(
  invite: Invite,
  openActionItems: readonly OpenActionItem[],
): AgendaItem[] {
  if (invite.title.trim() === '') {
    throw new SummaryInputError('The invite has no title; an agenda needs at least a title.');
  }
  const attendees = new ParticipantDirectory(invite.attendees);
  const items: AgendaItem[] = [];
  const seen = new Set<string>();
  const add = (item: AgendaItem) => {
    const key = item.topic.toLowerCase();
    if (seen.has(key)) return;
    seen.add(key);
    items.push(item);
  };

  const topics = inviteTopics(invite.description ?? '');
  for (const topic of topics.length > 0 ? topics : [invite.title.trim()]) {
    add({ topic, owner: null, source: 'invite' });
  }

  const followUps = openActionItems
    .map((item, position) => ({ item, position }))
    .sort(
      (a, b) =>
        (a.item.due ?? '9999-99-99').localeCompare(b.item.due ?? '9999-99-99') ||
        a.position - b.position,
    );
  for (const { item } of followUps) {
    const due = item.due === null ? '' : ` (due ${item.due})`;
    add({
      topic: `Follow up: ${item.task}${due}`,
      owner: item.owner === null ? null : attendees.ownerNamed(item.owner),
      source: 'open-action-item',
    });
  }
  return items;
}

/** Listed lines ("- budget", "1. hiring") if there are any, else a short prose description. */
function inviteTopics(description: string): string[] {
  const lines = description.split(/\r?\n/);
  const listed = lines.map((line) => LIST_ITEM.exec(line)?.[1]).filter((t): t is string => !!t);
  if (listed.length > 0) return listed.map(tidyTopic);

  const prose = lines.filter((line) => line.trim() !== '' && !/:\s*$/.test(line)).join(' ');
  const sentences = splitText(prose.replace(/\s+/g, ' ').trim());
  if (sentences.length === 0 || sentences.length > PROSE_TOPICS) return [];
  if (sentences.some((s) => s.length > PROSE_TOPIC_LENGTH)) return [];
  return sentences.map(tidyTopic);
}

function tidyTopic(text: string): string {
  const topic = text.replace(/[.;]+$/, '').trim();
  return topic.charAt(0).toUpperCase() + topic.slice(1);
}
