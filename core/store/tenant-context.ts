// The authenticated context that selects a tenant's database.
//
// A TenantContext is only ever made by code that has verified who is asking (a session, an
// API key, a platform installation) or by a system job acting for a tenant it read from the
// control database. Request input never becomes a TenantContext directly: the brand below makes
// the type checker refuse a plain object.
declare const verified: unique symbol;

export type TenantVia = 'session' | 'api-key' | 'installation' | 'system';

export interface TenantContext {
  readonly tenantId: string;
  readonly userId?: string;
  readonly via: TenantVia;
  readonly [verified]: true;
}

const TENANT_ID = /^[a-z0-9]{6,32}$/;

export function isValidTenantId(id: string): boolean {
  return TENANT_ID.test(id);
}

/** Call only after verifying the caller; see the note above. */
export function verifiedTenantContext(
  tenantId: string,
  via: TenantVia,
  userId?: string,
): TenantContext {
  if (!isValidTenantId(tenantId)) throw new Error(`invalid tenant id ${JSON.stringify(tenantId)}`);
  return Object.freeze({ tenantId, via, ...(userId ? { userId } : {}) }) as TenantContext;
}

export function tenantDatabaseName(ctx: TenantContext): string {
  return `quorum_t_${ctx.tenantId}`;
}
