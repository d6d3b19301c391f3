import { CommandTextError, consume, quoted } from './text-scan.ts';

const MAX_TITLE_LENGTH = 200;
// Straight quotes, and the curly ones Slack and phones substitute for them.
const QUOTED = /"([^"]*)"|“([^”]*)”/g;
const STRAY_QUOTE = /["“”]/;

// Slack escapes these three in message text; Teams sends HTML text.
const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};

export function decodeEntities(text: string): string {
  return text.replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity] ?? entity);
}

/** Takes the quoted title out of the text. */
export function readTitle(text: string): { text: string; title?: string } {
  const titles: string[] = [];
  const rest = consume(text, QUOTED, (match) => {
    titles.push(decodeEntities(match[1] ?? match[2] ?? '').trim());
  });
  if (STRAY_QUOTE.test(rest)) {
    throw new CommandTextError(
      'A quote was opened but not closed. Put the title between two quotes, like "Design review".',
    );
  }
  const given = titles.filter((title) => title !== '');
  if (given.length > 1) {
    throw new CommandTextError(
      `Give one title in quotes, not ${given.length} (${given.map(quoted).join(', ')}).`,
    );
  }
  const title = given[0];
  if (title !== undefined && title.length > MAX_TITLE_LENGTH) {
    throw new CommandTextError(
      `The title is ${title.length} characters long; keep it to ${MAX_TITLE_LENGTH}.`,
    );
  }
  return title === undefined ? { text: rest } : { text: rest, title };
}
