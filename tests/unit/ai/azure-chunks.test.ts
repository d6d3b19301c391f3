import { describe, expect, it } from 'vitest';
import {
  chunkTranscript,
  estimateTokens,
  groupWithin,
} from '../../../infra/providers/azure-openai/chunks.ts';
import type { Segment } from '../../../core/speech/index.ts';

const seg = (text: string, startMs = 0): Segment => ({
  speaker: 'Ana Lopez',
  startMs,
  endMs: startMs + 1000,
  text,
  confidence: null,
});

describe('transcript chunks for the prompt budget', () => {
  it('keeps every line once, in order, each chunk within the budget', () => {
    const segments = Array.from({ length: 50 }, (_, i) => seg(`line ${i} `.repeat(8), i * 61_000));
    const chunks = chunkTranscript(segments, 200);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(chunk.reduce((n, line) => n + estimateTokens(line) + 1, 0)).toBeLessThanOrEqual(200);
    }
    const lines = chunks.flat();
    expect(lines.map((l) => Number(/^\[(\d+)\]/.exec(l)![1]))).toEqual(segments.map((_, i) => i));
    expect(lines[1]).toMatch(/^\[1\] Ana Lopez \(01:01\): line 1/);
  });

  it('cuts one segment longer than the budget into lines that keep its index and all its words', () => {
    const words = Array.from({ length: 400 }, (_, i) => `word${i}`);
    const chunks = chunkTranscript([seg('short'), seg(words.join(' '))], 100);
    const pieces = chunks.flat().filter((l) => l.startsWith('[1] '));
    expect(pieces.length).toBeGreaterThan(5);
    for (const chunk of chunks) {
      expect(chunk.reduce((n, line) => n + estimateTokens(line) + 1, 0)).toBeLessThanOrEqual(100);
    }
    expect(pieces.map((l) => l.replace(/^\[1\] Ana Lopez \(00:00\): /, '')).join(' ')).toBe(
      words.join(' '),
    );
  });

  it('groups partial summaries within the budget, never an empty group', () => {
    const groups = groupWithin(['a'.repeat(90), 'b'.repeat(90), 'c'.repeat(400)], (s) => s, 70);
    expect(groups).toEqual([['a'.repeat(90), 'b'.repeat(90)], ['c'.repeat(400)]]);
  });
});
