// Storage migration of the Teams records in the control database (see core/store/migrations.ts):
// each person's Teams links and each tenant's Microsoft tenants get their owner lists, built from
// the records the tenant already has. Only lists are added ($addToSet), so running it twice
// changes nothing. The chats of Teams meetings get their records addressed by Quorum meeting.
// The Teams proposals in flight move into the assistant's one proposal store.
import { Proposal, type ProposalRecord } from '../../../core/assistant/proposals/model.ts';
import { listByOwner } from '../../../core/identity/migrations.ts';
import { upsertByIds } from '../../../core/store/by-id.ts';
import type { MigrationStep } from '../../../core/store/migrations.ts';
import { SWEEP_COMMENT } from '../../../core/store/query-rule.ts';
import { tenantDatabaseName } from '../../../core/store/tenant-context.ts';
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

export const TEAMS_PROPOSALS_COLLECTION = 'teams_proposals';

/** A proposal as the Teams bot stored it before the assistant's one proposal store. */
interface TeamsProposalDoc extends Omit<ProposalRecord, 'origin'> {
  conversationId: string;
}

export function fromTeamsProposal(doc: TeamsProposalDoc): ProposalRecord {
  const { conversationId, ...rest } = doc;
  return {
    ...rest,
    origin: { platform: 'teams', reference: conversationId, thread: null },
    title: doc.title ?? null,
    attendees: doc.attendees ?? [],
    followUpOf: doc.followUpOf ?? null,
    rescheduleOf: doc.rescheduleOf ?? null,
    slots: doc.slots ?? [],
  };
}

/**
 * Storage migration: the Teams proposals still in flight move from `teams_proposals` into the
 * one proposal store under the same `_id` (and their `rescheduleOf`), so the Book buttons already
 * posted keep working. Written by exact `_id` (upserts) before the old records go, so a run cut
 * short finishes on the next start.
 */
export const teamsProposalsStep: MigrationStep = {
  name: 'assistant.teams-proposals',
  description: 'Teams proposals into the one proposal store',
  async runForTenant(store, ctx) {
    const db = store.connection.useDb(tenantDatabaseName(ctx), { useCache: true });
    const old = db.collection<TeamsProposalDoc>(TEAMS_PROPOSALS_COLLECTION);
    // Bounded by the proposals of the last week; expired ones are not worth moving.
    const docs = await old
      .find({}, { comment: `${SWEEP_COMMENT}:teams-proposals-migration` })
      .toArray();
    const now = new Date();
    const live = docs.filter((d) => d.expiresAt > now);
    const Proposals = await store.tenantModel(ctx, Proposal);
    for (const doc of live) {
      await Proposals.replaceOne({ _id: doc._id }, fromTeamsProposal(doc), { upsert: true });
    }
    for (const doc of docs) await old.deleteOne({ _id: doc._id });
    return live.length;
  },
};
