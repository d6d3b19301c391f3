import type { Verb } from './types.ts';
import { VERBS } from './types.ts';

// What people type for each verb besides its own name.
const ALIASES: Record<string, Verb> = {
  schedule: 'find',
  'follow-up': 'followup',
  'follow up': 'followup',
  summarize: 'summary',
  summarise: 'summary',
};

const LEADING_VERB = new RegExp(
  String.raw`^\s*(?:please\s+)?(${[...VERBS, ...Object.keys(ALIASES)].map((word) => word.replace(' ', String.raw`\s+`)).join('|')})\b`,
  'i',
);

/** The verb the text starts with, if any, and how many characters it took. */
export function readVerb(text: string): { verb: Verb; length: number } | undefined {
  const match = LEADING_VERB.exec(text);
  if (match === null) return undefined;
  const word = (match[1] ?? '').toLowerCase().replace(/\s+/g, ' ');
  const verb = (VERBS as readonly string[]).includes(word) ? (word as Verb) : ALIASES[word];
  return verb === undefined ? undefined : { verb, length: match[0].length };
}

/** Verbs that put something new on calendars, so their times must lie ahead. */
export const SCHEDULING_VERBS: ReadonlySet<Verb> = new Set<Verb>([
  'find',
  'book',
  'poll',
  'followup',
  'reschedule',
]);

export const EXAMPLES: Record<Verb, string> = {
  find: 'find 30m with @ana @raj next week afternoons',
  book: 'book 2pm thursday with @ana for 1 hour',
  poll: 'poll 45 min with bob@guest.com next tue or wed mornings',
  followup: 'follow-up friday',
  agenda: 'agenda tomorrow 2pm',
  summary: 'summary today',
  connect: 'connect',
  help: 'help',
  cancel: 'cancel tomorrow 2pm',
  reschedule: 'reschedule "Design review" to next week',
};

/** How the verb is written back to people ("follow-up", not the internal "followup"). */
export function verbWord(verb: Verb): string {
  return verb === 'followup' ? 'follow-up' : verb;
}
