// `quorum slots`: one JSON slot request on stdin, one JSON object of slots on stdout.
// Exit 2 with one line on stderr, naming the field, when the request is malformed.
import { findAllSlots, findBestSlots, parseSlotRequest, type Slot } from './availability/index.ts';

export interface SlotsCommandResult {
  exitCode: 0 | 2;
  stdout: string;
  stderr: string;
}

function slotJson(slot: Slot) {
  return {
    start: new Date(slot.start).toISOString(),
    end: new Date(slot.end).toISOString(),
    score: slot.score,
    available: slot.available,
    unavailable: slot.unavailable,
    reasons: slot.reasons,
    // Only with "workingHours": "preferred", so today's output stays as it was.
    ...(slot.outsideHours ? { outsideHours: slot.outsideHours } : {}),
    // Only with a "recurrence": every occurrence, the first being the slot itself.
    ...(slot.occurrences
      ? {
          occurrences: slot.occurrences.map((o) => ({
            start: new Date(o.start).toISOString(),
            end: new Date(o.end).toISOString(),
          })),
        }
      : {}),
  };
}

/**
 * Without `all`, the request's `limit` best slots by score (then earlier start), or by least
 * time outside working hours when they are only preferred; with `all`, every feasible slot in
 * chronological order.
 */
export function runSlotsCommand(stdinText: string, options: { all: boolean }): SlotsCommandResult {
  let input: unknown;
  try {
    input = JSON.parse(stdinText);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { exitCode: 2, stdout: '', stderr: `request: not valid JSON (${reason})\n` };
  }
  const request = parseSlotRequest(input, Date.now());
  if (!request.ok) return { exitCode: 2, stdout: '', stderr: `${request.error}\n` };
  const slots = options.all
    ? findAllSlots(request.search)
    : findBestSlots(request.search, request.limit);
  return { exitCode: 0, stdout: `${JSON.stringify({ slots: slots.map(slotJson) })}\n`, stderr: '' };
}
