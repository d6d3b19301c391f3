// Control-database models for identity. These hold only what sign-in needs before the tenant
// is known (who someone is and which tenant they belong to); everything else lives in the
// tenant's own database.
import { Schema } from 'mongoose';
import { defineModel } from '../store/store.ts';

export type Role = 'admin' | 'member';

export interface TenantDoc {
  _id: string;
  name: string;
  /** Email domain / Google hosted domain / Microsoft tenant id that map sign-ins to this tenant. */
  domains: string[];
  createdAt: Date;
}
export const Tenant = defineModel<TenantDoc>(
  'Tenant',
  new Schema<TenantDoc>(
    {
      _id: { type: String, required: true },
      name: { type: String, required: true },
      domains: { type: [String], default: [], index: true },
      createdAt: { type: Date, default: () => new Date() },
    },
    { collection: 'tenants', versionKey: false },
  ),
);

export interface UserDoc {
  _id: string;
  tenantId: string;
  email: string;
  name: string;
  role: Role;
  passwordHash: string | null;
  createdAt: Date;
  /** Set when the account is deleted: sign-in stops at once; the data goes after 30 days. */
  deletedAt: Date | null;
}
export const User = defineModel<UserDoc>(
  'User',
  new Schema<UserDoc>(
    {
      _id: { type: String, required: true },
      tenantId: { type: String, required: true, index: true },
      // Not unique: an address may have an account in each organization; its claims in
      // core/identity/users.ts keep one per organization and find them by exact `_id`.
      email: { type: String, required: true, lowercase: true, trim: true },
      name: { type: String, required: true },
      role: { type: String, enum: ['admin', 'member'], required: true },
      passwordHash: { type: String, default: null },
      createdAt: { type: Date, default: () => new Date() },
      deletedAt: { type: Date, default: null, index: true },
    },
    { collection: 'users', versionKey: false },
  ),
);

/**
 * A verified external identity (OIDC issuer + subject) linked to a Quorum user. Its `_id` is
 * `identityLinkId(issuer, subject)` (core/identity/sso-accounts.ts), which makes it unique and
 * found by exact `_id`; links written before had random ids and move at start (migrations).
 */
export interface IdentityLinkDoc {
  _id: string;
  issuer: string;
  subject: string;
  userId: string;
  tenantId: string;
  createdAt: Date;
}
export const IdentityLink = defineModel<IdentityLinkDoc>(
  'IdentityLink',
  // No unique index on {issuer, subject}: the `_id` holds both. (The migration that moved links
  // to such ids dropped the old index, which would refuse the new copy next to the old one.)
  new Schema<IdentityLinkDoc>(
    {
      _id: { type: String, required: true },
      issuer: { type: String, required: true },
      subject: { type: String, required: true },
      userId: { type: String, required: true, index: true },
      tenantId: { type: String, required: true },
      createdAt: { type: Date, default: () => new Date() },
    },
    { collection: 'identity_links', versionKey: false },
  ),
);

export interface SessionDoc {
  _id: string;
  userId: string;
  tenantId: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  ip: string | null;
  userAgent: string | null;
}
export const Session = defineModel<SessionDoc>(
  'Session',
  (() => {
    const schema = new Schema<SessionDoc>(
      {
        _id: { type: String, required: true },
        userId: { type: String, required: true, index: true },
        tenantId: { type: String, required: true },
        createdAt: { type: Date, default: () => new Date() },
        expiresAt: { type: Date, required: true },
        revokedAt: { type: Date, default: null },
        ip: { type: String, default: null },
        userAgent: { type: String, default: null },
      },
      { collection: 'sessions', versionKey: false },
    );
    // Expired sessions are removed by the expiry job (core/store/expiry.ts).
    schema.index({ expiresAt: 1 });
    return schema;
  })(),
);

export interface ApiKeyDoc {
  _id: string;
  tenantId: string;
  name: string;
  /** HMAC-SHA256 of the secret part under the server's API-key pepper, hex. */
  digest: string;
  permissions: string[];
  createdBy: string;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}
export const ApiKey = defineModel<ApiKeyDoc>(
  'ApiKey',
  new Schema<ApiKeyDoc>(
    {
      _id: { type: String, required: true },
      tenantId: { type: String, required: true, index: true },
      name: { type: String, required: true },
      digest: { type: String, required: true },
      permissions: { type: [String], default: [] },
      createdBy: { type: String, required: true },
      createdAt: { type: Date, default: () => new Date() },
      revokedAt: { type: Date, default: null },
      lastUsedAt: { type: Date, default: null },
    },
    { collection: 'api_keys', versionKey: false },
  ),
);

export const identityModels = [Tenant, User, IdentityLink, Session, ApiKey];
