// The parts a slot's score is made of, their weights, and how they combine.
import type { ScorePart } from './types.ts';

/** Relative importance of each part; parts that do not apply to a search are left out. */
export const WEIGHTS = {
  workingHours: 3,
  optionalAttendees: 2,
  tentative: 2,
  fairness: 2,
  focus: 1.5,
  earliness: 1,
  preferences: 3,
} as const;
export type Part = keyof typeof WEIGHTS;
export type PartValues = Partial<Record<Part, number>>;

/** Scores are compared after rounding, so ties in what is shown are broken by start. */
export function roundScore(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

function totalWeight(values: PartValues): number {
  return (Object.keys(values) as Part[]).reduce((sum, part) => sum + WEIGHTS[part], 0);
}

/** The weighted mean of the parts, in [0, 1]. */
export function scoreOf(values: PartValues): number {
  let weighted = 0;
  for (const part of Object.keys(values) as Part[]) {
    weighted += (values[part] as number) * WEIGHTS[part];
  }
  return roundScore(weighted / totalWeight(values));
}

/** Each part with its share of the weight, so that the score is Σ value × weight. */
export function weighParts(
  values: PartValues,
  note: (part: Part) => string,
): Record<string, ScorePart> {
  const total = totalWeight(values);
  const parts: Record<string, ScorePart> = {};
  for (const part of Object.keys(WEIGHTS) as Part[]) {
    const value = values[part];
    if (value === undefined) continue;
    parts[part] = {
      value: roundScore(value),
      weight: roundScore(WEIGHTS[part] / total),
      note: note(part),
    };
  }
  return parts;
}
