// Storage migration of the Zoom records in the control database (see core/store/migrations.ts):
// each person's Zoom links get their owner list, built from the links the tenant already has.
// Only lists are added ($addToSet), so running it twice changes nothing.
import { listByOwner } from '../../../core/identity/migrations.ts';
import type { MigrationStep } from '../../../core/store/migrations.ts';
import { zoomLinkList } from './people.ts';
import { ZoomUserLink } from './models.ts';

export const zoomListsStep: MigrationStep = {
  name: 'zoom.owner-lists',
  description: 'Zoom link lists of people',
  async runForTenant(store, ctx) {
    const links = await store
      .controlModel(ZoomUserLink)
      .find({ tenantId: ctx.tenantId }, { _id: 1, userId: 1 })
      .lean();
    await listByOwner(
      zoomLinkList(store),
      links,
      (l) => l.userId,
      (l) => ({ id: l._id, expiresAt: null }),
    );
    return links.length;
  },
};
