// API keys for Quorum's REST API: shown once, stored as HMAC-SHA256 digests under a server
// pepper, compared in constant time, scoped to one tenant with named permissions, revocable.
//
// Every read and write is by exact `_id`: a key is found by the id in its text; a tenant's keys
// and the keys a person created are listed in owner lists (core/identity/lists.ts), which get a
// key's id before the key is written.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Store } from '../store/store.ts';
import { verifiedTenantContext, type TenantContext } from '../store/tenant-context.ts';
import { findByIds } from '../store/by-id.ts';
import { serialized } from '../store/serial.ts';
import { randomId } from './ids.ts';
import { ownerList, type OwnerList } from './lists.ts';
import { ApiKey, type ApiKeyDoc } from './models.ts';

export const API_KEY_PERMISSIONS = [
  'meetings:read',
  'meetings:write',
  'bookings:read',
  'bookings:write',
  'audit:read',
] as const;
export type ApiKeyPermission = (typeof API_KEY_PERMISSIONS)[number];

const FORMAT = /^qrm_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export interface ApiKeyService {
  create(
    ctx: TenantContext,
    input: { name: string; permissions: ApiKeyPermission[] },
  ): Promise<{ id: string; key: string }>;
  verify(
    presented: string,
  ): Promise<{ ctx: TenantContext; permissions: string[]; keyId: string } | null>;
  revoke(ctx: TenantContext, id: string): Promise<boolean>;
  list(ctx: TenantContext): Promise<Array<Omit<ApiKeyDoc, 'digest'>>>;
}

/** The keys of each tenant (`tenant`) and the keys each person created (`user`). */
export function apiKeyLists(store: Store): { tenant: OwnerList; user: OwnerList } {
  return {
    tenant: ownerList(store, 'tenant', 'apiKeys'),
    user: ownerList(store, 'user', 'apiKeys'),
  };
}

export function createApiKeyService(options: { store: Store; pepper: Uint8Array }): ApiKeyService {
  const Keys = options.store.controlModel(ApiKey);
  const lists = apiKeyLists(options.store);
  const digest = (secret: string) =>
    createHmac('sha256', options.pepper).update(secret).digest('hex');

  return {
    async create(ctx, input) {
      if (!ctx.userId) throw new Error('an API key is created by a signed-in user');
      const id = randomId(12);
      const secret = randomBytes(32).toString('base64url');
      await lists.tenant.add(ctx.tenantId, id);
      await lists.user.add(ctx.userId, id);
      await Keys.create({
        _id: id,
        tenantId: ctx.tenantId,
        name: input.name,
        digest: digest(secret),
        permissions: input.permissions,
        createdBy: ctx.userId,
        createdAt: new Date(),
        revokedAt: null,
        lastUsedAt: null,
      });
      return { id, key: `qrm_${id}_${secret}` };
    },

    async verify(presented) {
      const match = FORMAT.exec(presented);
      if (!match) return null;
      const [, id, secret] = match as unknown as [string, string, string];
      const doc = await Keys.findById(id).lean();
      const expected = Buffer.from(doc?.digest ?? '0'.repeat(64), 'hex');
      const actual = Buffer.from(digest(secret), 'hex');
      // Compare even when the id is unknown, so timing does not reveal which ids exist.
      const equal = expected.length === actual.length && timingSafeEqual(expected, actual);
      if (!doc || !equal || doc.revokedAt) return null;
      await Keys.updateOne({ _id: id }, { lastUsedAt: new Date() });
      return {
        ctx: verifiedTenantContext(doc.tenantId, 'api-key'),
        permissions: doc.permissions,
        keyId: id,
      };
    },

    revoke(ctx, id) {
      // Read, check, write: one at a time per key, so of two revocations one says it revoked.
      return serialized(`${options.store.control.name}/api_keys/${id}`, async () => {
        const doc = await Keys.findById(id, { tenantId: 1, revokedAt: 1 }).lean();
        // Another tenant's key is answered as unknown, the same as a key that does not exist.
        if (!doc || doc.tenantId !== ctx.tenantId || doc.revokedAt) return false;
        await Keys.updateOne({ _id: id }, { $set: { revokedAt: new Date() } });
        return true;
      });
    },

    async list(ctx) {
      const ids = await lists.tenant.ids(ctx.tenantId);
      const keys = await findByIds(Keys, ids, { digest: 0 });
      return keys
        .filter((k) => k.tenantId === ctx.tenantId)
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    },
  };
}
