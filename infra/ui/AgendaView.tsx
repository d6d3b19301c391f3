// The agenda Quorum generated for a meeting: the invite's topics, then open action items.
import { Subtitle2, Text } from '@fluentui/react-components';
import type { AgendaItemView } from './types.ts';

/** `level`: the heading level that fits where the agenda is shown (h2 under a page's h1). */
export function AgendaView({
  items,
  level = 'h3',
}: {
  items: AgendaItemView[];
  level?: 'h2' | 'h3';
}) {
  return (
    <section aria-label="Agenda">
      <Subtitle2 as={level}>Agenda</Subtitle2>
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
