// TextRank over sentences: each sentence is a node, edges weigh how much two sentences share
// (cosine of their TF-IDF vectors), and PageRank finds the sentences most of the meeting
// points back to. Deterministic: fixed iteration order, a bounded number of rounds.
//
// An hour of meeting talk is ~1,000 sentences over a small vocabulary, so nearly every pair
// shares a word: similarities are accumulated term by term into a typed array (a sparse
// matrix product) instead of comparing pairs through maps.

const DAMPING = 0.85;
const MAX_ROUNDS = 100;
const CONVERGED = 1e-10;

interface SparseVector {
  /** Term ids in increasing order. */
  terms: Int32Array;
  /** TF-IDF weights, scaled to length 1. */
  weights: Float64Array;
}

export interface Ranking {
  /** Centrality of each sentence; they sum to 1. */
  scores: number[];
  /** Cosine similarity of two sentences' TF-IDF vectors. */
  similarity(a: number, b: number): number;
}

export function textRank(termLists: readonly string[][]): Ranking {
  const n = termLists.length;
  const vectors = tfIdf(termLists);
  const similarity = (a: number, b: number) => dot(vectors[a]!, vectors[b]!);
  if (n === 0) return { scores: [], similarity };

  const postings = new Map<number, { sentences: number[]; weights: number[] }>();
  vectors.forEach((vector, i) => {
    vector.terms.forEach((term, k) => {
      const list = postings.get(term) ?? { sentences: [], weights: [] };
      list.sentences.push(i);
      list.weights.push(vector.weights[k]!);
      postings.set(term, list);
    });
  });

  // Each pair once (from < to), in sentence order.
  const from: number[] = [];
  const to: number[] = [];
  const weight: number[] = [];
  const outWeight = new Float64Array(n);
  const row = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const { terms, weights } = vectors[i]!;
    for (let k = 0; k < terms.length; k++) {
      const list = postings.get(terms[k]!)!;
      const wi = weights[k]!;
      for (let p = 0; p < list.sentences.length; p++) {
        const j = list.sentences[p]!;
        if (j > i) row[j]! += wi * list.weights[p]!;
      }
    }
    for (let j = i + 1; j < n; j++) {
      const w = row[j]!;
      if (w === 0) continue;
      from.push(i);
      to.push(j);
      weight.push(w);
      outWeight[i]! += w;
      outWeight[j]! += w;
      row[j] = 0;
    }
  }

  let scores = new Float64Array(n).fill(1 / n);
  let next = new Float64Array(n);
  const share = new Float64Array(n);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    // Sentences linked to nothing hand their share to everyone, so the scores keep summing to 1.
    let dangling = 0;
    for (let i = 0; i < n; i++) {
      if (outWeight[i] === 0) dangling += scores[i]!;
      else share[i] = (DAMPING * scores[i]!) / outWeight[i]!;
    }
    next.fill((1 - DAMPING) / n + (DAMPING * dangling) / n);
    for (let e = 0; e < weight.length; e++) {
      const a = from[e]!;
      const b = to[e]!;
      const w = weight[e]!;
      next[b]! += share[a]! * w;
      next[a]! += share[b]! * w;
    }
    let change = 0;
    for (let i = 0; i < n; i++) change += Math.abs(next[i]! - scores[i]!);
    [scores, next] = [next, scores];
    if (change < CONVERGED) break;
  }
  return { scores: [...scores], similarity };
}

/** TF-IDF vectors with log-scaled inverse document frequency, normalised to length 1. */
function tfIdf(termLists: readonly string[][]): SparseVector[] {
  const ids = new Map<string, number>();
  const documentFrequency: number[] = [];
  for (const terms of termLists) {
    for (const term of new Set(terms)) {
      let id = ids.get(term);
      if (id === undefined) {
        id = ids.size;
        ids.set(term, id);
        documentFrequency.push(0);
      }
      documentFrequency[id]!++;
    }
  }
  const n = termLists.length;
  return termLists.map((terms) => {
    const counts = new Map<number, number>();
    for (const term of terms) {
      const id = ids.get(term)!;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const sorted = [...counts.keys()].sort((a, b) => a - b);
    const weights = new Float64Array(sorted.length);
    let norm = 0;
    sorted.forEach((id, k) => {
      const weight = counts.get(id)! * Math.log(1 + n / documentFrequency[id]!);
      weights[k] = weight;
      norm += weight * weight;
    });
    norm = Math.sqrt(norm);
    for (let k = 0; k < weights.length; k++) weights[k]! /= norm;
    return { terms: Int32Array.from(sorted), weights };
  });
}

function dot(a: SparseVector, b: SparseVector): number {
  let sum = 0;
  for (let i = 0, j = 0; i < a.terms.length && j < b.terms.length;) {
    const ta = a.terms[i]!;
    const tb = b.terms[j]!;
    if (ta === tb) sum += a.weights[i++]! * b.weights[j++]!;
    else if (ta < tb) i++;
    else j++;
  }
  return sum;
}
