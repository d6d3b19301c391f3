// Storage migration of the Slack records in the control database (see core/store/migrations.ts):
// each person's Slack links and each tenant's workspaces get their owner lists, built from the
// records the tenant already has. Only lists are added ($addToSet), so running it twice changes
// nothing.
import { listByOwner } from '../../../core/identity/migrations.ts';
import type { MigrationStep } from '../../../core/store/migrations.ts';
import { SlackUserLink, slackLinkList } from './people-links.ts';
import { SlackWorkspace, slackWorkspaceList } from './workspaces.ts';

export const slackListsStep: MigrationStep = {
  name: 'slack.owner-lists',
  description: 'Slack link lists of people and workspace lists of tenants',
  async runForTenant(store, ctx) {
    const item = (record: { _id: string }) => ({ id: record._id, expiresAt: null });
    const links = await store.controlModel(SlackUserLink).find({ tenantId: ctx.tenantId }).lean();
    await listByOwner(slackLinkList(store), links, (l) => l.userId, item);
    const workspaces = await store
      .controlModel(SlackWorkspace)
      .find({ tenantId: ctx.tenantId }, { _id: 1, tenantId: 1 })
      .lean();
    await listByOwner(slackWorkspaceList(store), workspaces, (w) => w.tenantId, item);
    return links.length + workspaces.length;
  },
};
