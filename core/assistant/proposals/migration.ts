// Storage migration (see core/store/migrations.ts): the Slack proposals still in flight when
// this version starts move from `slack_proposals` into the one proposal store, under the same
// `_id`, so the buttons already posted keep working. Written by exact `_id` (upserts) before the
// old records go, so a run cut short finishes on the next start.
import type { MigrationStep } from '../../store/migrations.ts';
import { SWEEP_COMMENT } from '../../store/query-rule.ts';
import { tenantDatabaseName } from '../../store/tenant-context.ts';
import { Proposal, type ProposalRecord } from './model.ts';

export const SLACK_PROPOSALS_COLLECTION = 'slack_proposals';

interface SlackProposalDoc {
  _id: string;
  organizerId: string;
  teamId: string;
  channelId: string;
  threadTs?: string | null;
  title?: string | null;
  durationMinutes: number;
  attendees?: ProposalRecord['attendees'];
  followUpOf?: string | null;
  slots?: ProposalRecord['slots'];
  createdAt: Date;
  expiresAt: Date;
}

export function fromSlackProposal(doc: SlackProposalDoc): ProposalRecord {
  return {
    _id: doc._id,
    organizerId: doc.organizerId,
    origin: {
      platform: 'slack',
      reference: `${doc.teamId}:${doc.channelId}`,
      thread: doc.threadTs ?? null,
    },
    title: doc.title ?? null,
    durationMinutes: doc.durationMinutes,
    attendees: doc.attendees ?? [],
    followUpOf: doc.followUpOf ?? null,
    rescheduleOf: null,
    slots: doc.slots ?? [],
    createdAt: doc.createdAt,
    expiresAt: doc.expiresAt,
  };
}

export const slackProposalsStep: MigrationStep = {
  name: 'assistant.slack-proposals',
  description: 'Slack proposals into the one proposal store',
  async runForTenant(store, ctx) {
    const db = store.connection.useDb(tenantDatabaseName(ctx), { useCache: true });
    const old = db.collection<SlackProposalDoc>(SLACK_PROPOSALS_COLLECTION);
    // Bounded by the proposals of the last week; expired ones are not worth moving.
    const docs = await old
      .find({}, { comment: `${SWEEP_COMMENT}:slack-proposals-migration` })
      .toArray();
    const now = new Date();
    const live = docs.filter((d) => d.expiresAt > now);
    const Proposals = await store.tenantModel(ctx, Proposal);
    for (const doc of live) {
      await Proposals.replaceOne({ _id: doc._id }, fromSlackProposal(doc), { upsert: true });
    }
    for (const doc of docs) {
      await old.deleteOne({ _id: doc._id });
    }
    return live.length;
  },
};
