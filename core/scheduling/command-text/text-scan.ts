/**
 * Each reader takes what it understands out of the text and leaves blanks of the same length
 * behind. Keeping the length lets later readers (chrono among them) report positions in the
 * original text, and lets the parser tell whether an unknown word was the first thing typed.
 */
export function consume(
  text: string,
  pattern: RegExp,
  take: (match: RegExpExecArray) => string | void,
): string {
  if (!pattern.global) throw new Error(`consume() needs a global pattern, got ${pattern}`);
  let out = '';
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    const replacement = take(match) ?? '';
    out += text.slice(last, match.index) + replacement.padEnd(match[0].length, ' ');
    last = match.index + match[0].length;
  }
  return out + text.slice(last);
}

/** Blanks out text[start, start + length), optionally leaving a shorter replacement word. */
export function blank(text: string, start: number, length: number, replacement = ''): string {
  return text.slice(0, start) + replacement.padEnd(length, ' ') + text.slice(start + length);
}

/** A problem with what the speaker typed; the message is shown to them as is. */
export class CommandTextError extends Error {
  override name = 'CommandTextError';
}

/** Typed text quoted back in a message, cut short so a pasted essay is not echoed whole. */
export function quoted(typed: string): string {
  const MAX = 40;
  return `"${typed.length > MAX ? `${typed.slice(0, MAX)}…` : typed}"`;
}
