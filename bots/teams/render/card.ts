// What the Teams bot shows, as Adaptive Cards 1.5. Times are written with the card language's
// DATE()/TIME() functions, which Teams renders in each viewer's own time zone; the plain text
// beside each card (notifications, older clients) uses the asker's zone.
// Buttons are Action.Execute (the card is answered and replaced in place) with an
// Action.Submit fallback for clients without Universal Actions.
//
// This file holds the pieces every card is made of; each feature's cards are beside it.

export type CardElement = Record<string, unknown>;

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  body: CardElement[];
  actions?: CardElement[];
  msteams?: { width?: 'Full'; entities?: MentionEntity[] };
}

export interface MentionEntity {
  type: 'mention';
  text: string;
  mentioned: { id: string; name: string };
}

export const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive' as const;

/** Verbs of the card buttons; the data carries the rest. */
export const ACTIONS = {
  book: 'quorum.book',
  cancel: 'quorum.cancel',
  reschedule: 'quorum.reschedule',
  vote: 'quorum.vote',
  followUp: 'quorum.followup',
  rotation: 'quorum.rotation',
} as const;

const MAX_TEXT = 2000;

function fit(text: string, max = MAX_TEXT): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Card text is Markdown: characters that would format are escaped. */
export function md(text: string): string {
  return fit(text).replace(/([\\*_`~[\]<>#])/g, '\\$1');
}

export function card(body: CardElement[], actions: CardElement[] = []): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    ...(actions.length > 0 ? { actions } : {}),
    msteams: { width: 'Full' },
  };
}

export const text = (value: string, extra: CardElement = {}): CardElement => ({
  type: 'TextBlock',
  text: value,
  wrap: true,
  ...extra,
});

export const heading = (value: string) => text(md(value), { size: 'Medium', weight: 'Bolder' });
export const note = (value: string) => text(value, { isSubtle: true, size: 'Small' });

/** RFC 3339 without fractions, as DATE() and TIME() read it. */
function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A time range in the viewer's zone. */
export function when(start: number | Date, end: number | Date): string {
  const s = rfc3339(Number(start));
  const e = rfc3339(Number(end));
  return `{{DATE(${s}, SHORT)}} {{TIME(${s})}}–{{TIME(${e})}}`;
}

/** The same range as plain text in one zone (the asker's), for notifications. */
export function plainWhen(start: number | Date, end: number | Date, timeZone: string): string {
  const day = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
  const time = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit' });
  return `${day.format(new Date(start))}–${time.format(new Date(end))} (${timeZone})`;
}

/** A button answered in place (Action.Execute), with Action.Submit for older clients. */
export function execute(title: string, verb: string, data: Record<string, unknown>): CardElement {
  return {
    type: 'Action.Execute',
    title,
    verb,
    data,
    fallback: { type: 'Action.Submit', title, data: { ...data, verb } },
  };
}

export function openUrl(title: string, url: string): CardElement {
  return { type: 'Action.OpenUrl', title, url };
}

/** A row under a separator: text on the left, its button (when it has one) on the right. */
export function buttonRow(
  items: CardElement[],
  button: CardElement | undefined,
  left: CardElement = {},
): CardElement {
  return {
    type: 'ColumnSet',
    separator: true,
    columns: [
      { type: 'Column', width: 'stretch', ...left, items },
      ...(button
        ? [{ type: 'Column', width: 'auto', items: [{ type: 'ActionSet', actions: [button] }] }]
        : []),
    ],
  };
}

export function plainCard(message: string): AdaptiveCard {
  return card([text(message)]);
}
