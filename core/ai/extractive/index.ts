import type { Summarizer } from '../summarizer.ts';
import { buildAgenda } from './agenda.ts';
import { summarizeExtractively } from './summarize.ts';

export { buildAgenda } from './agenda.ts';
export { summarizeExtractively } from './summarize.ts';

/** The local summarizer: deterministic, offline, no model. */
export function createExtractiveSummarizer(): Summarizer {
  return {
    engine: 'extractive',
    async summarize(input, options) {
      options?.signal?.throwIfAborted();
      return summarizeExtractively(input);
    },
    async agendaFor(invite, openActionItems, options) {
      options?.signal?.throwIfAborted();
      return buildAgenda(invite, openActionItems);
    },
  };
}
