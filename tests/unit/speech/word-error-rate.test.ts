import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizedWords, wordErrors } from '../../../core/speech/index.ts';

describe('wordErrors', () => {
  it('counts substitutions, deletions and insertions against the reference', () => {
    expect(
      wordErrors('Ana will send the budget by Friday.', 'anna will send budget by friday please'),
    ).toEqual({
      referenceWords: 7,
      substitutions: 1,
      deletions: 1,
      insertions: 1,
      wer: 3 / 7,
    });
  });

  it('ignores case and punctuation but keeps apostrophes inside words', () => {
    expect(normalizedWords("Let's GO, now! 'quoted'")).toEqual(["let's", 'go', 'now', 'quoted']);
    expect(wordErrors("Let's go.", 'lets go').substitutions).toBe(1);
  });

  it('is 0 for identical texts and 1 for an empty hypothesis', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('ana', 'budget', 'friday', 'send', 'the'), { minLength: 1 }),
        (ws) => {
          const text = ws.join(' ');
          expect(wordErrors(text, text).wer).toBe(0);
          expect(wordErrors(text, '').wer).toBe(1);
        },
      ),
      { numRuns: 200 },
    );
  });
});
