export { parseCommandText } from './parse-command-text.ts';
export { formatUnderstood } from './understood.ts';
export { EXAMPLES, verbWord } from './verbs.ts';
export { MAX_ATTENDEES } from './mentions.ts';
export { MAX_DURATION_MINUTES } from './durations.ts';
export { VERBS, WEEKDAYS } from './types.ts';
export type {
  Mention,
  ParseContext,
  ParseResult,
  ParsedCommand,
  PartOfDay,
  Verb,
  WeekdayName,
} from './types.ts';
