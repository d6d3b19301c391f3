// The agenda Quorum generated for a meeting: the invite's topics, then open action items.
import { Subtitle2, Text } from '@fluentui/react-components';
import type { AgendaItemView } from './types.ts';

export function AgendaView({ items }: { items: AgendaItemView[] }) {
  return (
    <section aria-label="Agenda">
      <Subtitle2 as="h3">Agenda</Subtitle2>
      {items.length === 0 ? (
        <Text>No agenda items yet.</Text>
      ) : (
        <ol>
          {items.map((item, i) => (
            <li key={i}>
              {item.topic}
              {item.owner ? ` — ${item.owner}` : ''}
              {item.source === 'open-action-item' ? ' (open from last time)' : ''}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
