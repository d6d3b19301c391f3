// The summary as one chat message (Zoom's meeting chat takes plain text).
import type { MeetingView } from './types.ts';

const MAX_CHARS = 4000;

export function chatMessage(meeting: MeetingView): string {
  const parts = [`Quorum summary: ${meeting.title}`];
  if (meeting.summary?.summary.length) parts.push(meeting.summary.summary.join(' '));
  if (meeting.summary?.decisions.length) {
    parts.push(['Decisions:', ...meeting.summary.decisions.map((d) => `- ${d}`)].join('\n'));
  }
  if (meeting.actionItems.length) {
    parts.push(
      [
        'Action items:',
        ...meeting.actionItems.map(
          (a) => `- ${a.task}${a.owner ? ` (${a.owner})` : ''}${a.due ? `, due ${a.due}` : ''}`,
        ),
      ].join('\n'),
    );
  }
  const text = parts.join('\n\n');
  return text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS - 1)}…` : text;
}
