// Asks every provider for free/busy at once, under one deadline.
//
// A slow or failing provider must not sink the whole search: its calendars come back as
// "availability unknown" with the reason, and the engine works with what did answer.
import {
  GrantRevokedError,
  type CalendarLookup,
  type CalendarProvider,
  type FreeBusyResult,
} from './provider.ts';
import { untilAborted } from './abort.ts';
import { checkRange, type TimeRange } from './busy-range.ts';

export interface FreeBusyLookup {
  provider: CalendarProvider;
  calendars: string[];
}

export interface GatherOptions {
  /** How long the slowest provider may take, from the call, before its calendars count as unknown. */
  deadlineMs: number;
  /** Cancels the whole search (the caller gave up); rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Told about each provider that failed, e.g. to mark a revoked connection for reconnection. */
  onProviderError?: (lookup: FreeBusyLookup, error: unknown) => void;
}

export async function gatherFreeBusy(
  lookups: readonly FreeBusyLookup[],
  range: TimeRange,
  options: GatherOptions,
): Promise<FreeBusyResult> {
  checkRange(range, 'free/busy range');
  if (!(options.deadlineMs > 0)) throw new RangeError('deadlineMs must be a positive number');
  options.signal?.throwIfAborted();

  const deadline = new AbortController();
  const timer = setTimeout(
    () => deadline.abort(new DOMException('free/busy deadline passed', 'TimeoutError')),
    options.deadlineMs,
  );
  const signal = options.signal
    ? AbortSignal.any([options.signal, deadline.signal])
    : deadline.signal;
  try {
    const answers = await Promise.all(
      lookups.map((lookup) => askOne(lookup, range, signal, deadline.signal, options)),
    );
    options.signal?.throwIfAborted();
    return merge(answers);
  } finally {
    clearTimeout(timer);
  }
}

async function askOne(
  lookup: FreeBusyLookup,
  range: TimeRange,
  signal: AbortSignal,
  deadline: AbortSignal,
  options: GatherOptions,
): Promise<FreeBusyResult> {
  if (lookup.calendars.length === 0) return {};
  const kind = lookup.provider.kind;
  try {
    const result = await untilAborted(
      lookup.provider.freeBusy({ calendars: lookup.calendars, ...range }, signal),
      signal,
    );
    const complete: FreeBusyResult = {};
    for (const id of lookup.calendars) {
      complete[id] = result[id] ?? {
        ok: false,
        reason: 'error',
        message: `availability unknown for ${id}: the ${kind} calendar gave no answer for it`,
      };
    }
    return complete;
  } catch (error) {
    if (!options.signal?.aborted) options.onProviderError?.(lookup, error);
    return Object.fromEntries(
      lookup.calendars.map((id) => [id, failure(id, kind, error, deadline.aborted, options)]),
    );
  }
}

function failure(
  id: string,
  kind: string,
  error: unknown,
  timedOut: boolean,
  options: GatherOptions,
): CalendarLookup {
  if (timedOut) {
    return {
      ok: false,
      reason: 'timeout',
      message: `availability unknown for ${id}: the ${kind} calendar did not answer within ${options.deadlineMs} ms`,
    };
  }
  if (error instanceof GrantRevokedError) {
    return {
      ok: false,
      reason: 'forbidden',
      message: `availability unknown for ${id}: access to the ${kind} calendar was revoked; reconnect it`,
    };
  }
  const detail = error instanceof Error ? error.message : String(error);
  return { ok: false, reason: 'error', message: `availability unknown for ${id}: ${detail}` };
}

/** One answer per calendar; if two lookups named the same calendar, a good answer wins. */
function merge(answers: FreeBusyResult[]): FreeBusyResult {
  const merged: FreeBusyResult = {};
  for (const answer of answers) {
    for (const [id, lookup] of Object.entries(answer)) {
      const known = merged[id];
      if (!known || (!known.ok && lookup.ok)) merged[id] = lookup;
    }
  }
  return merged;
}
