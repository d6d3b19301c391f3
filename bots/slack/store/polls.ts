// The times offered in a Slack message, kept in the tenant's database so a button carries only
// a short reference (a button value holds 2,000 characters; 30 attendees' emails do not fit).
// Proposals last a week; expired ones are removed by the proposal-expiry job
// (core/scheduling/proposal-expiry.ts), never while answering someone.
import { randomUUID } from 'node:crypto';
import { Schema } from 'mongoose';
import { defineModel, type Store } from '../../../core/store/store.ts';
import type { TenantContext } from '../../../core/store/tenant-context.ts';

const LIFETIME_MS = 7 * 86_400_000;

export interface ProposalDoc {
  _id: string;
  organizerId: string;
  teamId: string;
  channelId: string;
  /** The thread it was asked in (a message shortcut), so the booking is posted back there. */
  threadTs: string | null;
  title: string | null;
  durationMinutes: number;
  attendees: Array<{ email: string; name?: string; optional: boolean }>;
  followUpOf: string | null;
  slots: Array<{ start: Date; end: Date }>;
  createdAt: Date;
  expiresAt: Date;
}

const Proposal = defineModel<ProposalDoc>(
  'SlackProposal',
  new Schema<ProposalDoc>(
    {
      _id: { type: String, required: true },
      organizerId: { type: String, required: true },
      teamId: { type: String, required: true },
      channelId: { type: String, required: true },
      threadTs: { type: String, default: null },
      title: { type: String, default: null },
      durationMinutes: { type: Number, required: true },
      attendees: [{ _id: false, email: String, name: String, optional: Boolean }],
      followUpOf: { type: String, default: null },
      slots: [{ _id: false, start: Date, end: Date }],
      createdAt: { type: Date, required: true },
      expiresAt: { type: Date, required: true },
    },
    { collection: 'slack_proposals', versionKey: false },
  ),
);

/** A poll posted in Slack: where, and which participants are which Slack users. */
export interface SlackPollDoc {
  /** The poll's id. */
  _id: string;
  teamId: string;
  channelId: string;
  organizerSlackId: string;
  /** The participants who are Slack users (emails hold dots, so not as object keys). */
  slackUsers: Array<{ email: string; slackId: string }>;
  /** The poll message's ts when Quorum posted it itself, so later votes can update it. */
  messageTs?: string | null;
  createdAt: Date;
}

const SlackPoll = defineModel<SlackPollDoc>(
  'SlackPoll',
  new Schema<SlackPollDoc>(
    {
      _id: { type: String, required: true },
      teamId: { type: String, required: true },
      channelId: { type: String, required: true },
      organizerSlackId: { type: String, required: true },
      slackUsers: [{ _id: false, email: String, slackId: String }],
      messageTs: { type: String, default: null },
      createdAt: { type: Date, required: true },
    },
    { collection: 'slack_polls', versionKey: false },
  ),
);

export function createProposals(store: Store) {
  return {
    async savePoll(ctx: TenantContext, doc: SlackPollDoc): Promise<void> {
      await (await store.tenantModel(ctx, SlackPoll)).create(doc);
    },

    async setPollMessage(ctx: TenantContext, pollId: string, ts: string): Promise<void> {
      await (await store.tenantModel(ctx, SlackPoll)).updateOne({ _id: pollId }, { messageTs: ts });
    },

    async getPoll(ctx: TenantContext, pollId: string): Promise<SlackPollDoc | undefined> {
      return (await (await store.tenantModel(ctx, SlackPoll)).findById(pollId).lean()) ?? undefined;
    },

    async save(
      ctx: TenantContext,
      input: Omit<ProposalDoc, '_id' | 'createdAt' | 'expiresAt'>,
    ): Promise<ProposalDoc> {
      const Proposals = await store.tenantModel(ctx, Proposal);
      const now = new Date();
      const doc: ProposalDoc = {
        ...input,
        _id: randomUUID(),
        createdAt: now,
        expiresAt: new Date(now.getTime() + LIFETIME_MS),
      };
      await Proposals.create(doc);
      return doc;
    },

    async get(ctx: TenantContext, id: string): Promise<ProposalDoc | undefined> {
      const Proposals = await store.tenantModel(ctx, Proposal);
      const doc = await Proposals.findById(id).lean();
      return doc && doc.expiresAt > new Date() ? doc : undefined;
    },
  };
}

export type Proposals = ReturnType<typeof createProposals>;
