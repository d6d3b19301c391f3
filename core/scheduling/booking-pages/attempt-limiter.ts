// Guests book without an account, so booking from one address is limited: at most `limit`
// attempts per window, kept in the database so the limit holds across every web node.
//
// Fixed windows, counted with unique inserts (atomic on FerretDB and MongoDB alike, where a $inc
// counter is not atomic on FerretDB): attempt n of a window claims the document
// `<key>|<anchor>|<window>|<n>`, and when all `limit` of them are taken the attempt is refused
// until the window ends. A key's windows start at its first attempt (`<key>|anchor`), so a burst
// is never split by a window boundary it did not choose. Every statement is by exact `_id`; the
// expiry job removes documents once their window is over.
import { Schema } from 'mongoose';
import { isDuplicateKeyError } from '../../privacy/duplicate-key.ts';
import { defineModel, type Store } from '../../store/store.ts';

export interface AttemptLimiter {
  attempt(key: string): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }>;
}

interface AttemptDoc {
  _id: string;
  /** Anchors only: when the key's first window began. */
  start?: Date;
  expiresAt: Date;
}

export const PageAttempt = defineModel<AttemptDoc>(
  'BookingPageAttempt',
  new Schema<AttemptDoc>(
    {
      _id: { type: String, required: true },
      start: Date,
      expiresAt: { type: Date, required: true },
    },
    { collection: 'booking_page_attempts', versionKey: false },
  ),
);

/** How long a key keeps its anchor: windows keep their rhythm for a day of steady attempts. */
const ANCHOR_LIFETIME_MS = 86_400_000;
/** Keys whose slot hints this process keeps before starting over (memory stays small). */
const MAX_HINTS = 10_000;

export function createAttemptLimiter(
  store: Store,
  options: { prefix: string; limit: number; windowMs: number; now?: () => Date },
): AttemptLimiter {
  const now = options.now ?? (() => new Date());
  const Attempts = () => store.controlModel(PageAttempt);
  /** Per window, the next slot this process has not seen taken: saves refused inserts. */
  const hints = new Map<string, number>();

  async function anchorOf(key: string, at: Date): Promise<number> {
    const id = `${key}|anchor`;
    const found = await Attempts().findById(id).lean();
    if (found?.start) return found.start.getTime();
    try {
      await Attempts().create({
        _id: id,
        start: at,
        expiresAt: new Date(at.getTime() + ANCHOR_LIFETIME_MS),
      });
      return at.getTime();
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const winner = await Attempts().findById(id).lean();
      return winner?.start?.getTime() ?? at.getTime();
    }
  }

  /** Claims the first free slot of the window from the hint on; false when all are taken. */
  async function claimSlot(window: string, expiresAt: Date): Promise<boolean> {
    for (let n = hints.get(window) ?? 1; n <= options.limit; n++) {
      try {
        await Attempts().create({ _id: `${window}|${n}`, expiresAt });
        hints.set(window, n + 1);
        return true;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
    }
    hints.set(window, options.limit + 1);
    return false;
  }

  return {
    async attempt(rawKey) {
      const key = `${options.prefix}:${rawKey}`;
      const at = now();
      const anchor = await anchorOf(key, at);
      const index = Math.floor((at.getTime() - anchor) / options.windowMs);
      const windowEnd = anchor + (index + 1) * options.windowMs;
      if (hints.size > MAX_HINTS) hints.clear();
      if (await claimSlot(`${key}|${anchor}|${index}`, new Date(windowEnd))) {
        return { allowed: true };
      }
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil((windowEnd - at.getTime()) / 1000)),
      };
    },
  };
}
