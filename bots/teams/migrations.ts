// Storage migration of the Teams records in the control database (see core/store/migrations.ts):
// each person's Teams links and each tenant's Microsoft tenants get their owner lists, built from
// the records the tenant already has. Only lists are added ($addToSet), so running it twice
// changes nothing.
import { listByOwner } from '../../core/identity/migrations.ts';
import type { MigrationStep } from '../../core/store/migrations.ts';
import { teamsLinkList, teamsTenantList } from './directory.ts';
import { TeamsTenant, TeamsUserLink } from './models.ts';

export const teamsListsStep: MigrationStep = {
  name: 'teams.owner-lists',
  description: 'Teams link lists of people and Microsoft tenant lists of tenants',
  async runForTenant(store, ctx) {
    const item = (record: { _id: string }) => ({ id: record._id, expiresAt: null });
    const links = await store.controlModel(TeamsUserLink).find({ tenantId: ctx.tenantId }).lean();
    await listByOwner(teamsLinkList(store), links, (l) => l.userId, item);
    const msTenants = await store.controlModel(TeamsTenant).find({ tenantId: ctx.tenantId }).lean();
    await listByOwner(teamsTenantList(store), msTenants, (t) => t.tenantId, item);
    return links.length + msTenants.length;
  },
};
