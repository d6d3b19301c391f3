// The inputs of Quorum's modals (booking, settings): each input block keeps its value under the
// action id "value", which is where the listeners read it; options fit Slack's limits.
import type { types } from '@slack/bolt';
import type { LinkType } from '../../../core/identity/user-settings.ts';
import { LIMITS, fit } from './limits.ts';

export const LINK_NAMES: Record<LinkType, string> = {
  teams: 'Microsoft Teams',
  meet: 'Google Meet',
  zoom: 'Zoom',
  none: 'No online meeting',
};

export function option(text: string, value: string): types.PlainTextOption {
  return { text: { type: 'plain_text', text: fit(text, LIMITS.optionText) }, value };
}

/** An input block named `blockId`, its element's value read as `values[blockId].value`. */
export function input(
  blockId: string,
  label: string,
  element: types.InputBlockElement,
  more: { hint?: string; optional?: boolean } = {},
): types.InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    ...(more.optional && { optional: true }),
    label: { type: 'plain_text', text: label },
    ...(more.hint && { hint: { type: 'plain_text', text: more.hint } }),
    element: { ...element, action_id: 'value' },
  };
}

/** A single-choice menu, `initial` chosen. */
export function selectInput(
  blockId: string,
  label: string,
  options: types.PlainTextOption[],
  initial: types.PlainTextOption,
): types.InputBlock {
  return input(blockId, label, { type: 'static_select', options, initial_option: initial });
}

/** The online-meeting choices, `chosen` first selected. */
export function linkSelect(blockId: string, label: string, chosen: LinkType): types.InputBlock {
  const options = (Object.keys(LINK_NAMES) as LinkType[]).map((l) => option(LINK_NAMES[l], l));
  return selectInput(blockId, label, options, option(LINK_NAMES[chosen], chosen));
}
