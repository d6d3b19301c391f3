// Polls' messages, in the tenant's database: where a poll's card was posted, to update it.
import { Schema } from 'mongoose';
import { defineModel } from '../../../core/store/store.ts';

export interface TeamsPollDoc {
  /** The poll's id. */
  _id: string;
  conversationId: string;
  /** The card's message, updated for everyone as votes come in. */
  activityId: string | null;
  createdAt: Date;
}
export const TeamsPoll = defineModel<TeamsPollDoc>(
  'TeamsPoll',
  new Schema<TeamsPollDoc>(
    {
      _id: { type: String, required: true },
      conversationId: { type: String, required: true },
      activityId: { type: String, default: null },
      createdAt: { type: Date, required: true },
    },
    { collection: 'teams_polls', versionKey: false },
  ),
);
