// API keys for Quorum's REST API: shown once, stored as HMAC-SHA256 digests under a server
// pepper, compared in constant time, scoped to one tenant with named permissions, revocable.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Store } from '../store/store.ts';
import { verifiedTenantContext, type TenantContext } from '../store/tenant-context.ts';
import { randomId } from './ids.ts';
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

export function createApiKeyService(options: { store: Store; pepper: Uint8Array }): ApiKeyService {
  const Keys = options.store.controlModel(ApiKey);
  const digest = (secret: string) =>
    createHmac('sha256', options.pepper).update(secret).digest('hex');

  return {
    async create(ctx, input) {
      if (!ctx.userId) throw new Error('an API key is created by a signed-in user');
      const id = randomId(12);
      const secret = randomBytes(32).toString('base64url');
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

    async revoke(ctx, id) {
      const result = await Keys.updateOne(
        { _id: id, tenantId: ctx.tenantId, revokedAt: null },
        { revokedAt: new Date() },
      );
      return result.modifiedCount === 1;
    },

    async list(ctx) {
      return Keys.find({ tenantId: ctx.tenantId }, { digest: 0 }).sort({ createdAt: -1 }).lean();
    },
  };
}
