// A meeting's summary, decisions and action items (owners shown), as every surface shows them.
import { Subtitle2, Text } from '@fluentui/react-components';
import type { ActionItemView, SummaryView } from './types.ts';

/** `level`: the heading level that fits where the summary is shown (h2 under a page's h1). */
export function MeetingSummary({
  summary,
  actionItems,
  level = 'h3',
}: {
  summary: SummaryView | null;
  actionItems: ActionItemView[];
  level?: 'h2' | 'h3';
}) {
  if (!summary && actionItems.length === 0) {
    return <Text>No summary yet: it appears once the meeting's transcript is processed.</Text>;
  }
  return (
    <section aria-label="Meeting summary">
      {summary && summary.summary.length > 0 ? (
        <>
          <Subtitle2 as={level}>Summary</Subtitle2>
          <ul>
            {summary.summary.map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ul>
        </>
      ) : null}
      {summary && summary.decisions.length > 0 ? (
        <>
          <Subtitle2 as={level}>Decisions</Subtitle2>
          <ul>
            {summary.decisions.map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ul>
        </>
      ) : null}
      <ActionItemList items={actionItems} level={level} />
    </section>
  );
}

export function ActionItemList({
  items,
  level = 'h3',
}: {
  items: ActionItemView[];
  level?: 'h2' | 'h3';
}) {
  if (items.length === 0) return null;
  return (
    <>
      <Subtitle2 as={level}>Action items</Subtitle2>
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
