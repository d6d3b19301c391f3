// Free/busy APIs take a limited number of calendars per request; these split and reassemble.
import { isConnectionBroken } from './oauth-retry.ts';
import type { CalendarLookup, FreeBusyResult } from './provider.ts';

/** Splits `items` into consecutive batches of at most `size` (an API's per-request limit). */
export function inBatches<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`batch size must be >= 1, got ${size}`);
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  return batches;
}

/**
 * Looks the calendars up in parallel batches of `size`, each asked once even if named twice.
 * A batch that fails marks only its own calendars as unreadable; a broken grant or a cancelled
 * call concerns every batch, so it rejects the whole lookup.
 */
export async function freeBusyInBatches(
  calendars: readonly string[],
  size: number,
  signal: AbortSignal | undefined,
  lookupBatch: (batch: string[]) => Promise<(id: string) => CalendarLookup>,
): Promise<FreeBusyResult> {
  const batches = inBatches([...new Set(calendars)], size);
  const answers = await Promise.all(
    batches.map(async (batch) => {
      try {
        const lookup = await lookupBatch(batch);
        return batch.map((id) => [id, lookup(id)] as const);
      } catch (error) {
        if (isConnectionBroken(error) || signal?.aborted) throw error;
        const message = error instanceof Error ? error.message : String(error);
        const failed: CalendarLookup = { ok: false, reason: 'error', message };
        return batch.map((id) => [id, failed] as const);
      }
    }),
  );
  return Object.fromEntries(answers.flat());
}
