// The polls Quorum posted in Slack: where each is, and which participants are which Slack
// users, so votes and closing update the message. (The times offered in a Slack message are
// proposals of the assistant: core/assistant/proposals/.)
import { Schema } from 'mongoose';
import { defineModel, type Store } from '../../../core/store/store.ts';
import type { TenantContext } from '../../../core/store/tenant-context.ts';

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

export function createSlackPolls(store: Store) {
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
  };
}

export type SlackPolls = ReturnType<typeof createSlackPolls>;
