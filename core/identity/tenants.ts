// Tenants by email domain, and "the only organization of this Quorum", read by exact `_id`.
//
// Domains: a key document per domain in `tenant_domains` (`_id` = the domain or Microsoft tenant
// id) naming the tenant that signs those people up; claimed with a unique insert, so a domain
// leads to one tenant.
// The only organization: Slack, Teams and Zoom join a one-organization Quorum on first use.
// Instead of listing tenants, the first two tenants claim the markers `tenant:1` and `tenant:2`
// in the `install` collection (unique inserts): with no `tenant:2`, `tenant:1` is the only one.
import { Schema } from 'mongoose';
import { isDuplicateKeyError } from '../privacy/duplicate-key.ts';
import { recordStepsDoneForNewTenant } from '../store/migrations.ts';
import { defineModel, type Store } from '../store/store.ts';
import { Tenant, type TenantDoc } from './models.ts';

export interface TenantDomainDoc {
  /** An email domain, a Google hosted domain or a Microsoft tenant id. */
  _id: string;
  tenantId: string;
  createdAt: Date;
}
export const TenantDomain = defineModel<TenantDomainDoc>(
  'TenantDomain',
  new Schema<TenantDomainDoc>(
    {
      _id: { type: String, required: true },
      tenantId: { type: String, required: true },
      createdAt: { type: Date, required: true },
    },
    { collection: 'tenant_domains', versionKey: false },
  ),
);

interface SlotDoc {
  _id: string;
  tenantId: string;
  at: Date;
}
const installCollection = (store: Store) => store.control.collection<SlotDoc>('install');
const SLOTS = ['tenant:1', 'tenant:2'] as const;

async function insertIgnoringDuplicate(fn: () => Promise<unknown>): Promise<boolean> {
  try {
    await fn();
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}

/** Counts a tenant among the first two, unless it already is (safe to repeat). */
export async function claimTenantSlot(store: Store, tenantId: string): Promise<void> {
  const install = installCollection(store);
  for (const slot of SLOTS) {
    const held = await install.findOne({ _id: slot });
    if (held?.tenantId === tenantId) return;
    if (held) continue;
    if (
      await insertIgnoringDuplicate(() =>
        install.insertOne({ _id: slot, tenantId, at: new Date() }),
      )
    )
      return;
    if ((await install.findOne({ _id: slot }))?.tenantId === tenantId) return;
  }
}

/** The tenant of a one-organization Quorum; undefined when there are none or several. */
export async function onlyTenant(store: Store): Promise<string | undefined> {
  const install = installCollection(store);
  if (await install.findOne({ _id: SLOTS[1] })) return undefined;
  const first = await install.findOne({ _id: SLOTS[0] });
  if (!first) return undefined;
  // A slot claimed by a creation that died before writing the tenant names no tenant.
  return (await store.controlModel(Tenant).findById(first.tenantId).lean())
    ? first.tenantId
    : undefined;
}

/** Makes `tenantId` the tenant of these domains, where no other tenant has them already. */
export async function claimDomains(
  store: Store,
  tenantId: string,
  domains: readonly string[],
): Promise<void> {
  const Domains = store.controlModel(TenantDomain);
  for (const domain of new Set(domains)) {
    await insertIgnoringDuplicate(() =>
      Domains.create({ _id: domain, tenantId, createdAt: new Date() }),
    );
  }
}

/** The tenant that owns the first of these domains that one owns. */
export async function tenantByDomains(
  store: Store,
  domains: readonly string[],
): Promise<string | undefined> {
  const Domains = store.controlModel(TenantDomain);
  for (const domain of domains) {
    const key = await Domains.findById(domain).lean();
    if (key) return key.tenantId;
  }
  return undefined;
}

/** Writes a new tenant with its domains, counted for `onlyTenant` first. */
export async function createTenant(
  store: Store,
  tenant: Pick<TenantDoc, '_id' | 'name' | 'domains'>,
): Promise<void> {
  // Counted before it exists: a creation that dies half-way makes "the only one" undecided
  // (no Slack workspace joins on its own) rather than wrong.
  await claimTenantSlot(store, tenant._id);
  await store.controlModel(Tenant).create({ ...tenant, createdAt: new Date() });
  // Written by this version: nothing to migrate at the next start. Recorded after the tenant
  // exists, so a creation that dies in between only leaves steps to run (finding nothing).
  await recordStepsDoneForNewTenant(store, tenant._id);
  await claimDomains(store, tenant._id, tenant.domains);
}
