import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitText } from '../../../core/ai/extractive/sentences.ts';
import { contentTerms } from '../../../core/ai/extractive/terms.ts';
import { textRank } from '../../../core/ai/extractive/text-rank.ts';

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe('textRank', () => {
  it('ranks the sentence the others share words with first', () => {
    const { scores } = textRank([
      ['budget', 'venue', 'launch'],
      ['budget', 'agency'],
      ['venue', 'berlin'],
      ['launch', 'may'],
      ['weather', 'rain'],
    ]);
    expect(scores.indexOf(Math.max(...scores))).toBe(0);
    expect(scores[4]).toBeLessThan(scores[1]!);
    expect(sum(scores)).toBeCloseTo(1, 12);
  });

  it('gives unrelated sentences equal scores', () => {
    const { scores } = textRank([['alpha'], ['beta'], ['gamma']]);
    expect(scores).toEqual([1 / 3, 1 / 3, 1 / 3]);
  });

  it('reports cosine similarity of the TF-IDF vectors', () => {
    const { similarity } = textRank([['a', 'b'], ['a', 'b'], ['c']]);
    expect(similarity(0, 1)).toBeCloseTo(1, 12);
    expect(similarity(0, 2)).toBe(0);
  });

  it('does not depend on the order sentences come in (scores follow their sentence)', () => {
    const vocabulary = ['budget', 'venue', 'launch', 'agency', 'berlin', 'may', 'pilot', 'api'];
    const sentences = fc.array(
      fc.uniqueArray(fc.constantFrom(...vocabulary), { minLength: 1, maxLength: 4 }),
      {
        minLength: 1,
        maxLength: 12,
      },
    );
    fc.assert(
      fc.property(
        sentences.chain((list) =>
          fc.tuple(
            fc.constant(list),
            fc.shuffledSubarray(
              list.map((_, i) => i),
              { minLength: list.length },
            ),
          ),
        ),
        ([list, order]) => {
          const straight = textRank(list).scores;
          const shuffled = textRank(order.map((i) => list[i]!)).scores;
          order.forEach((original, position) =>
            expect(shuffled[position]).toBeCloseTo(straight[original]!, 9),
          );
          expect(sum(straight)).toBeCloseTo(1, 9);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('sentences and terms', () => {
  it('splits at sentence ends but not after titles, abbreviations or initials', () => {
    expect(
      splitText(
        'Dr. Lee joined late. We use e.g. Postgres here! Is J. Smith in? Yes… 3 people are.',
      ),
    ).toEqual([
      'Dr. Lee joined late.',
      'We use e.g. Postgres here!',
      'Is J. Smith in?',
      'Yes…',
      '3 people are.',
    ]);
  });

  it('keeps decimals and times inside a sentence', () => {
    expect(splitText('Revenue grew 3.5 percent by 10.30 today. Good.')).toEqual([
      'Revenue grew 3.5 percent by 10.30 today.',
      'Good.',
    ]);
  });

  it('drops stopwords and joins plural and -ing forms', () => {
    expect(contentTerms("We're reviewing the budgets and I think the budget's fine")).toEqual([
      'review',
      'budget',
      'budget',
      'fine',
    ]);
  });
});
