// Word error rate: how far a transcript is from what was really said, as (substitutions +
// deletions + insertions) / reference words. Used to compare engines on known recordings.

/** Lower-case words with punctuation dropped; "let's" keeps its apostrophe. */
export function normalizedWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[’]/g, "'")
    .replace(/[^\p{L}\p{N}' ]+/gu, ' ')
    .split(' ')
    .map((word) => word.replace(/^'+|'+$/g, ''))
    .filter((word) => word !== '');
}

export interface WordErrors {
  referenceWords: number;
  substitutions: number;
  deletions: number;
  insertions: number;
  /** (substitutions + deletions + insertions) / referenceWords; 0 for two empty texts. */
  wer: number;
}

/** Levenshtein alignment over words, counting each kind of error. */
export function wordErrors(reference: string, hypothesis: string): WordErrors {
  const ref = normalizedWords(reference);
  const hyp = normalizedWords(hypothesis);
  type Cell = { cost: number; s: number; d: number; i: number };
  let previous: Cell[] = hyp.map((_, j) => ({ cost: j + 1, s: 0, d: 0, i: j + 1 }));
  previous.unshift({ cost: 0, s: 0, d: 0, i: 0 });
  for (let r = 1; r <= ref.length; r++) {
    const row: Cell[] = [{ cost: r, s: 0, d: r, i: 0 }];
    for (let h = 1; h <= hyp.length; h++) {
      const diagonal = previous[h - 1]!;
      const same = ref[r - 1] === hyp[h - 1];
      const options: Cell[] = [
        { ...diagonal, cost: diagonal.cost + (same ? 0 : 1), s: diagonal.s + (same ? 0 : 1) },
        { ...previous[h]!, cost: previous[h]!.cost + 1, d: previous[h]!.d + 1 },
        { ...row[h - 1]!, cost: row[h - 1]!.cost + 1, i: row[h - 1]!.i + 1 },
      ];
      row.push(options.reduce((best, cell) => (cell.cost < best.cost ? cell : best)));
    }
    previous = row;
  }
  const end = previous[hyp.length]!;
  return {
    referenceWords: ref.length,
    substitutions: end.s,
    deletions: end.d,
    insertions: end.i,
    wer: ref.length === 0 ? (hyp.length === 0 ? 0 : 1) : end.cost / ref.length,
  };
}
