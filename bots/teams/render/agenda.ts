// A meeting's agenda card, posted at its start and shown on "agenda".
import type { AgendaItem } from '../../../core/ai/index.ts';
import { card, heading, md, note, text, when } from './card.ts';
import type { AdaptiveCard, CardElement } from './card.ts';

export function agendaCard(
  meeting: { title: string; startsAt: string; endsAt: string },
  agenda: AgendaItem[],
): AdaptiveCard {
  const body: CardElement[] = [
    heading(`Agenda: ${meeting.title}`),
    note(when(Date.parse(meeting.startsAt), Date.parse(meeting.endsAt))),
  ];
  if (agenda.length === 0) {
    body.push(
      text(
        'Nothing on the agenda yet: the invite lists no topics and no earlier action items are open.',
      ),
    );
  } else {
    for (const item of agenda.slice(0, 30)) {
      const owner = item.owner ? ` — ${md(item.owner)}` : '';
      const from = item.source === 'open-action-item' ? ' _(open action item)_' : '';
      body.push(text(`• ${md(item.topic)}${owner}${from}`, { spacing: 'Small' }));
    }
  }
  return card(body);
}
