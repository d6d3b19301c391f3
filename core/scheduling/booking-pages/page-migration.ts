// Lists the booking pages a tenant's people published before owner lists existed (see
// page-owners.ts). The pages are control-database records; each tenant's step lists its own.
import { upsertByIds } from '../../store/by-id.ts';
import type { MigrationStep } from '../../store/migrations.ts';
import { BookingPage } from './booking-page-model.ts';
import { ownerDocsFor, PageOwner } from './page-owners.ts';

export const pageOwnersStep: MigrationStep = {
  name: 'booking-page-owners',
  description: 'booking pages listed per owner',
  async runForTenant(store, ctx) {
    const pages = await store
      .controlModel(BookingPage)
      .find({ tenantId: ctx.tenantId }, { tenantId: 1, ownerId: 1, createdAt: 1 })
      .lean();
    // Derived from the tenant's pages alone: writing the lists whole twice changes nothing.
    await upsertByIds(store.controlModel(PageOwner), ownerDocsFor(pages));
    return pages.length;
  },
};
