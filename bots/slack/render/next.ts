// `/meet next`: the person's next meeting, with its join link.
import type { NextReply } from '../../../core/assistant/index.ts';
import type { SlackMessage } from './help.ts';
import { escapeText, section } from './limits.ts';
import { plain } from './notices.ts';
import { slotText } from './time.ts';

export function nextMessage(reply: NextReply): SlackMessage {
  const meeting = reply.meeting;
  if (!meeting) {
    return plain(
      'You have no upcoming meeting booked through Quorum. Book one with `/meet find …`.',
    );
  }
  const title = escapeText(meeting.title);
  const when = slotText(meeting.start, meeting.end);
  const join = meeting.joinUrl
    ? `<${meeting.joinUrl}|Join the meeting>`
    : 'No online-meeting link.';
  return {
    text: `Next: ${meeting.title}${meeting.joinUrl ? ` — ${meeting.joinUrl}` : ''}`,
    blocks: [section(`:calendar: *${title}*\n${when}\n${join}`)],
  };
}
