// "next": the person's next meeting, with its join link (the same NextReply Slack's `/meet next`
// renders).
import type { NextReply } from '../../../core/assistant/index.ts';
import { card, md, openUrl, plainCard, text, when, type AdaptiveCard } from './card.ts';

export function nextCard(reply: NextReply): AdaptiveCard {
  const meeting = reply.meeting;
  if (!meeting) {
    return plainCard('You have no upcoming meeting booked through Quorum. Book one with "find …".');
  }
  return card(
    [
      text(`📅 Next: **${md(meeting.title)}**`, { size: 'Medium' }),
      text(when(meeting.start, meeting.end)),
      text(meeting.joinUrl ? `[Join the meeting](${meeting.joinUrl})` : 'No online-meeting link.'),
    ],
    meeting.joinUrl ? [openUrl('Join', meeting.joinUrl)] : [],
  );
}
