// Sign-in attempts are limited per IP (10 per 5 minutes) and per account (10 per 15 minutes from any
// address), counted in the database so that the limits hold across every web node.
//
// Each attempt of a key takes the next number: the document `${key} #${n}`, claimed with a
// unique insert (refused atomically on FerretDB and MongoDB alike, where a $inc counter on
// FerretDB loses concurrent increments). Attempt n is allowed when attempt n - limit is older
// than the window: exactly "at most `limit` attempts in any window", the same as counting them,
// but every read and write is by exact `_id` (FerretDB scans the collection for any other
// filter). A head document remembers the last number taken, only as a hint where to start:
// numbers already taken are skipped by the refused inserts. Everything carries `expiresAt`, so
// the expiry job (core/store/expiry.ts) removes old attempts.
import { createHash } from 'node:crypto';
import { Schema } from 'mongoose';
import { isDuplicateKeyError } from '../privacy/duplicate-key.ts';
import type { Store } from '../store/store.ts';
import { defineModel } from '../store/store.ts';

export const SIGN_IN_ATTEMPTS = 10;
export const SIGN_IN_WINDOW_MS = 5 * 60 * 1000;

/**
 * The layout before numbered attempts: one document per attempt with an ObjectId, counted by
 * `{key, at}`. Still read by the booking-page limiter until it moves to `createAttemptWindow`;
 * its documents expire with the same job.
 */
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

/** A numbered attempt (`${key} #${n}`) or a key's head (`${key} #head`, with `n`). */
interface NumberedDoc {
  _id: string;
  at?: Date;
  n?: number;
  expiresAt: Date;
}
export const NumberedAttempt = defineModel<NumberedDoc>(
  'NumberedAttempt',
  new Schema<NumberedDoc>(
    {
      _id: { type: String, required: true },
      at: { type: Date },
      n: { type: Number },
      expiresAt: { type: Date, required: true },
    },
    { collection: 'sign_in_attempts', versionKey: false },
  ),
);

/** Past this many taken numbers in a row something is wrong; refuse rather than spin. */
const MAX_PROBES = 200;

export type AttemptOutcome = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface AttemptWindow {
  /** Counts one attempt of `key`; `allowed: false` says how long to wait. */
  attempt(key: string): Promise<AttemptOutcome>;
  /** Whether `key` already has `limit` attempts in the window, without counting one. */
  check(key: string): Promise<AttemptOutcome>;
}

/** At most `limit` attempts per key in any `windowMs`, refused attempts counted too. */
export function createAttemptWindow(
  store: Store,
  options: { limit: number; windowMs: number; now?: () => Date },
): AttemptWindow {
  const now = options.now ?? (() => new Date());
  const { limit, windowMs } = options;
  const Attempts = store.controlModel(NumberedAttempt);
  const id = (key: string, n: number | 'head') => `${key} #${n}`;

  async function take(key: string, at: Date): Promise<number> {
    const head = await Attempts.findById(id(key, 'head')).lean();
    const expiresAt = new Date(at.getTime() + windowMs);
    for (let n = (head?.n ?? 0) + 1, probes = 0; probes < MAX_PROBES; n++, probes++) {
      try {
        await Attempts.create({ _id: id(key, n), at, expiresAt });
      } catch (error) {
        if (isDuplicateKeyError(error)) continue;
        throw error;
      }
      try {
        await Attempts.replaceOne({ _id: id(key, 'head') }, { n, expiresAt }, { upsert: true });
      } catch (error) {
        // Two first attempts upserted the head at once: it is only a hint.
        if (!isDuplicateKeyError(error)) throw error;
      }
      return n;
    }
    throw new Error(`attempt numbers of ${key} are all taken`);
  }

  /** Refused while the oldest of the last `limit` attempts up to `n` is inside the window. */
  async function verdict(key: string, n: number, at: Date): Promise<AttemptOutcome> {
    if (n <= limit) return { allowed: true };
    const earlier = await Attempts.findById(id(key, n - limit)).lean();
    // Gone (expired and removed) or older than the window: fewer than `limit` before this.
    if (!earlier?.at || earlier.at.getTime() <= at.getTime() - windowMs) return { allowed: true };
    // The window frees up when the oldest of the last `limit` attempts ages out.
    const oldest = limit > 1 ? await Attempts.findById(id(key, n - limit + 1)).lean() : null;
    const freeAt = (oldest?.at?.getTime() ?? at.getTime()) + windowMs;
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil((freeAt - at.getTime()) / 1000)),
    };
  }

  return {
    async check(key) {
      const head = await Attempts.findById(id(key, 'head')).lean();
      // As if one more were counted now: refused once `limit` attempts are inside the window.
      return verdict(key, (head?.n ?? 0) + 1, now());
    },
    async attempt(key) {
      const at = now();
      return verdict(key, await take(key, at), at);
    },
  };
}

/**
 * Failed sign-ins of one account from any address: a password guesser who rotates addresses
 * (or a proxy's X-Forwarded-For) is slowed down all the same. Every email is counted alike,
 * known or not, so the answer never tells whether an account exists; the key is a digest, so no
 * email that was merely typed is stored. Only failures count, so signing in often never locks a
 * person out; concurrent guesses may each pass the check before their failures are counted, so
 * a burst can exceed the limit by the number of requests in flight (the per-address limit still
 * holds for each address).
 */
export const ACCOUNT_SIGN_IN_ATTEMPTS = 10;
export const ACCOUNT_SIGN_IN_WINDOW_MS = 15 * 60 * 1000;

function accountKey(email: string): string {
  return `signin-account:${createHash('sha256').update(email.trim().toLowerCase()).digest('base64url')}`;
}

export interface SignInLimiter {
  /** Counts one attempt from this address; `allowed: false` says how long to wait. */
  attempt(ip: string): Promise<AttemptOutcome>;
  /** Whether this email's account may try now (too many recent failures: not). */
  checkAccount(email: string): Promise<AttemptOutcome>;
  /** Counts one failed sign-in of this email's account, from anywhere. */
  failedAccount(email: string): Promise<void>;
}

export function createSignInLimiter(
  store: Store,
  options: { now?: () => Date } = {},
): SignInLimiter {
  const window = createAttemptWindow(store, {
    limit: SIGN_IN_ATTEMPTS,
    windowMs: SIGN_IN_WINDOW_MS,
    ...options,
  });
  const accounts = createAttemptWindow(store, {
    limit: ACCOUNT_SIGN_IN_ATTEMPTS,
    windowMs: ACCOUNT_SIGN_IN_WINDOW_MS,
    ...options,
  });
  return {
    attempt: (ip) => window.attempt(`signin:${ip}`),
    checkAccount: (email) => accounts.check(accountKey(email)),
    async failedAccount(email) {
      await accounts.attempt(accountKey(email));
    },
  };
}
