// Sign-in attempts are limited per IP: 10 per 5 minutes, counted in the database so that the
// limit holds across every web node.
//
// Each attempt is one inserted document, and the limit is a count over the window. Counter
// libraries update one document with $inc, which the embedded FerretDB does not apply
// atomically (concurrent increments are lost, so a burst could slip past the limit); inserts
// and counts are exact on FerretDB and MongoDB alike. Old attempts go with the expiry job.
import { Schema } from 'mongoose';
import type { Store } from '../store/store.ts';
import { defineModel } from '../store/store.ts';

export const SIGN_IN_ATTEMPTS = 10;
export const SIGN_IN_WINDOW_MS = 5 * 60 * 1000;

interface AttemptDoc {
  key: string;
  at: Date;
  expiresAt: Date;
}
export const SignInAttempt = defineModel<AttemptDoc>(
  'SignInAttempt',
  (() => {
    const schema = new Schema<AttemptDoc>(
      { key: { type: String, required: true }, at: Date, expiresAt: Date },
      { collection: 'sign_in_attempts', versionKey: false },
    );
    schema.index({ key: 1, at: 1 });
    schema.index({ expiresAt: 1 });
    return schema;
  })(),
);

export interface SignInLimiter {
  /** Counts one attempt; `allowed: false` says how long to wait. */
  attempt(ip: string): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }>;
}

export function createSignInLimiter(
  store: Store,
  options: { now?: () => Date } = {},
): SignInLimiter {
  const now = options.now ?? (() => new Date());
  const Attempts = store.controlModel(SignInAttempt);
  return {
    async attempt(ip) {
      const at = now();
      const since = new Date(at.getTime() - SIGN_IN_WINDOW_MS);
      await Attempts.create({ key: ip, at, expiresAt: new Date(at.getTime() + SIGN_IN_WINDOW_MS) });
      const count = await Attempts.countDocuments({ key: ip, at: { $gt: since } });
      if (count <= SIGN_IN_ATTEMPTS) return { allowed: true };
      // The window frees up when the oldest attempts in it age out.
      const oldest = await Attempts.find({ key: ip, at: { $gt: since } })
        .sort({ at: -1 })
        .skip(SIGN_IN_ATTEMPTS - 1)
        .limit(1)
        .lean();
      const freeAt = (oldest[0]?.at.getTime() ?? at.getTime()) + SIGN_IN_WINDOW_MS;
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil((freeAt - at.getTime()) / 1000)),
      };
    },
  };
}
