// Guests book without an account, so booking from one address is limited: a count of attempts
// in a sliding window, kept in the database so the limit holds across every web node.
//
// Same approach as the sign-in limiter (one inserted document per attempt, then a count: exact
// on FerretDB, where $inc counters are not atomic), and the same collection, so the expiry job
// that cleans sign-in attempts cleans these too. Keys are prefixed so the two never mix.
import { SignInAttempt } from '../../identity/sign-in-limiter.ts';
import type { Store } from '../../store/store.ts';

export interface AttemptLimiter {
  attempt(key: string): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }>;
}

export function createAttemptLimiter(
  store: Store,
  options: { prefix: string; limit: number; windowMs: number; now?: () => Date },
): AttemptLimiter {
  const now = options.now ?? (() => new Date());
  const Attempts = store.controlModel(SignInAttempt);
  return {
    async attempt(rawKey) {
      const key = `${options.prefix}:${rawKey}`;
      const at = now();
      const since = new Date(at.getTime() - options.windowMs);
      await Attempts.create({ key, at, expiresAt: new Date(at.getTime() + options.windowMs) });
      const count = await Attempts.countDocuments({ key, at: { $gt: since } });
      if (count <= options.limit) return { allowed: true };
      const oldest = await Attempts.find({ key, at: { $gt: since } })
        .sort({ at: -1 })
        .skip(options.limit - 1)
        .limit(1)
        .lean();
      const freeAt = (oldest[0]?.at.getTime() ?? at.getTime()) + options.windowMs;
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil((freeAt - at.getTime()) / 1000)),
      };
    },
  };
}
