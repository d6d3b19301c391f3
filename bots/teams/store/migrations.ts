// Storage migration of the Teams records in the control database (see core/store/migrations.ts):
// each person's Teams links and each tenant's Microsoft tenants get their owner lists, built from
// the records the tenant already has. Only lists are added ($addToSet), so running it twice
// changes nothing. The chats of Teams meetings get their records addressed by Quorum meeting.
import { listByOwner } from '../../../core/identity/migrations.ts';
import { upsertByIds } from '../../../core/store/by-id.ts';
import type { MigrationStep } from '../../../core/store/migrations.ts';
import { TeamsMeeting, TeamsMeetingChat } from './meetings.ts';
import { TeamsTenant, TeamsUserLink, teamsLinkList, teamsTenantList } from './tenants.ts';

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

/** Storage migration: the chat of every Teams meeting recorded before they were kept by id. */
export const teamsMeetingChatsStep: MigrationStep = {
  name: 'teams-meeting-chats',
  description: 'the chats of Teams meetings, addressed by Quorum meeting',
  async runForTenant(store, ctx) {
    const Meetings = await store.tenantModel(ctx, TeamsMeeting);
    const Chats = await store.tenantModel(ctx, TeamsMeetingChat);
    // A scan, as migrations may.
    const known = await Meetings.find({}).lean();
    await upsertByIds(
      Chats,
      known.map((m) => ({
        _id: m.meetingId,
        teamsMeetingId: m._id,
        conversationId: m.conversationId,
      })),
    );
    return known.length;
  },
};
