// A meeting's summary, decisions and action items (owners shown), as every surface shows them.
import { Checkbox, Subtitle2, Text } from '@fluentui/react-components';
import { formatDay } from './time.ts';
import type { ActionItemView, SummaryView } from './types.ts';

/** Ticks an action item off (or back on); where given, each item is a checkbox. */
export type ToggleActionItem = (index: number, done: boolean) => void;

/** `level`: the heading level that fits where the summary is shown (h2 under a page's h1). */
export function MeetingSummary({
  summary,
  actionItems,
  level = 'h3',
  onToggle,
}: {
  summary: SummaryView | null;
  actionItems: ActionItemView[];
  level?: 'h2' | 'h3';
  onToggle?: ToggleActionItem;
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
      <ActionItemList items={actionItems} level={level} {...(onToggle ? { onToggle } : {})} />
    </section>
  );
}

/** "task — owner (due Fri 11 Dec)", the due date in the viewer's own format. */
export function actionItemText(item: ActionItemView): string {
  return `${item.task}${item.owner ? ` — ${item.owner}` : ''}${item.due ? ` (due ${formatDay(item.due)})` : ''}`;
}

export function ActionItemList({
  items,
  level = 'h3',
  onToggle,
}: {
  items: ActionItemView[];
  level?: 'h2' | 'h3';
  onToggle?: ToggleActionItem;
}) {
  if (items.length === 0) return null;
  return (
    <>
      <Subtitle2 as={level}>Action items</Subtitle2>
      <ul aria-label="Action items" style={onToggle ? { listStyle: 'none', padding: 0 } : {}}>
        {items.map((item) => (
          <li key={item.index} data-done={item.done}>
            {onToggle ? (
              <Checkbox
                checked={item.done}
                label={actionItemText(item)}
                onChange={(_, d) => onToggle(item.index, d.checked === true)}
              />
            ) : item.done ? (
              <s>{actionItemText(item)}</s>
            ) : (
              actionItemText(item)
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
