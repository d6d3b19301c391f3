// Slack's Block Kit limits, and the helpers that keep every message inside them whatever the
// data (30 attendees, long titles): text is shortened with an ellipsis, lists say how many more
// there were, and a message never carries more blocks than its surface allows.
import type { types } from '@slack/bolt';

export type Block = types.KnownBlock;

/** From Slack's Block Kit reference. */
export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  fieldText: 2000,
  fields: 10,
  contextElements: 10,
  contextText: 3000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  actionsElements: 25,
  optionText: 75,
  optionValue: 150,
  selectOptions: 100,
  inputLabel: 2000,
  inputValue: 3000,
  viewTitle: 24,
  privateMetadata: 3000,
  /** The notification text of a message (Slack truncates far above this; keep it short). */
  messageText: 3000,
} as const;

/** Cuts `text` to `max` characters, ending in "…" when it was longer. */
export function fit(text: string, max: number): string {
  if (text.length <= max) return text;
  // Never end between the two halves of a surrogate pair.
  let cut = max - 1;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut)}…`;
}

/**
 * Joins as many `items` as fit in `max` characters with `separator`; the rest become
 * "and N more". Used for attendee lists, which can be long.
 */
export function fitList(items: readonly string[], max: number, separator = ', '): string {
  const all = items.join(separator);
  if (all.length <= max) return all;
  const kept: string[] = [];
  for (const item of items) {
    const more = `and ${items.length - kept.length - 1} more`;
    if ([...kept, item, more].join(separator).length > max) break;
    kept.push(item);
  }
  return fit([...kept, `and ${items.length - kept.length} more`].join(separator), max);
}

/** Escapes what Slack's mrkdwn would read as markup in user-supplied text. */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function section(text: string, extra: Partial<types.SectionBlock> = {}): Block {
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: fit(text, LIMITS.sectionText) },
    ...extra,
  };
}

export function context(...texts: string[]): Block {
  return {
    type: 'context',
    elements: texts
      .slice(0, LIMITS.contextElements)
      .map((text) => ({ type: 'mrkdwn' as const, text: fit(text, LIMITS.contextText) })),
  };
}

export function header(text: string): Block {
  return { type: 'header', text: { type: 'plain_text', text: fit(text, LIMITS.headerText) } };
}

export function divider(): Block {
  return { type: 'divider' };
}

export function button(
  text: string,
  actionId: string,
  options: { value?: string; url?: string; style?: 'primary' | 'danger' } = {},
): types.Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text: fit(text, LIMITS.buttonText) },
    action_id: actionId,
    ...(options.value !== undefined && { value: options.value.slice(0, LIMITS.buttonValue) }),
    ...(options.url !== undefined && { url: options.url }),
    ...(options.style && { style: options.style }),
  };
}

export function actions(elements: types.ActionsBlockElement[], blockId?: string): Block {
  return {
    type: 'actions',
    elements: elements.slice(0, LIMITS.actionsElements),
    ...(blockId && { block_id: blockId }),
  };
}

/**
 * Keeps a message within `max` blocks: when there are more, the last ones are replaced by a
 * note saying how many were left out.
 */
export function capBlocks(blocks: Block[], max: number = LIMITS.messageBlocks): Block[] {
  if (blocks.length <= max) return blocks;
  const kept = blocks.slice(0, max - 1);
  return [...kept, context(`_${blocks.length - kept.length} more items were left out._`)];
}
