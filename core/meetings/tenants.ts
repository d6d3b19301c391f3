// Background jobs act for every tenant in turn, reading the tenant list from the control
// database page by page (in id order, so a long run sees each tenant once).
import { Tenant } from '../identity/models.ts';
import { SWEEP_COMMENT } from '../store/query-rule.ts';
import type { Store } from '../store/store.ts';
import { verifiedTenantContext, type TenantContext } from '../store/tenant-context.ts';

const PAGE = 200;

export async function* everyTenant(store: Store): AsyncGenerator<TenantContext> {
  const Tenants = store.controlModel(Tenant);
  let after = '';
  for (;;) {
    // Jobs only: a walk over every tenant, page by page, is a sweep by nature.
    const page = await Tenants.find(after ? { _id: { $gt: after } } : {}, { _id: 1 })
      .comment(`${SWEEP_COMMENT}:every-tenant`)
      .sort({ _id: 1 })
      .limit(PAGE)
      .lean();
    for (const { _id } of page) yield verifiedTenantContext(_id, 'system');
    if (page.length < PAGE) return;
    after = page.at(-1)!._id;
  }
}
