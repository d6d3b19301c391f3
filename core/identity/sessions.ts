// Sessions: a signed token (JWT, HS256 via jose) in a cookie, backed by a session record so
// that sign-out and "sign out everywhere" really end it on the server.
//
// Every read and write is by exact `_id`: a session check reads the session and the user by id;
// "sign out everywhere" finds a person's sessions in their session list (core/identity/lists.ts),
// which gets each session before the session itself is written, so none is missed.
import { randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import type { Model } from 'mongoose';
import type { Store } from '../store/store.ts';
import { verifiedTenantContext, type TenantContext } from '../store/tenant-context.ts';
import { findByIds } from '../store/by-id.ts';
import { ownerList, type OwnerList } from './lists.ts';
import { Session, User, type SessionDoc, type UserDoc } from './models.ts';

export const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** The sessions of each person, for "sign out everywhere", export and erasure. */
export function sessionList(store: Store, options: { now?: () => Date } = {}): OwnerList {
  return ownerList(store, 'user', 'sessions', options);
}

/** Ends these sessions (those not ended already); returns how many it ended. */
export async function revokeSessions(
  store: Store,
  sessionIds: readonly string[],
  at: Date,
): Promise<number> {
  const Sessions = store.controlModel(Session);
  const open = (await findByIds(Sessions, sessionIds, { _id: 1, revokedAt: 1 })).filter(
    (s) => !s.revokedAt,
  );
  for (let i = 0; i < open.length; i += 20) {
    await Sessions.bulkWrite(
      open.slice(i, i + 20).map((s) => ({
        updateOne: { filter: { _id: s._id }, update: { $set: { revokedAt: at } } },
      })),
      { ordered: false },
    );
  }
  return open.length;
}
const ISSUER = 'quorum';

export interface VerifiedSession {
  sessionId: string;
  user: UserDoc;
  ctx: TenantContext;
  expiresAt: Date;
}

export interface SessionService {
  issue(
    user: UserDoc,
    meta: {
      ip?: string | null;
      userAgent?: string | null;
      /** A shorter life than SESSION_TTL_MS (e.g. an embedded panel's session). */
      ttlMs?: number;
    },
  ): Promise<{ token: string; sessionId: string; expiresAt: Date }>;
  verify(token: string): Promise<VerifiedSession | null>;
  revoke(sessionId: string): Promise<void>;
  revokeAll(userId: string): Promise<number>;
}

export interface SessionServiceOptions {
  store: Store;
  /** At least 32 random bytes, shared by every web node. */
  secret: Uint8Array;
  now?: () => Date;
}

export function createSessionService(options: SessionServiceOptions): SessionService {
  return new SignedSessions(options);
}

/** Sessions stored by id, handed out as signed tokens (HS256) that name them. */
class SignedSessions implements SessionService {
  readonly #store: Store;
  readonly #secret: Uint8Array;
  readonly #now: () => Date;
  readonly #Sessions: Model<SessionDoc>;
  readonly #Users: Model<UserDoc>;
  readonly #lists: OwnerList;

  constructor(options: SessionServiceOptions) {
    const { store, secret } = options;
    if (secret.byteLength < 32) throw new Error('session secret must be at least 32 bytes');
    this.#store = store;
    this.#secret = secret;
    this.#now = options.now ?? (() => new Date());
    this.#Sessions = store.controlModel(Session);
    this.#Users = store.controlModel(User);
    this.#lists = sessionList(store, { now: this.#now });
  }

  async issue(
    user: UserDoc,
    meta: Parameters<SessionService['issue']>[1],
  ): Promise<{ token: string; sessionId: string; expiresAt: Date }> {
    const sessionId = randomBytes(18).toString('base64url');
    const issuedAt = this.#now();
    const ttl = Math.min(meta.ttlMs ?? SESSION_TTL_MS, SESSION_TTL_MS);
    const expiresAt = new Date(issuedAt.getTime() + ttl);
    await this.#lists.add(user._id, sessionId, expiresAt);
    await this.#Sessions.create({
      _id: sessionId,
      userId: user._id,
      tenantId: user.tenantId,
      createdAt: issuedAt,
      expiresAt,
      revokedAt: null,
      ip: meta.ip ?? null,
      userAgent: meta.userAgent?.slice(0, 300) ?? null,
    });
    const token = await new SignJWT({ tid: user.tenantId })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setSubject(user._id)
      .setJti(sessionId)
      .setIssuedAt(Math.floor(issuedAt.getTime() / 1000))
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.#secret);
    return { token, sessionId, expiresAt };
  }

  async verify(token: string): Promise<VerifiedSession | null> {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.#secret, {
        issuer: ISSUER,
        algorithms: ['HS256'],
        currentDate: this.#now(),
      }));
    } catch {
      return null;
    }
    if (!payload.jti || !payload.sub) return null;
    const session = await this.#Sessions.findById(payload.jti).lean();
    if (!session || session.revokedAt || session.expiresAt <= this.#now()) return null;
    if (session.userId !== payload.sub || session.tenantId !== payload.tid) return null;
    const user = await this.#Users.findById(session.userId).lean();
    if (!user || user.deletedAt || user.tenantId !== session.tenantId) return null;
    return {
      sessionId: session._id,
      user,
      ctx: verifiedTenantContext(user.tenantId, 'session', user._id),
      expiresAt: session.expiresAt,
    };
  }

  async revoke(sessionId: string): Promise<void> {
    await revokeSessions(this.#store, [sessionId], this.#now());
  }

  async revokeAll(userId: string): Promise<number> {
    return revokeSessions(this.#store, await this.#lists.ids(userId), this.#now());
  }
}
