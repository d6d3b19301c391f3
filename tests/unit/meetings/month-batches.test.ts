// The retention purge's batches: whole months of meetings' starts together where they fit, so a
// month all of whose meetings go in one batch loses its search postings unread.
import { describe, expect, it } from 'vitest';
import { monthBatches } from '../../../core/meetings/retention/purge-batch.ts';

const at = (month: number, day: number) => ({
  id: `${month}-${day}`,
  startsAt: new Date(Date.UTC(2026, month - 1, day, 9)),
});

describe('monthBatches', () => {
  it('keeps months whole, in order, filling batches up to the size', () => {
    // Listed in no order: March ×3, January ×2, February ×4.
    const meetings = [
      at(3, 1),
      at(1, 5),
      at(2, 3),
      at(3, 9),
      at(2, 1),
      at(1, 2),
      at(2, 7),
      at(3, 4),
      at(2, 9),
    ];
    const batches = monthBatches(meetings, 6).map((batch) => batch.map((m) => m.id));
    expect(batches).toEqual([
      ['1-5', '1-2', '2-3', '2-1', '2-7', '2-9'],
      ['3-1', '3-9', '3-4'],
    ]);
  });

  it('splits a month larger than the size, its last part going on with the next months', () => {
    const june = Array.from({ length: 7 }, (_, i) => at(6, i + 1));
    const batches = monthBatches([...june, at(7, 1), at(7, 2)], 3).map((b) => b.map((m) => m.id));
    expect(batches).toEqual([
      ['6-1', '6-2', '6-3'],
      ['6-4', '6-5', '6-6'],
      ['6-7', '7-1', '7-2'],
    ]);
    expect(monthBatches([], 3)).toEqual([]);
  });
});
