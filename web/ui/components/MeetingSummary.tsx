// A meeting's summary, decisions and action items (owners shown), as every surface shows them.
import { Subtitle2, Text } from '@fluentui/react-components';
import type { ActionItemView, SummaryView } from './types.ts';

export function MeetingSummary({
  summary,
  actionItems,
}: {
  summary: SummaryView | null;
  actionItems: ActionItemView[];
}) {
  if (!summary && actionItems.length === 0) {
    return <Text>No summary yet: it appears once the meeting's transcript is processed.</Text>;
  }
  return (
    <section aria-label="Meeting summary">
      {summary && summary.summary.length > 0 ? (
        <>
          <Subtitle2 as="h3">Summary</Subtitle2>
          <ul>
            {summary.summary.map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ul>
        </>
      ) : null}
      {summary && summary.decisions.length > 0 ? (
        <>
          <Subtitle2 as="h3">Decisions</Subtitle2>
          <ul>
            {summary.decisions.map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ul>
        </>
      ) : null}
      <ActionItemList items={actionItems} />
    </section>
  );
}

export function ActionItemList({ items }: { items: ActionItemView[] }) {
  if (items.length === 0) return null;
  return (
    <>
      <Subtitle2 as="h3">Action items</Subtitle2>
      <ul aria-label="Action items">
        {items.map((item) => (
          <li key={item.index} data-done={item.done}>
            {item.done ? <s>{item.task}</s> : item.task}
            {item.owner ? ` — ${item.owner}` : ''}
            {item.due ? ` (due ${item.due})` : ''}
          </li>
        ))}
      </ul>
    </>
  );
}
